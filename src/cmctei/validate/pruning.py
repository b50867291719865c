"""A RELAX NG grammar cut down to the elements a document can use, in shapes libxml2 validates fast.

Why: libxml2 compiles tei_all (≈590 elements) in 5–12 s, once per process;
nearly all of it is the determinism check of content models whose choices
offer hundreds of elements (quadratic in the number of choices). A grammar
that offers only the elements a run can meet compiles in milliseconds.

**Exact.** :func:`prune` replaces every element pattern of the pruned
namespace whose name is not kept by ``notAllowed``, then simplifies. A
document that uses only kept elements gets the same verdict from the result
as from the whole grammar: a valid derivation of such a document only ever
matches element patterns of names it contains, so none of the removed
patterns takes part in it, and removing alternatives never accepts more.
The simplification that follows changes the grammar's language not at all:

* *not allowed* (a pattern that matches nothing) is found as the least
  fixpoint of the rules of RELAX NG's own simplification (section 4.19 of
  the specification): ``notAllowed`` and a blocked element match nothing;
  a choice matches nothing when every branch matches nothing; a group,
  ``oneOrMore``, an element's content, a definition match nothing when one
  of their parts matches nothing; ``optional`` and ``zeroOrMore`` always
  match (the empty sequence). A definition is proved to match something
  only from a finite derivation, so what is never proved matches no finite
  document. Such a pattern is removed from its choice, and a pattern that
  contains it where it is required is itself not allowed.
* *empty* (a pattern that now matches only the empty sequence: an
  ``optional`` or ``zeroOrMore`` whose content is not allowed, a group of
  such, a reference to a definition that is one) is removed from a group
  (``group(a, ε) = a``); a branch of a choice that is one makes the choice
  optional (``choice(a, b, ε) = optional(choice(a, b))``).
* a ``group`` or ``choice`` left with one pattern is replaced by it.

**Fast.** Why simplify at all: libxml2 builds a finite automaton for an
element's content (its fast path) only when every part of it is, in its
terms, compilable, and ``notAllowed`` is not (nor a reference to a
definition that is). The pruned grammar without this step validated each
document about ten times slower than the whole grammar (issue 18). The
simplified grammar has the whole grammar's shapes minus what was removed:
libxml2 is known to mishandle shapes tei_all never has, so none is made.
Two seen while writing this, both semantically equal to what is written
now: ``optional(empty)`` inside a group made valid documents invalid, and a
group with a single child sent the compiler into an endless loop
(``tests/test_conformance.py`` keeps both cases).

What the pruning does not understand (``include``, ``externalRef``,
``parentRef``, ``combine``, nested grammars) it refuses
(:class:`CannotPrune`), and the caller uses the whole grammar.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = "{%s}" % RNG_NS

NOT_ALLOWED, EMPTY, SOME = 0, 1, 2
"""What a pattern matches after pruning: nothing, only the empty sequence (an emptiness the
pruning made, which is removed), or more."""

# how the pruning sees each pattern
_ATOM = "atom"          # text, data, value, list, attribute, a literal <empty/>: never looked into
_CHOICE = "choice"
_ALL = "all"            # group, interleave, mixed, oneOrMore, an element's content, define, start
_OPTIONAL = "optional"  # optional, zeroOrMore
_REF = "ref"
_ELEMENT = "element"
_NOTHING = "notAllowed"
_KINDS = {
    **{_R + name: _ATOM for name in ("text", "data", "value", "list", "attribute", "empty")},
    **{_R + name: _ALL for name in ("group", "interleave", "mixed", "oneOrMore")},
    _R + "choice": _CHOICE, _R + "optional": _OPTIONAL, _R + "zeroOrMore": _OPTIONAL,
    _R + "ref": _REF, _R + "element": _ELEMENT, _R + "notAllowed": _NOTHING,
}
_COLLAPSIBLE = {_R + "group", _R + "choice", _R + "interleave"}
_REPEATS = {_R + "optional", _R + "zeroOrMore"}
_ALL_REPEATS = _REPEATS | {_R + "oneOrMore"}
_INHERITED = ("ns", "datatypeLibrary")
_INF = float("inf")


class CannotPrune(Exception):
    """The grammar uses a feature the pruning does not handle: use it whole."""


class _Node:
    """One pattern of the grammar, as the pruning needs it (read once from the tree)."""

    __slots__ = ("kind", "parts", "name", "prunable", "source")

    def __init__(self, kind: str, parts: tuple[_Node, ...], name: str | None, prunable: bool,
                 source: etree._Element) -> None:
        self.kind = kind
        self.parts = parts          # the pattern children
        self.name = name            # a reference's target, an element's name
        self.prunable = prunable    # an element of the pruned namespace, named plainly
        self.source = source        # the element in the grammar's tree


def _is_rng(node) -> bool:
    return isinstance(node.tag, str) and node.tag.startswith(_R)


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The pattern children of ``node`` (not its name class, not annotations)."""
    children = list(node.iterchildren(_R + "*"))
    if node.tag == _R + "element" and node.get("name") is None and children:
        children = children[1:]  # the name class
    return children


