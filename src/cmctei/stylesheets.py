"""Stylesheet modules: ``xsl:include`` and ``xsl:import`` resolved by cmctei, not by Saxon.

Saxon is never allowed to read a file (see :mod:`cmctei.saxon`), not even a
stylesheet module, so cmctei reads the modules itself and hands Saxon one
stylesheet text. Only the stylesheet folders may be read: cmctei's own
``xslt/`` and the folder of the entry stylesheet (a customisation given with
``cmctei publish --stylesheets DIR``). ``cmctei:NAME`` names cmctei's own
module wherever cmctei is installed (``<xsl:import href="cmctei:html.xsl"/>``).

``xsl:include`` is textual inclusion: the module's declarations take the
place of the instruction. ``xsl:import`` is not: the importing module's
declarations win over the imported ones (import precedence). The modules
are flattened into one stylesheet with the same meaning:

* every module gets its import precedence (a post-order walk of the import
  tree: an imported module is lower than the module importing it, a later
  import higher than an earlier one);
* of named declarations (named templates, functions, global variables and
  parameters, accumulators, character maps) only the highest-precedence one
  of each name is kept, as XSLT does; ``xsl:output`` and ``xsl:mode``
  declarations of one name are merged attribute by attribute, the higher
  precedence winning; keys and attribute sets are kept (XSLT merges them);
* template rules keep their order and get priority bands: a rule of a
  higher-precedence module gets a priority above every rule of a lower one,
  its own (explicit or default) priority kept inside the band, so the rule
  XSLT would choose is still the one chosen, and ``xsl:next-match`` goes on
  to the rule XSLT would go on to. ``xsl:apply-imports`` becomes
  ``xsl:next-match`` (the same rule unless the current module has another,
  lower-priority rule for the node);
* each moved declaration keeps its own module's namespace declarations and
  standard attributes (``xpath-default-namespace``, ``exclude-result-prefixes``,
  ``expand-text``, ``default-mode``, ``version`` …), so a prefix declared on
  an included or imported module's root still means what it meant there.

A stylesheet without ``xsl:import`` is only inlined: its template rules are
not touched. Each element of the result remembers the file and line it came
from, so Saxon's messages are reported at the author's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from cmctei import paths
from cmctei.diagnostics import StylesheetError
from cmctei.xmlio import safe_parser

XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XSL = "{%s}" % XSL_NS
CMCTEI_SCHEME = "cmctei:"

# standard attributes of a module's root that apply to every declaration in it
STANDARD = ("version", "xpath-default-namespace", "exclude-result-prefixes", "extension-element-prefixes",
            "expand-text", "default-mode", "default-collation", "default-validation")
# declarations of which only the highest-precedence one of a name counts
NAMED = {"template": "name", "function": "name", "variable": "name", "param": "name",
         "accumulator": "name", "character-map": "name"}
MERGED = ("output", "mode")
# what a standard attribute is when a module does not say (so a host's value does not leak in)
NEUTRAL = {"xpath-default-namespace": "", "expand-text": "no", "default-mode": "#unnamed"}

Origin = tuple[Path, int]


@dataclass
class Module:
    """A module with its includes inlined: one import precedence."""

    path: Path
    root: etree._Element
    imports: list["Module"] = field(default_factory=list)


def shown(path: Path) -> str:
    """A stylesheet's path as the user knows it: relative to where they are, if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Flattener:
    """Reads an entry stylesheet and its modules from the allowed folders only."""

    def __init__(self, entry: Path, folders: list[Path] | None = None) -> None:
        self.entry = entry.resolve()
        own = (paths.project_root() / "xslt").resolve()
        self.own = own
        self.folders = [f.resolve() for f in (folders or [])] or [self.entry.parent]
        if own not in self.folders:
            self.folders.append(own)
        self.origins: dict[etree._Element, Origin] = {}

    # ------------------------------------------------------------ reading

    def resolve(self, href: str, base: Path, at: Origin) -> Path:
        """The file an include or import names; only inside a stylesheet folder."""
        if href.startswith(CMCTEI_SCHEME):
            target = self.own / href[len(CMCTEI_SCHEME):]
        else:
            parsed = urlparse(href)
            if parsed.scheme == "file":
                target = Path(unquote(parsed.path))
            elif parsed.scheme and len(parsed.scheme) > 1:
                raise StylesheetError(shown(at[0]), at[1], 0,
                                      f"{href!r}: a stylesheet module must be a file in a stylesheet folder "
                                      f"(relative to this one, or cmctei:NAME for cmctei's own); "
                                      "cmctei reads no URL")
            else:
                target = base.parent / unquote(href)
        target = target.resolve()
        if not any(target.is_relative_to(folder) for folder in self.folders):
            allowed = ", ".join(shown(f) for f in self.folders)
            raise StylesheetError(shown(at[0]), at[1], 0,
                                  f"{href!r} is outside the stylesheet folders ({allowed}); "
                                  "a module may only come from one of them")
        return target

    def parse(self, path: Path) -> etree._Element:
        try:
            root = etree.parse(str(path), safe_parser()).getroot()
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (0, 0)
            raise StylesheetError(shown(path), line, col, f"the stylesheet is not well-formed XML: {exc.msg}") from exc
        except OSError as exc:
            raise StylesheetError(shown(path), 0, 0,
                                  f"the stylesheet cannot be read: {exc.strerror or exc}") from exc
        for element in root.iter(tag=etree.Element):
            self.origins[element] = (path, element.sourceline or 0)
        return root

    def module(self, path: Path, chain: tuple[Path, ...] = ()) -> Module:
        """``path`` with its includes inlined (recursively), and the modules it imports."""
        if path in chain:
            raise StylesheetError(shown(path), 0, 0, "the module includes or imports itself (a cycle)")
        root = self.parse(path)
        if root.tag not in (XSL + "stylesheet", XSL + "transform"):
            raise StylesheetError(shown(path), root.sourceline or 0, 0,
                                  "not a stylesheet module (the root must be xsl:stylesheet; "
                                  "simplified stylesheets cannot be imported)")
        module = Module(path, root)
        for child in list(root):
            if not isinstance(child.tag, str):
                continue
            at = self.origins.get(child, (path, 0))
            if child.tag == XSL + "import":
                module.imports.append(self.module(self.resolve(child.get("href", ""), path, at), chain + (path,)))
                root.remove(child)
            elif child.tag == XSL + "include":
                included = self.module(self.resolve(child.get("href", ""), path, at), chain + (path,))
                module.imports.extend(included.imports)
                position = root.index(child)
                root.remove(child)
                for offset, declaration in enumerate(self.declarations(included, host=root)):
                    root.insert(position + offset, declaration)
            elif child.tag in (XSL + "use-package", XSL + "import-schema"):
                raise StylesheetError(shown(at[0]), at[1], 0,
                                      f"xsl:{etree.QName(child).localname} is not supported by cmctei's "
                                      "stylesheet loader")
        return module

    def declarations(self, module: Module, host: etree._Element | None = None) -> list[etree._Element]:
        """The module's top-level elements, each carrying what its module root declared."""
        out = []
        for child in list(module.root):
            if isinstance(child.tag, str):
                out.append(self.carry(child, module.root, host))
        return out

    def carry(self, declaration: etree._Element, root: etree._Element,
              host: etree._Element | None = None) -> etree._Element:
        """``declaration`` as an element that declares, itself, the namespaces and standard
        attributes it had from its module's root (an element moved to another root would
        otherwise lose the prefixes its XPath expressions use: XTSE0280), and does not take
        those of the root it goes under (``host``)."""
        nsmap = dict(root.nsmap)
        nsmap.update(declaration.nsmap)
        copy = etree.Element(declaration.tag, nsmap=nsmap)
        for name, value in declaration.attrib.items():
            copy.set(name, value)
        if declaration.tag.startswith(XSL):
            for name in STANDARD:
                if root.get(name) is not None and declaration.get(name) is None:
                    copy.set(name, root.get(name))
                elif host is not None and host.get(name) is not None and copy.get(name) is None \
                        and name in NEUTRAL:
                    copy.set(name, NEUTRAL[name])
        copy.text = declaration.text
        for child in list(declaration):
            copy.append(child)
        self.origins[copy] = self.origins.get(declaration, (Path(), 0))
        return copy

    # ------------------------------------------------------------ flattening

    def flatten(self) -> tuple[str, list[Origin]]:
        """The stylesheet text Saxon compiles, and for each of its elements (in document
        order) the file and line it comes from."""
        principal = self.module(self.entry)
        if not principal.imports:  # only includes: the text as it is
            root = principal.root
        else:
            root = self.merge(principal)
        text = etree.tostring(root, encoding="unicode")
        origins = [self.origins.get(e, (self.entry, 0)) for e in root.iter(tag=etree.Element)]
        return text, origins

    def merge(self, principal: Module) -> etree._Element:
        order: list[Module] = []

        def walk(module: Module) -> None:
            for imported in module.imports:
                walk(imported)
            order.append(module)

        walk(principal)  # lowest precedence first
        levels = [[d for d in self.declarations(m)] for m in order]
        # named declarations: the highest precedence of each name wins
        winner: dict[tuple, int] = {}
        for level, declarations in enumerate(levels):
            for d in declarations:
                key = _component_key(d)
                if key is not None:
                    winner[key] = level
        band = 1 + max([abs(p) for ds in levels for d in ds for p in _explicit_priorities(d)] + [1])
        band = 10 ** len(str(int(band) + 1))
        root = etree.Element(XSL + "stylesheet", nsmap=principal.root.nsmap)
        root.set("version", principal.root.get("version", "3.0"))
        self.origins[root] = self.origins.get(principal.root, (principal.path, 0))
        merged: dict[tuple[str, str], etree._Element] = {}
        for level, declarations in enumerate(levels):
            for d in declarations:
                key = _component_key(d)
                if key is not None and winner[key] != level:
                    if key[0] != "template" or d.get("match") is None:
                        continue  # overridden by a module of higher precedence
                    del d.attrib["name"]  # the rule stays; its name is the other module's
                local = etree.QName(d).localname if d.tag.startswith(XSL) else ""
                if local in MERGED:
                    name = _expanded(d, d.get("name", ""))
                    if (local, name) in merged:
                        for attribute, value in d.attrib.items():
                            merged[(local, name)].set(attribute, value)
                        continue
                    merged[(local, name)] = d
                if local == "template" and d.get("match") is not None:
                    originals = list(d.iter(tag=etree.Element))
                    for rule in _banded(d, level * band):
                        for source, element in zip(originals, rule.iter(tag=etree.Element)):
                            self.origins.setdefault(element, self.origins.get(source, (Path(), 0)))
                        root.append(rule)
                    continue
                root.append(d)
        for apply_imports in root.iter(XSL + "apply-imports"):
            apply_imports.tag = XSL + "next-match"
        return root


