"""What makes the site deployable and harvestable: the TEI download, the sitemap and the
static OAI-PMH repository.

- ``build/html/tei.zip``: every published TEI file with the register and the schemas it
  points at, as they stand in ``build/html`` (``tei/…``, ``schemas/…``): unpacked, it
  validates where it stands. Byte-reproducible: entries sorted, fixed timestamps and
  permissions, one compression level. Made again only when one of its files changed, and
  then only the changed files are compressed (:mod:`cmctei.teizip`).
- ``build/html/sitemap.xml`` (sitemaps.org): every page, by its absolute address. The
  protocol allows absolute addresses only, so it is written only when the site's address
  is known (``--base-url``); without it, none is written (and an old one is removed).
- ``build/html/oai.xml``: an OAI-PMH *static repository*
  (http://www.openarchives.org/OAI/2.0/static-repository), every document's Dublin Core
  record (``dc.xsl``) in ``oai_dc``, for a static repository gateway to serve to
  harvesters. OAI-PMH wants the repository's address, identifiers made from its host name
  and an administrator's e-mail address, so it is written only with ``--base-url`` and
  ``--admin-email``. A record's datestamp is the newest date of its document's
  ``revisionDesc``; for a document without one, the repository's datestamp: the day of
  ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the newest
  revision date of the collection and its register (never the clock: the same inputs
  give the same bytes).

The per-document records themselves (``build/html/dc/<docid>.xml``) are written with
each page (:meth:`cmctei.publish.Publisher.write_outputs`) and kept in the manifest, so
that an incremental run lists unchanged documents without transforming them again.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from lxml import etree

from cmctei import cache, xmlio
from cmctei.diagnostics import ERROR, Diagnostic
from cmctei.output_paths import write_output
from cmctei.teizip import SEEN_NAME, ZIP_STAMP, write_zip

if TYPE_CHECKING:
    from cmctei.publish import Publisher

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SR_NS = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")


class BadAdminEmail(ValueError):
    """The OAI administrator's address is not an e-mail address."""


def admin_email_setting(value: str) -> str:
    value = value.strip()
    if not EMAIL.fullmatch(value) or any(ch in value for ch in '<>"&'):
        raise BadAdminEmail(f"the administrator's address must be an e-mail address, such as "
                            f"archives@example.org (got {value!r})")
    return value


def write(publisher: "Publisher", corpus: etree._Element) -> list[Diagnostic]:
    """The zip, the sitemap and the static repository; the problems of files not made."""
    html = publisher.out / "html"
    problems: list[Diagnostic] = []
    write_zip(html, publisher.out / ZIP_STAMP, cache.cache_dir() / SEEN_NAME)
    base = publisher.base_url
    sitemap, oai = html / "sitemap.xml", html / "oai.xml"
    if base:
        write_output(sitemap, sitemap_bytes(html, base))
    else:
        sitemap.unlink(missing_ok=True)
    if base and publisher.admin_email:
        try:
            write_output(oai, repository_bytes(publisher, corpus))
        except (etree.XMLSyntaxError, ValueError) as exc:  # a customised dc.xsl that writes no record
            oai.unlink(missing_ok=True)
            problems.append(Diagnostic(str(html), 0, 0, ERROR, "publish-failed",
                                       f"oai.xml was not made: a Dublin Core record is not XML ({exc})"))
    else:
        oai.unlink(missing_ok=True)
    return problems


# ------------------------------------------------------------ the sitemap

def sitemap_bytes(html: Path, base: str) -> bytes:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    pages = sorted(html.glob("*.html"), key=lambda p: (p.name != "index.html", p.name))
    for page in pages:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + quote(page.name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ------------------------------------------------------------ the static repository

def source_date() -> str | None:
    """The day of SOURCE_DATE_EPOCH (reproducible builds), when it is set and a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return _dt.datetime.fromtimestamp(int(value), _dt.timezone.utc).date().isoformat()


def _day(value: str | None) -> str | None:
    return value if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def repository_bytes(publisher: "Publisher", corpus: etree._Element) -> bytes:
    base = publisher.base_url
    host = urlsplit(base).hostname or "localhost"
    ordered = sorted(corpus.iter("doc"), key=lambda d: (d.get("date", ""), d.get("id", "")))
    revised = [d for d in (_day(doc.get("revised")) for doc in ordered) if d]
    register = _day(corpus.get("register-revised"))
    fallback = source_date() or max([*revised, *([register] if register else [])], default="1970-01-01")
    records = []
    for doc in ordered:
        entry = publisher.entries.get(doc.get("id", "")) or {}
        dc = entry.get("dc") if isinstance(entry.get("dc"), dict) else {}
        stamp = _day(doc.get("revised")) or fallback
        for key in sorted(dc, key=lambda k: (k != doc.get("id"), k)):  # the document, then a volume's parts
            records.append((f"oai:{host}:{key}", stamp, xmlio.parse_untrusted(dc[key])))
    sr = f"{{{SR_NS}}}"
    oai = f"{{{OAI_NS}}}"
    root = etree.Element(sr + "Repository", nsmap={None: SR_NS, "oai": OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{SR_NS} http://www.openarchives.org/OAI/2.0/static-repository.xsd")
    identify = etree.SubElement(root, sr + "Identify")
    for name, value in (("repositoryName", publisher.site_title or "cmctei"), ("baseURL", base + "oai.xml"),
                        ("protocolVersion", "2.0"), ("adminEmail", publisher.admin_email),
                        ("earliestDatestamp", min([s for _, s, _ in records], default=fallback)),
                        ("deletedRecord", "no"), ("granularity", "YYYY-MM-DD")):
        etree.SubElement(identify, oai + name).text = value
    formats = etree.SubElement(root, sr + "ListMetadataFormats")
    fmt = etree.SubElement(formats, oai + "metadataFormat")
    for name, value in (("metadataPrefix", "oai_dc"), ("schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
                        ("metadataNamespace", "http://www.openarchives.org/OAI/2.0/oai_dc/")):
        etree.SubElement(fmt, oai + name).text = value
    listing = etree.SubElement(root, sr + "ListRecords", metadataPrefix="oai_dc")
    for identifier, stamp, record in records:
        item = etree.SubElement(listing, oai + "record")
        header = etree.SubElement(item, oai + "header")
        etree.SubElement(header, oai + "identifier").text = identifier
        etree.SubElement(header, oai + "datestamp").text = stamp
        etree.SubElement(item, oai + "metadata").append(record)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
