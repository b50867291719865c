"""A RELAX NG grammar with each element's optional attributes as one repeated choice.

Why: libxml2 validates an ``optional`` by copying its validation state (the element's
attributes among it), trying the pattern, and restoring the copy when it fails. tei_all gives
every element some forty optional attributes (``att.global`` and its classes), so each element
of a document costs some forty such copies, whether it has attributes or not: measured on the
bench's masters (355 elements and 285 attributes a document), the attributes were 93 % of
the time libxml2 took to validate a master against the grammar pruned to the profile (1.15
ms a document; 0.085 ms with no attributes in grammar or document). This module writes the
same language in a shape that costs far less: 0.60 ms a document (issue 18).

**The rewrite.** In each element pattern with a plain name, the attributes it may have
(``optional`` around one ``attribute`` with a plain name, written there or reached through
references to definitions that hold nothing else) are taken out of its content and put back
as one ``zeroOrMore`` of a ``choice``; attributes whose values have the same pattern share
one ``attribute`` whose name class is the ``choice`` of their names::

    group(a?, b?, c?, rest)  ->  group(rest, (attribute {a, b} V1 | attribute c V2)*)

**Exact.** An element's attributes are a set with distinct names (XML allows an attribute once
per element). The original content matches an element when its attributes named ``a``, ``b``,
``c`` each have a value its pattern accepts and ``rest`` matches the others (group splits the
attributes among its members; ``rest`` can match no attribute of those names: it is checked to
have no attribute pattern but ones with other plain names, so none is taken from it). The
repeated choice matches exactly a set of attributes with names among them, each with a value
its own pattern accepts: the same condition. Values are compared as patterns (element names,
attributes and the text of ``value`` and ``param``, with the inherited ``ns`` and
``datatypeLibrary`` written out on the copy, so that moving a pattern never changes its
meaning), never as what they accept: two patterns that accept the same values but are written
differently stay apart, which costs speed, not exactness. ``ID``, ``IDREF`` and ``IDREFS``
values stay one name each (what the DTD compatibility rules that libxml2 follows expect).
RELAX NG's restrictions hold: attributes under ``zeroOrMore`` and ``choice`` are allowed, and
the names in one ``group`` still do not overlap.

Whatever the rewrite does not understand (an element named by a name class, an attribute in a
shape other than the above, a name met twice) is left as it is. The caller uses the result only
to accept: a document it refuses goes to the grammar it was made from, whose verdict and
messages count (``TeiAllValidator.check``), so even a mistake here could only cost time if the
result were stricter. ``tests/test_tei_all_attributes.py`` compares the two on 2,000+ attribute
variants of the masters and fixtures, and on crafted grammars; ``tests/test_conformance.py``
compares the result with the full tei_all on every master, fixture and development document
and their mutations.
"""

from __future__ import annotations

import copy

from lxml import etree

from cmctei.validate.pruning import RNG_NS

_R = "{%s}" % RNG_NS
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_KEEP_ALONE = {"ID", "IDREF", "IDREFS"}  # datatypes whose attributes keep a plain name