def _expanded(element: etree._Element, name: str) -> str:
    """A QName-valued attribute as {uri}local, resolved with the element's namespaces."""
    if ":" in name and not name.startswith("Q{"):
        prefix, local = name.split(":", 1)
        return "{%s}%s" % (element.nsmap.get(prefix, prefix), local)
    return name


def _component_key(declaration: etree._Element) -> tuple | None:
    if not declaration.tag.startswith(XSL):
        return None
    local = etree.QName(declaration).localname
    attribute = NAMED.get(local)
    if attribute is None or declaration.get(attribute) is None:
        return None
    name = _expanded(declaration, declaration.get(attribute))
    if local == "function":
        return (local, name, sum(1 for c in declaration if c.tag == XSL + "param"))
    if local in ("variable", "param"):
        return ("global", name)
    return (local, name)


def _explicit_priorities(declaration: etree._Element) -> list[float]:
    value = declaration.get("priority") if declaration.tag == XSL + "template" else None
    try:
        return [float(value)] if value is not None else []
    except ValueError:
        return []


def _banded(template: etree._Element, base: int) -> list[etree._Element]:
    """The template rule with its priority moved up by ``base``; a union pattern whose
    alternatives have different default priorities becomes one rule per alternative
    (which is what XSLT 3.0 says it is)."""
    explicit = template.get("priority")
    if explicit is not None:
        template.set("priority", _number(base + float(explicit)))
        return [template]
    alternatives = split_union(template.get("match", ""))
    priorities = [default_priority(a) for a in alternatives]
    if len(set(priorities)) == 1:
        template.set("priority", _number(base + priorities[0]))
        return [template]
    rules = []
    for index, (pattern, priority) in enumerate(zip(alternatives, priorities)):
        rule = template if index == len(alternatives) - 1 else _deep_copy(template)
        if index and rule.get("name") is not None:
            del rule.attrib["name"]  # a name belongs to one rule only
        rule.set("match", pattern)
        rule.set("priority", _number(base + priority))
        rules.append(rule)
    if rules[0].get("name") is None and template.get("name") is not None:
        rules[0].set("name", template.get("name"))
    return rules