class Grammar:
    """A RELAX NG grammar read once, to be pruned to any set of element names (:meth:`prune`).

    Raises :class:`CannotPrune` for a grammar that uses what the pruning does not handle.
    """

    def __init__(self, tree: etree._ElementTree, namespace: str) -> None:
        self.root = tree.getroot()
        self.namespace = namespace
        if self.root.tag != _R + "grammar":
            raise CannotPrune("the root is not a grammar")
        self.defines: dict[str, _Node] = {}
        starts = []
        for child in self.root:
            if not _is_rng(child):
                continue
            if child.tag == _R + "define" and child.get("combine") is None and child.get("name") not in self.defines:
                self.defines[child.get("name")] = self._read(child, _ALL, self.root.get("ns"))
            elif child.tag == _R + "start" and child.get("combine") is None:
                starts.append(self._read(child, _ALL, self.root.get("ns")))
            else:
                raise CannotPrune(f"{etree.QName(child).localname} {child.get('name') or ''} at the top of the "
                                  "grammar (combined, repeated, or included)")
        if len(starts) != 1:
            raise CannotPrune("not exactly one start")
        self.start = starts[0]
        self.elements = [node for node in self._all_nodes() if node.kind == _ELEMENT and node.prunable]
        users: dict[str, set[str]] = {name: set() for name in self.defines}
        for name, define in self.defines.items():
            for ref in define.source.iter(_R + "ref"):
                if ref.get("name") not in users:
                    raise CannotPrune(f"a reference to {ref.get('name')}, which is not defined")
                users[ref.get("name")].add(name)
        self.users = users

    def _all_nodes(self):
        stack = [self.start, *self.defines.values()]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.parts)

    def _read(self, node: etree._Element, kind: str, ns: str | None) -> _Node:
        ns = node.get("ns", ns)
        if kind in (_ATOM, _REF, _NOTHING):
            return _Node(kind, (), node.get("name"), False, node)
        parts = []
        for child in _patterns(node):
            child_kind = _KINDS.get(child.tag)
            if child_kind is None:  # include, externalRef, parentRef, a nested grammar
                raise CannotPrune(f"{etree.QName(child).localname} is not handled")
            parts.append(self._read(child, child_kind, ns))
        name = node.get("name")
        prunable = kind == _ELEMENT and name is not None and ":" not in name and ns == self.namespace
        return _Node(kind, tuple(parts), name, prunable, node)

    def prune(self, keep: Iterable[str]) -> etree._ElementTree:
        """The grammar without the elements of its namespace not named in ``keep``, simplified."""
        return _Pruning(self, frozenset(keep)).grammar()

    def completed(self, keep: Iterable[str]) -> frozenset[str]:
        """``keep``, and the element names it takes for each element of ``keep`` to match
        something (a few, chosen by the fewest names each needs).

        For the messages, not the verdict (any set that holds a document's elements gives
        tei_all's verdict on it): a document that lacks an element its content requires (a
        ``list`` without ``item``) would otherwise see the element itself refused where it
        stands ("Did not expect element list there"), because without ``item`` no ``list``
        can match; with ``item`` kept, it hears what tei_all says: what is missing inside.
        A valid document needs none: every element it uses is matched already.
        """
        keep = set(keep)
        for _ in range(8):  # (each round adds names; a handful settle every case met)
            state = _Pruning(self, frozenset(keep))
            dead = [node for node in self.elements if node.name in keep and not state.lives(node)]
            if state.status(self.start) == NOT_ALLOWED:
                dead.append(self.start)
            if not dead:
                break
            cost = self._costs(keep)
            added: set[str] = set()
            seen: set[str] = set()
            for node in dead:
                for part in node.parts:
                    self._witness(part, keep, cost, added, seen)
            if not added:
                break
            keep |= added
        return frozenset(keep)

    def _costs(self, keep: set[str]) -> dict[str, float]:
        """For each definition, the fewest element names outside ``keep`` that a finite match
        of it needs (a least fixpoint; ``inf``: it has none)."""
        cost = {name: _INF for name in self.defines}
        pending = list(self.defines)
        queued = set(pending)
        while pending:
            name = pending.pop()
            queued.discard(name)
            value = self._cost(self.defines[name], keep, cost)
            if value < cost[name]:
                cost[name] = value
                for user in self.users[name]:
                    if user not in queued:
                        queued.add(user)
                        pending.append(user)
        return cost

    def _cost(self, node: _Node, keep: set[str], cost: dict[str, float]) -> float:
        kind = node.kind
        if kind == _ATOM or kind == _OPTIONAL:
            return 0
        if kind == _REF:
            return cost[node.name]
        if kind == _NOTHING:
            return _INF
        if kind == _CHOICE:
            return min((self._cost(part, keep, cost) for part in node.parts), default=_INF)
        own = 1 if node.prunable and node.name not in keep else 0
        return own + sum(self._cost(part, keep, cost) for part in node.parts)

    def _witness(self, node: _Node, keep: set[str], cost: dict[str, float], added: set[str],
                 seen: set[str]) -> None:
        """Add to ``added`` the element names of a cheapest match of ``node``."""
        kind = node.kind
        if kind == _REF:
            if node.name not in seen and cost[node.name] < _INF:
                seen.add(node.name)
                self._witness(self.defines[node.name], keep, cost, added, seen)
        elif kind == _CHOICE:
            best = min(node.parts, key=lambda part: self._cost(part, keep, cost), default=None)
            if best is not None:
                self._witness(best, keep, cost, added, seen)
        elif kind == _ALL or kind == _ELEMENT:
            if node.prunable and node.name not in keep:
                added.add(node.name)
            for part in node.parts:
                self._witness(part, keep, cost, added, seen)


