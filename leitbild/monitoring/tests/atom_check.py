"""Atom (RFC 4287) checked in full: the RELAX NG schema of Appendix B (``schema/atom.rng``,
in the XML syntax that lxml reads) and, in Python, the rules of the RFC's text that
RELAX NG cannot express (Appendix B carries the first two as Schematron annotations).

``atom_problems(document)`` returns every problem found, so an assertion shows them all;
an empty list means the document is valid Atom.
"""

import datetime
import re
from collections import Counter
from functools import cache
from pathlib import Path

from lxml import etree

__all__ = ["ATOM", "atom_problems", "atom_schema"]

ATOM = "http://www.w3.org/2005/Atom"
_A = {"a": ATOM}
# RFC 3339 section 5.6 as RFC 4287 section 3.3 narrows it: an uppercase T and Z, always a
# time zone, seconds required, fractions allowed.
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@cache
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(Path(__file__).with_name("schema") / "atom.rng"))


def atom_problems(document: bytes) -> list[str]:
    root = etree.fromstring(document)
    schema = atom_schema()
    if not schema.validate(root):
        return [f"RELAX NG line {e.line}: {e.message}" for e in schema.error_log]
    return _rule_problems(root)


def _rule_problems(root: etree._Element) -> list[str]:
    problems: list[str] = []
    feed = root if root.tag == f"{{{ATOM}}}feed" else None
    entries = root.findall("a:entry", _A) if feed is not None else [root]
    feed_has_author = feed is not None and feed.find("a:author", _A) is not None
    if feed is not None:
        problems += _link_problems(feed, "atom:feed")
    for number, entry in enumerate(entries, start=1):
        where = f"atom:entry {number}"
        # 4.1.2 (Schematron in Appendix B): an author in the entry, its source or the feed.
        own = entry.find("a:author", _A) is not None
        from_source = entry.find("a:source/a:author", _A) is not None
        if not (own or from_source or feed_has_author):
            problems.append(f"{where}: no atom:author, and the feed has none either")
        # 4.1.2 (Schematron in Appendix B): without atom:content an alternate link.
        content = entry.find("a:content", _A)
        alternates = [link for link in entry.findall("a:link", _A) if _is_alternate(link)]
        if content is None and not alternates:
            problems.append(f"{where}: neither atom:content nor a link rel='alternate'")
        # 4.1.2: content given by src (thus empty) or Base64 needs an atom:summary.
        if content is not None and entry.find("a:summary", _A) is None:
            if content.get("src") is not None or _is_base64(content.get("type")):
                problems.append(f"{where}: atom:content is not inline text but no atom:summary")
        problems += _link_problems(entry, where)
    # 4.2.6: an atom:id is an absolute IRI; 3.3: dates are RFC 3339 with a time zone.
    for element in root.iter(f"{{{ATOM}}}id"):
        if not _IRI_SCHEME.match((element.text or "").strip()):
            problems.append(f"atom:id {element.text!r} is not an absolute IRI")
    for name in ("updated", "published"):
        for element in root.iter(f"{{{ATOM}}}{name}"):
            problems += _date_problems(f"atom:{name}", (element.text or "").strip())
    # Stricter than 4.1.1 (which lets entries with one id stand for versions of one entry,
    # with different atom:updated): in these feeds every entry is a report of its own.
    ids = Counter((entry.findtext("a:id", namespaces=_A) or "").strip() for entry in entries)
    problems += [f"atom:id {key!r} is used by {n} entries" for key, n in ids.items() if n > 1]
    return problems


def _is_alternate(link: etree._Element) -> bool:
    return link.get("rel", "alternate") == "alternate"


def _link_problems(parent: etree._Element, where: str) -> list[str]:
    """4.1.1 and 4.1.2: at most one alternate link per combination of type and hreflang."""
    pairs = Counter(
        (link.get("type"), link.get("hreflang"))
        for link in parent.findall("a:link", _A)
        if _is_alternate(link)
    )
    return [
        f"{where}: {n} links rel='alternate' with type={t!r}, hreflang={h!r}"
        for (t, h), n in pairs.items()
        if n > 1
    ]


def _is_base64(media_type: str | None) -> bool:
    if media_type is None or media_type in ("text", "html", "xhtml"):
        return False
    media_type = media_type.split(";")[0].strip().lower()
    xml = media_type.endswith(("/xml", "+xml")) or media_type == "application/xml"
    return not (xml or media_type.startswith("text/"))


def _date_problems(name: str, value: str) -> list[str]:
    if not _RFC3339.match(value):
        return [f"{name} {value!r} is not an RFC 3339 date-time with a time zone"]
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return [f"{name} {value!r} is no real moment"]
    return []