def rewrite(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy of the grammar ``tree`` with the element patterns' optional attributes merged."""
    root = copy.deepcopy(tree.getroot())
    defines: dict[str, etree._Element] = {}
    for child in root.iterchildren(_R + "define"):
        if child.get("combine") is not None or child.get("name") in defines:
            return etree.ElementTree(root)  # combined definitions: left as they are
        defines[child.get("name")] = child
    for element in list(root.iter(_R + "element")):
        if element.get("name") is not None:
            _rewrite_element(element, defines)
    return etree.ElementTree(root)


def _rewrite_element(element: etree._Element, defines: dict[str, etree._Element]) -> None:
    taken: list[etree._Element] = []   # children of the element that hold only optional attributes
    found: list[etree._Element] = []   # the attribute patterns they hold
    for child in element.iterchildren(_R + "*"):
        attributes = _only_optional_attributes(child, defines, set())
        if attributes is not None and attributes:
            taken.append(child)
            found.extend(attributes)
    if len(found) < 2:
        return
    names = [_attribute_name(a) for a in found]
    if len(set(names)) != len(names) or any(ns.startswith("?") for ns, _ in names):
        return  # a name met twice, or a prefix not declared where the grammar says it
    others: set[tuple[str, str]] = set()
    for child in element.iterchildren(_R + "*"):
        if child not in taken and not _other_attributes(child, defines, set(), others):
            return  # an attribute the rewrite cannot see by name: leave the element alone
    if others & set(names):
        return
    groups: dict[bytes, list[etree._Element]] = {}
    for attribute in found:
        value = _moved(attribute)
        key = _key(value) if not _keeps_its_name(value) else b"alone " + repr(_attribute_name(attribute)).encode()
        groups.setdefault(key, []).append(value)
    choice = etree.Element(_R + "choice")
    for values in groups.values():
        choice.append(_merged(values))
    for child in taken:
        element.remove(child)
    repeat = etree.SubElement(element, _R + "zeroOrMore")
    if len(choice) == 1:
        repeat.append(choice[0])
    else:
        repeat.append(choice)


def _only_optional_attributes(node: etree._Element, defines: dict[str, etree._Element],
                              seen: set[str]) -> list[etree._Element] | None:
    """The attribute patterns of ``node`` when it is nothing but optional attributes with plain
    names (through references and ``empty``), else None."""
    if node.tag == _R + "optional":
        children = list(node.iterchildren(_R + "*"))
        if len(children) == 1 and children[0].tag == _R + "attribute" and children[0].get("name"):
            return [children[0]]
        return None
    if node.tag == _R + "empty":
        return []
    if node.tag == _R + "ref":
        name = node.get("name")
        if name in seen or name not in defines:
            return None
        out: list[etree._Element] = []
        for child in defines[name].iterchildren(_R + "*"):
            found = _only_optional_attributes(child, defines, seen | {name})
            if found is None:
                return None
            out.extend(found)
        return out
    return None


def _other_attributes(node: etree._Element, defines: dict[str, etree._Element], seen: set[str],
                      names: set[tuple[str, str]]) -> bool:
    """Add to ``names`` the names of the attribute patterns in ``node`` (not inside the element
    patterns it holds); False when one has no plain name."""
    if node.tag == _R + "attribute":
        if not node.get("name"):
            return False
        names.add(_attribute_name(node))
        return True
    if node.tag == _R + "element":
        return True
    if node.tag == _R + "ref":
        name = node.get("name")
        if name in seen:
            return True
        if name not in defines:
            return False
        return all(_other_attributes(c, defines, seen | {name}, names) for c in defines[name].iterchildren(_R + "*"))
    if node.tag in (_R + "parentRef", _R + "externalRef", _R + "grammar", _R + "include"):
        return False
    return all(_other_attributes(c, defines, seen, names) for c in node.iterchildren(_R + "*"))


def _attribute_name(attribute: etree._Element) -> tuple[str, str]:
    """(namespace, local name) of an attribute pattern with a ``name``: a prefix is resolved in
    the grammar's scope; without one, the ``ns`` of the pattern itself (attributes do not
    inherit it: RELAX NG 4.8)."""
    name = attribute.get("name") or ""
    if ":" in name:
        prefix, local = name.split(":", 1)
        return (_XML_NS if prefix == "xml" else (attribute.nsmap.get(prefix) or "?" + prefix), local)
    return (attribute.get("ns") or "", name)


def _inherited(node: etree._Element, attribute: str, top: etree._Element | None = None, outside: str = "") -> str:
    """The value of ``attribute`` that ``node`` inherits from its ancestors (up to ``top``,
    below which ``outside`` holds), or ``outside``."""
    for ancestor in node.iterancestors():
        if ancestor is top:
            break
        if ancestor.get(attribute) is not None:
            return ancestor.get(attribute) or ""
    return outside


def _moved(attribute: etree._Element) -> etree._Element:
    """A copy of ``attribute`` whose meaning does not depend on where it is put: the inherited
    ``datatypeLibrary`` and ``ns`` written out on its value patterns."""
    out = copy.deepcopy(attribute)
    ns_name, local = _attribute_name(attribute)
    out.set("name", local)  # (a prefix would mean another namespace, or none, where the copy goes)
    out.set("ns", ns_name)
    # (datatypeLibrary is inherited by every descendant: written on the copy itself, it means
    # there what it meant where the copy was taken; ns is not written there, on an attribute
    # with a name it would name the attribute's namespace, so it goes on what inherits it)
    out.set("datatypeLibrary", attribute.get("datatypeLibrary", _inherited(attribute, "datatypeLibrary")))
    ns = _inherited(attribute, "ns")
    for node in out.iter(_R + "value", _R + "name", _R + "nsName"):
        if node.get("ns") is None:
            node.set("ns", _inherited(node, "ns", top=out, outside=ns))
    return out


def _keeps_its_name(attribute: etree._Element) -> bool:
    return any(node.get("type") in _KEEP_ALONE for node in attribute.iter(_R + "data", _R + "value"))


def _key(attribute: etree._Element) -> bytes:
    """The value pattern of ``attribute`` written canonically: names, attributes, and the text
    of ``value`` and ``param`` as it is (elsewhere RELAX NG ignores text)."""
    parts: list[str] = [f"library={attribute.get('datatypeLibrary')!r}"]
    for node in attribute.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        depth = sum(1 for _ in node.iterancestors()) - sum(1 for _ in attribute.iterancestors())
        text = node.text or "" if node.tag in (_R + "value", _R + "param") else ""
        parts.append(f"{depth} {node.tag} {sorted(node.attrib.items())!r} {text!r}")
    return "\n".join(parts).encode("utf-8")


def _merged(values: list[etree._Element]) -> etree._Element:
    """One attribute pattern for attributes whose value patterns are the same."""
    if len(values) == 1:
        return values[0]
    first = values[0]
    out = etree.Element(_R + "attribute", datatypeLibrary=first.get("datatypeLibrary", ""))
    names = etree.SubElement(out, _R + "choice")
    for value in values:
        ns, local = _attribute_name(value)
        etree.SubElement(names, _R + "name", ns=ns).text = local
    for child in first.iterchildren():
        if isinstance(child.tag, str):
            out.append(copy.deepcopy(child))
    return out