class _Pruning:
    def __init__(self, grammar: Grammar, keep: frozenset[str]) -> None:
        self.g = grammar
        self.keep = keep
        self.live: set[str] = set()
        self.empty: set[str] = set()
        self._least_fixpoint(self.live, self._lives, list(grammar.defines))
        self._least_fixpoint(self.empty, self._only_empty, sorted(self.live))

    # ------------------------------------------------------------ what each pattern matches

    def lives(self, node: _Node) -> bool:
        return self._lives(node)

    def _lives(self, node: _Node) -> bool:
        """Whether ``node`` can match anything, given the definitions proved so far."""
        kind = node.kind
        if kind == _REF:
            return node.name in self.live
        if kind == _ATOM or kind == _OPTIONAL:
            return True
        if kind == _CHOICE:
            return any(self._lives(part) for part in node.parts)
        if kind == _NOTHING or (node.prunable and node.name not in self.keep):
            return False
        return all(self._lives(part) for part in node.parts)  # all of them, an element

    def _only_empty(self, node: _Node) -> bool:
        """Whether the live pattern ``node`` now matches only the empty sequence (as proved so
        far), because of the pruning. A literal ``<empty/>`` does not count: it stays where
        the grammar has it."""
        kind = node.kind
        if kind == _REF:
            return node.name in self.empty
        if kind == _OPTIONAL:
            return not all(self._lives(part) for part in node.parts) or all(
                self._empty_or_literal(part) for part in node.parts)
        if kind == _ALL or kind == _CHOICE:
            live = [part for part in node.parts if self._lives(part)]
            return bool(live) and all(self._empty_or_literal(part) for part in live)
        return False  # an element, an atom

    def _empty_or_literal(self, node: _Node) -> bool:
        return node.source.tag == _R + "empty" or self._only_empty(node)

    def status(self, node: _Node) -> int:
        """NOT_ALLOWED, EMPTY or SOME (once the fixpoints are reached)."""
        if not self._lives(node):
            return NOT_ALLOWED
        return EMPTY if self._only_empty(node) else SOME

    def _least_fixpoint(self, proved: set[str], test, candidates: list[str]) -> None:
        """Add to ``proved`` every candidate definition for which ``test`` holds, testing again
        the definitions that use one each time one is added (a work list)."""
        pending = list(candidates)
        queued = set(pending)
        allowed = queued.copy()
        while pending:
            name = pending.pop()
            queued.discard(name)
            if name not in proved and test(self.g.defines[name]):
                proved.add(name)
                for user in self.g.users[name]:
                    if user in allowed and user not in proved and user not in queued:
                        queued.add(user)
                        pending.append(user)

    # ------------------------------------------------------------ the pruned grammar

    def grammar(self) -> etree._ElementTree:
        """The pruned, simplified grammar: the start and the definitions it still reaches."""
        source = self.g.root
        root = etree.Element(source.tag, attrib=dict(source.attrib), nsmap=source.nsmap)
        if self.status(self.g.start) == NOT_ALLOWED:
            etree.SubElement(etree.SubElement(root, _R + "start"), _R + "notAllowed")
            return etree.ElementTree(root)
        pending = self._emit(self.g.start, root)
        done: set[str] = set()
        while pending:
            name = pending.pop()
            if name not in done:
                done.add(name)
                pending.extend(self._emit(self.g.defines[name], root))
        return etree.ElementTree(root)

    def _emit(self, node: _Node, parent: etree._Element) -> list[str]:
        """Write the simplified copy of the live pattern ``node`` into ``parent``; returns the
        names of the definitions the copy refers to."""
        if node.kind in (_ATOM, _REF, _NOTHING):
            parent.append(_copy(node.source))
            return [node.name] if node.kind == _REF else []
        source = node.source
        out = etree.SubElement(parent, source.tag, attrib=dict(source.attrib), nsmap=source.nsmap)
        if node.kind == _ELEMENT and source.get("name") is None:
            out.append(_copy(next(c for c in source if _is_rng(c))))  # the name class
        refs: list[str] = []
        nullable = False
        for part in node.parts:
            state = self.status(part)
            if state == EMPTY:
                nullable = True
            elif state == SOME:
                refs.extend(self._emit(part, out))
            # (NOT_ALLOWED: only ever in a choice; anywhere else ``node`` would not be live)
        for child in _patterns(out):
            _merge_repeats(child)
        if not _patterns(out):  # every part matched only the empty sequence (an element, a definition)
            etree.SubElement(out, _R + "empty")
        elif out.tag == _R + "choice" and nullable:
            _optional_choice(out)
        elif out.tag in _COLLAPSIBLE:
            _collapse(out)
        return refs


