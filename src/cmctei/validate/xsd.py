"""XML Schema layer: structure and closed vocabularies (schemas/cmctei.xsd).

``xmlschema`` is used because it explains failures: which attribute, which
allowed values, which child was expected. Its raw reasons are rewritten
here into sentences for editors, each with a rule id:

- ``vocab-<list>``: a value outside a closed list (the list is the XSD
  simple type ``<list>-vocab``), e.g. ``vocab-gap-reason``;
- ``xsd-element``: an element not allowed here, or one missing;
- ``xsd-attribute``: an attribute not allowed, or a required one missing;
- ``xsd-text``: text where only elements may stand;
- ``xsd-value``: a value of the wrong type (a number, a duration);
- ``xsd-root``: the root element is not TEI;
- ``xsd``: anything else, with xmlschema's own words.

libxml2 (lxml) checks first: it is about 50 times faster than xmlschema,
which is pure Python. Only a file libxml2 rejects is re-checked by
xmlschema, for the detailed report. A test holds the two engines to the
same verdict on every case of the rule battery.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.xmlio import TEI_NS, XML_NS, LoadedXML, safe_parser

if TYPE_CHECKING:  # imported where used: a run in which every file passes never needs it
    import xmlschema

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_ATTRIBUTE_IN_REASON = re.compile(r"attribute (?P<name>[^\s=]+)=")
_MISSING_ATTRIBUTE = re.compile(r"missing required attribute '(?P<name>[^']+)'")
_NOT_ALLOWED_ATTRIBUTE = re.compile(r"'(?P<name>[^']+)' attribute not allowed")


def short(name: str | None) -> str:
    """Clark name to the prefix form an editor reads (tei: dropped, xml: kept)."""
    if not name:
        return ""
    if name.startswith("{" + TEI_NS + "}"):
        return name.split("}", 1)[1]
    if name.startswith("{" + XML_NS + "}"):
        return "xml:" + name.split("}", 1)[1]
    return name


_TYPE_WORDS = {
    "decimal": "a decimal number (e.g. 7 or 1.5)",
    "duration": "an ISO 8601 duration (e.g. PT7S or PT1M37S)",
    "nonNegativeInteger": "a whole number (0, 1, 2 …)",
    "language": "a language code (e.g. en, ru)",
    "NCName": "a name without spaces or colons",
    "NMTOKEN": "a single word without spaces",
    "anyURI": "a pointer (e.g. #id or persons.xml#id)",
    "time": "a time of day (e.g. 17:45:00)",
    "dateTime": "a date and time (e.g. 1962-11-14T17:45:00)",
    "clock": "a time of day (e.g. 17:45:00) or a date and time",
    "nonEmptyToken": "a non-empty value",
}


def _allowed_children(group: object) -> str:
    """Names of the elements a content model accepts, for a hint."""
    names: list[str] = []
    iterate = getattr(group, "iter_elements", None)
    if iterate is None:
        return ""
    for element in iterate():
        name = short(getattr(element, "name", None))
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


def _clark(name: str) -> str:
    if name.startswith("xml:"):
        return "{%s}%s" % (XML_NS, name[4:])
    return name


class XsdValidator:
    """The profile schema, compiled once per process."""

    def __init__(self, xsd_path: Path) -> None:
        # libxml2 decides (fast); xmlschema explains the failures (readable reasons).
        # xmlschema is compiled only when a file fails (docs/performance.md).
        self.xsd_path = xsd_path
        self.fast = etree.XMLSchema(etree.parse(str(xsd_path), safe_parser()))
        self._schema: xmlschema.XMLSchema10 | None = None

    @property
    def schema(self) -> xmlschema.XMLSchema10:
        """xmlschema's compiled schema, made (and the library imported: a tenth of a second,
        in every process that validates or publishes) only when a file fails."""
        if self._schema is None:
            import xmlschema

            self._schema = xmlschema.XMLSchema10(str(self.xsd_path))
        return self._schema

    @property
    def vocabularies(self) -> dict[str, list[str]]:
        return {
            short(name): [str(v) for v in (t.enumeration or [])]
            for name, t in self.schema.types.items()
            if short(name).endswith("-vocab")
        }

    def check(self, loaded: LoadedXML) -> list[Diagnostic]:
        root = loaded.root
        if root.tag != "{%s}TEI" % TEI_NS:
            line, col = loaded.locate(root)
            qname = etree.QName(root)
            if qname.localname == "TEI":
                found = f"<TEI> in the namespace \"{qname.namespace}\"" if qname.namespace else "<TEI> without a namespace"
            else:
                found = f"<{short(root.tag)}>"
            return [
                Diagnostic(
                    loaded.display, line, col, ERROR, "xsd-root",
                    f"The root element is {found}; a cmctei file is a TEI document: "
                    f"<TEI xmlns=\"{TEI_NS}\">.",
                )
            ]
        if self.fast.validate(loaded.tree):
            return []
        problems = self._schema_instance_attributes(loaded)
        try:
            for error in self.schema.iter_errors(loaded.tree):
                problems.append(self._translate(loaded, error))
        except Exception:  # noqa: BLE001 -- xmlschema gave up on the file (an xsi:type it cannot resolve)
            problems += self._libxml2_errors(loaded)
        return problems

    def _schema_instance_attributes(self, loaded: LoadedXML) -> list[Diagnostic]:
        """xsi:type, xsi:nil and the like: they would make the schema validator change its own
        rules for the element (``xsi:type="foo"`` once stopped it with an internal error)."""
        found = []
        for attribute in loaded.root.xpath("//@*[namespace-uri() = $ns]", ns=XSI_NS):
            element, name = attribute.getparent(), attribute.attrname
            line, col = loaded.locate(element, name)
            found.append(Diagnostic(
                loaded.display, line, col, ERROR, "xsd-attribute",
                f"<{short(element.tag)}> has xsi:{etree.QName(name).localname}=\"{attribute}\": attributes of "
                "the XML Schema instance namespace are not used in cmctei files; remove it."))
        return found

    def _libxml2_errors(self, loaded: LoadedXML) -> list[Diagnostic]:
        """libxml2's own reasons, with its line numbers, for a file xmlschema could not explain."""
        return [Diagnostic(loaded.display, entry.line or 0, max(entry.column, 0), ERROR, "xsd",
                           " ".join(entry.message.split()))
                for entry in self.fast.error_log if XSI_NS not in entry.message]

    def _translate(self, loaded: LoadedXML, error: xmlschema.XMLSchemaValidationError) -> Diagnostic:
        import xmlschema

        element = error.elem if isinstance(error.elem, etree._Element) else None
        reason = error.reason or str(error)
        tag = short(element.tag) if element is not None else "?"

        def at(target: etree._Element | None, attribute: str | None, rule: str, message: str) -> Diagnostic:
            line, col = loaded.locate(target, attribute)
            return Diagnostic(loaded.display, line, col, ERROR, rule, message)

        validator = error.validator
        if isinstance(validator, xmlschema.validators.XsdEnumerationFacets):
            type_name = short(getattr(validator.parent, "name", None))
            match = _ATTRIBUTE_IN_REASON.search(reason)
            attribute = match.group("name") if match else None
            allowed = ", ".join(str(v) for v in validator.enumeration)
            rule = "vocab-" + type_name[: -len("-vocab")] if type_name.endswith("-vocab") else "xsd-value"
            where = f"{tag}/@{attribute}" if attribute else tag
            return at(
                element, _clark(attribute) if attribute else None, rule,
                f'{where}="{error.obj}" is not a value of this profile; use one of: {allowed}.',
            )

        if isinstance(error, xmlschema.XMLSchemaChildrenValidationError):
            expected = ", ".join(short(getattr(e, "name", None) or str(e)) for e in (error.expected or []))
            child = error.invalid_child if isinstance(error.invalid_child, etree._Element) else None
            if child is not None:
                if expected:
                    hint = f" Expected here: {expected}."
                else:
                    allowed = _allowed_children(validator)
                    hint = f" Allowed inside <{tag}>: {allowed}." if allowed else f" <{tag}> takes no elements."
                return at(child, None, "xsd-element",
                          f"<{short(child.tag)}> is not allowed at this place inside <{tag}>.{hint}")
            hint = f" Missing: {expected}." if expected else ""
            return at(element, None, "xsd-element", f"<{tag}> is incomplete.{hint}")

        match = _MISSING_ATTRIBUTE.search(reason)
        if match:
            name = short(match.group("name"))
            return at(element, None, "xsd-attribute", f"<{tag}> needs the attribute {name}.")
        match = _NOT_ALLOWED_ATTRIBUTE.search(reason)
        if match:
            name = short(match.group("name"))
            return at(element, _clark(match.group("name")), "xsd-attribute",
                      f"<{tag}> does not take the attribute {name} in this profile.")
        if "character data" in reason and "not allowed" in reason:
            return at(element, None, "xsd-text",
                      f"Text is not allowed directly inside <{tag}>: put it in a paragraph or the right child element.")
        match = _ATTRIBUTE_IN_REASON.search(reason)
        if isinstance(error, xmlschema.XMLSchemaDecodeError) or match:
            attribute = match.group("name") if match else None
            type_name = short(getattr(validator, "name", None)).split("}")[-1]
            wanted = _TYPE_WORDS.get(type_name.replace("xs:", ""), f"a valid {type_name}" if type_name else "a valid value")
            where = f"{tag}/@{attribute}" if attribute else f"<{tag}>"
            return at(element, _clark(attribute) if attribute else None, "xsd-value",
                      f'{where}="{error.obj}" is not {wanted}.')
        return at(element, None, "xsd", f"<{tag}>: {reason}")
