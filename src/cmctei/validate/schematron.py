"""ISO Schematron for cmctei: a small compiler to XSLT 3.0, run on Saxon.

Why not an existing engine (measured on this project's machine, 2026-11):

- lxml's ``isoschematron`` is XPath 1.0 only, and our rules need XPath 2
  (``castable as xs:date``, ``tokenize``, ``every … satisfies``).
- The ISO skeleton XSLTs bundled with lxml emit an XSLT 1.0 stylesheet; run
  on SaxonC-HE 13.1 it aborts the whole process in the optimizer (loop
  lifting) unless optimisation is turned down, and its patterns copy the
  document's text into the report.
- pyschematron needs Python >= 3.12; SchXslt is not on PyPI.

The compiler below accepts the part of ISO Schematron that cmctei's rules
use — ``ns``, schema-level ``let`` (compiled to stylesheet parameters, so
cmctei can pass the person register), ``xsl:key``, ``pattern``, ``rule``
with ``let``, ``assert`` and ``report`` with ``value-of`` and ``name`` — and
refuses anything else with a clear message rather than ignoring it. Rules
inside a pattern fire first-match, as ISO requires. The location of each
failure is written as a path of child positions (``/1/3/2/@who``) that
:func:`resolve_location` maps back to the lxml element, and from there to
line and column in the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lxml import etree
from saxonche import PySaxonApiError

from cmctei import saxon
from cmctei.diagnostics import ERROR, WARNING, Diagnostic
from cmctei.xmlio import LoadedXML, safe_parser

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
CM_NS = "urn:cmctei:schematron"
XS_NS = "http://www.w3.org/2001/XMLSchema"

SCH = "{%s}" % SCH_NS
XSL = "{%s}" % XSL_NS
SVRL = "{%s}" % SVRL_NS


class SchematronError(Exception):
    """The Schematron file itself is wrong or uses an unsupported feature."""


@dataclass(frozen=True)
class Rule:
    """One assertion or report, as listed in the schema."""

    id: str
    role: str
    kind: str  # "assert" or "report"
    context: str
    pattern: str


def _fail(element: etree._Element, message: str) -> SchematronError:
    return SchematronError(f"{element.base or ''}:{element.sourceline}: {message}")


def rules(sch_path: Path) -> list[Rule]:
    """Every assertion and report with its id, in schema order."""
    root = etree.parse(str(sch_path), safe_parser()).getroot()
    found = []
    for pattern in root.iter(SCH + "pattern"):
        for rule in pattern.iter(SCH + "rule"):
            for test in rule:
                if test.tag in (SCH + "assert", SCH + "report"):
                    found.append(
                        Rule(
                            id=test.get("id", ""),
                            role=test.get("role", "error"),
                            kind=etree.QName(test).localname,
                            context=rule.get("context", ""),
                            pattern=pattern.get("id", ""),
                        )
                    )
    return found


def compile_to_xslt(sch_path: Path) -> str:
    """Translate the Schematron schema at ``sch_path`` into XSLT 3.0 text."""
    root = etree.parse(str(sch_path), safe_parser()).getroot()
    if root.tag != SCH + "schema":
        raise _fail(root, "not an ISO Schematron schema (root must be sch:schema)")
    binding = root.get("queryBinding", "")
    if binding not in ("xslt2", "xslt3"):
        raise _fail(root, f'queryBinding="{binding}" is not supported; use "xslt2" or "xslt3"')

    namespaces = {"xsl": XSL_NS, "svrl": SVRL_NS, "cm": CM_NS, "xs": XS_NS}
    for ns in root.iter(SCH + "ns"):
        namespaces[ns.get("prefix")] = ns.get("uri")
    exclude = " ".join(p for p in namespaces if p not in ("xsl", "svrl"))
    sheet = etree.Element(
        XSL + "stylesheet",
        nsmap=namespaces,
        attrib={"version": "3.0", "exclude-result-prefixes": exclude},
    )

    patterns: list[etree._Element] = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == SCH + "let":
            _sub(sheet, "param", name=child.get("name"), select=child.get("value"))
        elif child.tag == XSL + "key":
            sheet.append(_copy(child))
        elif child.tag == SCH + "pattern":
            patterns.append(child)
        elif child.tag in (SCH + "ns", SCH + "title", SCH + "p"):
            continue
        else:
            raise _fail(child, f"unsupported element {etree.QName(child).localname} in sch:schema")

    _path_function(sheet)
    main = _sub(sheet, "template", match="/")
    output = etree.SubElement(main, SVRL + "schematron-output")
    for index, pattern in enumerate(patterns, start=1):
        mode = f"p{index}"
        active = etree.SubElement(output, SVRL + "active-pattern")
        active.set("id", _literal(pattern.get("id", mode)))
        _sub(output, "apply-templates", select=_compile_pattern(sheet, pattern, mode), mode=mode)
    return etree.tostring(sheet, encoding="unicode", pretty_print=True)


def _sub(parent: etree._Element, xsl_name: str, **attrib: str | None) -> etree._Element:
    element = etree.SubElement(parent, XSL + xsl_name)
    for key, value in attrib.items():
        if value is not None:
            element.set(key.replace("_", "-"), value)
    return element


def _copy(element: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(element))
    copy.tail = None
    return copy


def _literal(value: str) -> str:
    """Escape a string for use in an attribute value template."""
    return value.replace("{", "{{").replace("}", "}}")


def _path_function(sheet: etree._Element) -> None:
    function = _sub(sheet, "function", name="cm:path", **{"as": "xs:string"})
    _sub(function, "param", name="node", **{"as": "node()"})
    _sub(
        function,
        "sequence",
        select=(
            "if ($node instance of attribute()) then concat(cm:path($node/..), '/@', "
            "if (namespace-uri($node) = '') then local-name($node) "
            "else concat('{', namespace-uri($node), '}', local-name($node))) "
            "else if ($node instance of element()) then string-join(('', "
            "for $a in $node/ancestor-or-self::* return string(count($a/preceding-sibling::*) + 1)), '/') "
            "else ''"
        ),
    )


def _compile_pattern(sheet: etree._Element, pattern: etree._Element, mode: str) -> str:
    """The templates of one pattern, in a mode of its own; returns what the main template
    applies them to.

    Every node a rule's context can match, and only those, in document order: ``//(c1) |
    //(c2) …`` for rule contexts c1, c2 …, and the first rule whose context matches fires (the
    templates' priorities), as ISO Schematron requires. Walking the whole tree once per
    pattern, elements and attributes, with a template call at every node, cost more than
    the rules themselves (issue 18). (``//(c1 | c2)`` selects the same nodes, but Saxon then
    evaluates the union from every node of the tree: a fifth of the rules' time.) A context this cannot turn into an expression (one that
    starts from the root, or uses ``current()``) makes the pattern walk the tree as before.
    """
    rule_elements = []
    for child in pattern:
        if not isinstance(child.tag, str) or child.tag in (SCH + "title", SCH + "p"):
            continue
        if child.tag != SCH + "rule":
            raise _fail(child, f"unsupported element {etree.QName(child).localname} in sch:pattern")
        rule_elements.append(child)

    contexts = [rule.get("context") or "" for rule in rule_elements]
    direct = all(c and not c.lstrip().startswith("/") and "current()" not in c and "document-node(" not in c
                 for c in contexts)
    if direct:  # a node no rule matches (there should be none) gives nothing
        _sub(sheet, "template", match="node() | @*", mode=mode, priority="-10")
    else:  # walk elements and attributes; nothing else carries rules here
        walk = _sub(sheet, "template", match="document-node() | *", mode=mode, priority="-10")
        _sub(walk, "apply-templates", select="@* | *", mode=mode)
        _sub(sheet, "template", match="@* | text() | comment() | processing-instruction()", mode=mode, priority="-10")

    for position, rule in enumerate(rule_elements):
        context = rule.get("context")
        if not context:
            raise _fail(rule, "sch:rule needs a context")
        # Earlier rules win: ISO Schematron fires only the first matching rule of a pattern.
        template = _sub(sheet, "template", match=context, mode=mode, priority=str(1000 - position))
        for item in rule:
            if not isinstance(item.tag, str):
                continue
            if item.tag == SCH + "let":
                _sub(template, "variable", name=item.get("name"), select=item.get("value"))
            elif item.tag in (SCH + "assert", SCH + "report"):
                _compile_test(template, item, pattern.get("id", mode))
            else:
                raise _fail(item, f"unsupported element {etree.QName(item).localname} in sch:rule")
        if not direct:
            _sub(template, "apply-templates", select="@* | *", mode=mode)
    if not direct or not contexts:
        return "."
    return " | ".join(f"//({context})" for context in contexts)


def _compile_test(template: etree._Element, test: etree._Element, pattern_id: str) -> None:
    expression = test.get("test")
    if not expression:
        raise _fail(test, "assert/report needs a test")
    if not test.get("id"):
        raise _fail(test, "every assert/report in cmctei has a stable id")
    is_assert = test.tag == SCH + "assert"
    condition = f"not({expression})" if is_assert else f"({expression})"
    branch = _sub(template, "if", test=condition)
    result = etree.SubElement(branch, SVRL + ("failed-assert" if is_assert else "successful-report"))
    result.set("id", _literal(test.get("id", "")))
    result.set("role", _literal(test.get("role", "error")))
    result.set("pattern", _literal(pattern_id))
    result.set("location", "{cm:path(.)}")
    message = etree.SubElement(result, SVRL + "text")
    _compile_message(message, test)


def _compile_message(target: etree._Element, source: etree._Element) -> None:
    if source.text:
        _sub(target, "text").text = source.text
    for child in source:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == SCH + "value-of":
            _sub(target, "value-of", select=child.get("select"))
        elif child.tag == SCH + "name":
            _sub(target, "value-of", select=f"name({child.get('path', '.')})")
        else:
            raise _fail(child, f"unsupported element {etree.QName(child).localname} in a message")
        if child.tail:
            _sub(target, "text").text = child.tail


def resolve_location(root: etree._Element, location: str) -> tuple[etree._Element | None, str | None]:
    """Map ``/1/3/2/@who`` to (element, attribute name in Clark notation)."""
    attribute = None
    if "/@" in location:
        location, attribute = location.split("/@", 1)
    steps = [s for s in location.split("/") if s]
    if not steps or steps[0] != "1":
        return root, attribute
    element = root
    for step in steps[1:]:
        children = [c for c in element if isinstance(c.tag, str)]
        index = int(step) - 1
        if not 0 <= index < len(children):
            return element, attribute
        element = children[index]
    return element, attribute


class SchematronValidator:
    """Compiled once per process; :meth:`check` runs it on one document."""

    def __init__(self, sch_path: Path) -> None:
        self.sch_path = sch_path
        self.xslt_text = compile_to_xslt(sch_path)
        proc = saxon.processor()
        compiler = proc.new_xslt30_processor()
        try:
            self.executable = compiler.compile_stylesheet(stylesheet_text=self.xslt_text)
        except PySaxonApiError as exc:
            raise SchematronError(f"{sch_path}: the rules do not compile: {exc}") from exc

    def check(
        self,
        loaded: LoadedXML,
        params: dict[str, str],
        *,
        release_tree: bool = False,
    ) -> list[Diagnostic]:
        """Run the rules; ``release_tree`` lets the lxml tree go while Saxon works (see
        :func:`cmctei.saxon.document`): it is parsed again only to locate a problem."""
        proc = saxon.processor()
        try:
            node = saxon.document(loaded, release_tree=release_tree)
            self.executable.clear_parameters()
            for name, value in params.items():
                self.executable.set_parameter(name, proc.make_string_value(value))
            report = self.executable.transform_to_string(xdm_node=node)
        except PySaxonApiError as exc:
            return [
                Diagnostic(loaded.display, 1, 1, ERROR, "schematron-run", f"The rules could not be run on this file: {exc}")
            ]
        return list(self._diagnostics(loaded, report or ""))

    @staticmethod
    def _diagnostics(loaded: LoadedXML, report: str):
        svrl = etree.fromstring(report.encode("utf-8"), safe_parser())
        for result in svrl:
            if result.tag not in (SVRL + "failed-assert", SVRL + "successful-report"):
                continue
            element, attribute = resolve_location(loaded.root, result.get("location", ""))
            line, col = loaded.locate(element, attribute)
            severity = WARNING if result.get("role") == "warning" else ERROR
            message = "".join(result.itertext())
            yield Diagnostic(loaded.display, line, col, severity, result.get("id", "schematron"), message)


ParamsFor = Callable[[LoadedXML], dict[str, str]]