def _copy(node: etree._Element) -> etree._Element:
    """A copy of an RNG element without annotations (foreign elements) or comments."""
    out = copy.deepcopy(node)
    for child in list(out.iter()):
        if child is not out and not _is_rng(child):
            child.getparent().remove(child)
    out.tail = None
    return out


def _optional_choice(choice: etree._Element) -> None:
    """A choice that lost a branch matching only the empty sequence: ``choice(a, b, ε)``.
    In ``zeroOrMore`` or ``optional`` the ε adds nothing; the sole part of ``oneOrMore``, it
    makes it ``zeroOrMore``; elsewhere the choice becomes ``optional(choice(a, b))``. (Never
    a nullable pattern inside a repetition: a shape tei_all does not have.)"""
    parent = choice.getparent()
    alone = len(_patterns(parent)) == 1
    if parent.tag == _R + "oneOrMore" and alone:
        parent.tag = _R + "zeroOrMore"
    elif not (parent.tag in _REPEATS and alone):
        if parent.tag in _ALL_REPEATS:  # its parts are a group: say so, the repeat holds the group
            group = etree.SubElement(parent, _R + "group")
            for part in _patterns(parent)[:-1]:
                group.append(part)
        optional = etree.Element(_R + "optional")
        choice.getparent().replace(choice, optional)
        optional.append(choice)
    _collapse(choice)


def _merge_repeats(node: etree._Element) -> None:
    """A repeat whose only part is a repeat (``oneOrMore(oneOrMore(a))``, ``optional(oneOrMore(a))``,
    left by a collapse) as the one repeat it means: a shape tei_all does not have."""
    while node.tag in _ALL_REPEATS:
        parts = _patterns(node)
        if len(parts) != 1 or parts[0].tag not in _ALL_REPEATS:
            return
        inner = parts[0]
        both = {node.tag, inner.tag}
        node.tag = (_R + "oneOrMore" if both == {_R + "oneOrMore"} else
                    _R + "optional" if both == {_R + "optional"} else _R + "zeroOrMore")
        at = node.index(inner)
        node.remove(inner)
        for offset, child in enumerate(list(inner)):
            for name in _INHERITED:
                if inner.get(name) is not None and child.get(name) is None:
                    child.set(name, inner.get(name))
            node.insert(at + offset, child)


def _collapse(node: etree._Element) -> None:
    """Replace a group or choice of one pattern with that pattern (what it inherits kept)."""
    left = _patterns(node)
    parent = node.getparent()
    if len(left) != 1 or parent is None:
        return
    only = left[0]
    for name in _INHERITED:
        if node.get(name) is not None and only.get(name) is None:
            only.set(name, node.get(name))
    parent.replace(node, only)