def _deep_copy(element: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(element))
    return copy


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def split_union(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (``a | b``, ``a union b``)."""
    parts, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(pattern):
        c = pattern[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and c == "|":
            parts.append(pattern[start:i])
            start = i + 1
        elif depth == 0 and pattern.startswith("union", i) and (i == 0 or pattern[i - 1].isspace()) \
                and i + 5 < len(pattern) and pattern[i + 5].isspace():
            parts.append(pattern[start:i])
            start = i + 5
        i += 1
    parts.append(pattern[start:])
    return [p.strip() for p in parts if p.strip()]


_NAME = r"[^\W\d][\w.\-]*"
_QNAME = rf"(?:{_NAME}:)?{_NAME}|Q\{{[^}}]*\}}{_NAME}"
_AXIS = r"(?:child::|attribute::|@)?\s*"


def default_priority(pattern: str) -> float:
    """XSLT 3.0's default priority of one alternative of a pattern (section 6.5)."""
    p = re.sub(r"\s+", " ", pattern.strip())
    if p == "/":
        return -0.5
    if p == ".":
        return -1
    if p.startswith(".["):
        return 1
    if re.fullmatch(rf"{_AXIS}(?:{_QNAME})", p):
        return 0
    if re.fullmatch(rf"{_AXIS}(?:{_NAME}:\*|\*:{_NAME}|Q\{{[^}}]*\}}\*)", p):
        return -0.25
    if re.fullmatch(rf"{_AXIS}(?:\*|(?:node|text|comment|element|attribute|document-node|processing-instruction"
                    rf"|namespace-node)\(\s*\*?\s*\))", p):
        return -0.5
    if re.fullmatch(rf"{_AXIS}(?:element|attribute)\(\s*(?:{_QNAME})\s*\)", p):
        return 0
    if re.fullmatch(rf"{_AXIS}(?:element|attribute)\(\s*(?:{_QNAME}|\*)\s*,.*\)", p):
        return 0.25 if not re.match(rf"{_AXIS}(?:element|attribute)\(\s*\*", p) else 0
    if re.fullmatch(r"processing-instruction\(\s*['\"]?[\w.\-]+['\"]?\s*\)", p):
        return 0
    if re.fullmatch(r"document-node\(\s*(?:schema-)?element\(.*\)\s*\)", p):
        return 0
    return 0.5
