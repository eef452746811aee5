"""The Atom checker itself (``atom_check``): it accepts the two feeds of RFC 4287 section
1.1 and extensions, and rejects broken feeds, by the RELAX NG schema of Appendix B and by
the rules of the RFC's text in Python. Without this, a valid progress feed proves nothing."""

import pytest
from lxml import etree

from .atom_check import atom_problems, atom_schema

# RFC 4287 section 1.1, "A brief, single-entry Atom Feed Document".
MINIMAL = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">

  <title>Example Feed</title>
  <link href="http://example.org/"/>
  <updated>2003-12-13T18:30:02Z</updated>
  <author>
    <name>John Doe</name>
  </author>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>

  <entry>
    <title>Atom-Powered Robots Run Amok</title>
    <link href="http://example.org/2003/12/13/atom03"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2003-12-13T18:30:02Z</updated>
    <summary>Some text.</summary>
  </entry>

</feed>
"""

# RFC 4287 section 1.1, "A more extensive, single-entry Atom Feed Document".
EXTENSIVE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">dive into mark</title>
  <subtitle type="html">
    A &lt;em&gt;lot&lt;/em&gt; of effort
    went into making this effortless
  </subtitle>
  <updated>2005-07-31T12:29:29Z</updated>
  <id>tag:example.org,2003:3</id>
  <link rel="alternate" type="text/html"
   hreflang="en" href="http://example.org/"/>
  <link rel="self" type="application/atom+xml"
   href="http://example.org/feed.atom"/>
  <rights>Copyright (c) 2003, Mark Pilgrim</rights>
  <generator uri="http://www.example.com/" version="1.0">
    Example Toolkit
  </generator>
  <entry>
    <title>Atom draft-07 snapshot</title>
    <link rel="alternate" type="text/html"
     href="http://example.org/2005/04/02/atom"/>
    <link rel="enclosure" type="audio/mpeg" length="1337"
     href="http://example.org/audio/ph34r_my_podcast.mp3"/>
    <id>tag:example.org,2003:3.2397</id>
    <updated>2005-07-31T12:29:29Z</updated>
    <published>2003-12-13T08:29:29-04:00</published>
    <author>
      <name>Mark Pilgrim</name>
      <uri>http://example.org/</uri>
      <email>f8dy@example.com</email>
    </author>
    <contributor>
      <name>Sam Ruby</name>
    </contributor>
    <contributor>
      <name>Joe Gregorio</name>
    </contributor>
    <content type="xhtml" xml:lang="en"
     xml:base="http://diveintomark.org/">
      <div xmlns="http://www.w3.org/1999/xhtml">
        <p><i>[Update: The Atom draft is finished.]</i></p>
      </div>
    </content>
  </entry>
</feed>
"""


def _changed(document: bytes, old: str, new: str) -> bytes:
    assert old.encode() in document, old
    return document.replace(old.encode(), new.encode(), 1)


def test_the_schema_is_the_rfcs_grammar_with_feed_and_entry_as_start():
    schema = atom_schema()
    assert schema.validate(  # a lone entry document (start = atomFeed | atomEntry)
        etree.fromstring(
            b'<entry xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b"<id>urn:x:1</id><updated>2003-12-13T18:30:02Z</updated>"
            b"<author><name>A</name></author><content>c</content></entry>"
        )
    ), schema.error_log


@pytest.mark.parametrize("document", [MINIMAL, EXTENSIVE], ids=["minimal", "extensive"])
def test_the_rfcs_own_examples_are_valid(document):
    assert atom_problems(document) == []


def test_foreign_extension_elements_and_attributes_are_allowed():
    document = _changed(
        MINIMAL,
        "<summary>Some text.</summary>",
        '<summary>Some text.</summary><dc:subject xmlns:dc="http://purl.org/dc/elements/1.1/">'
        'Robots</dc:subject><x:rating xmlns:x="urn:example:x" x:scale="5"><x:v>4</x:v>'
        "</x:rating>",
    )
    document = _changed(
        document,
        "<title>Example Feed</title>",
        '<title xmlns:e="urn:e" e:k="v">Example Feed</title>',
    )
    assert atom_problems(document) == []


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>", "", "feed without atom:id"),
        (
            "<updated>2003-12-13T18:30:02Z</updated>\n    <summary>",
            "<summary>",
            "entry without atom:updated",
        ),
        (
            "<updated>2003-12-13T18:30:02Z</updated>",
            "<updated>13.12.2003 18:30</updated>",
            "German date",
        ),
        ("<updated>2003-12-13T18:30:02Z</updated>", "<updated>2003-12-13</updated>", "date only"),
        (
            "<updated>2003-12-13T18:30:02Z</updated>",
            "<updated>2003-12-13t18:30:02z</updated>",
            "lowercase t",
        ),
        (
            "<summary>Some text.</summary>",
            "<summary>Some text.</summary><rating>5</rating>",
            "unknown atom element",
        ),
        (
            "<title>Example Feed</title>",
            "<title>Example Feed</title><title>Twice</title>",
            "two titles",
        ),
        ('<link href="http://example.org/"/>', "<link/>", "link without href"),
        (
            "<name>John Doe</name>",
            "<name>John Doe</name><email>no address</email>",
            "e-mail without @",
        ),
        (
            '<link href="http://example.org/"/>',
            '<link href="http://example.org/" type="html"/>',
            "media type without slash",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom">',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de_DE">',
            "bad language tag",
        ),
        (
            "<summary>Some text.</summary>",
            '<summary type="markdown">Some text.</summary>',
            "unknown text type",
        ),
    ],
)
def test_broken_feeds_fail_the_relax_ng_schema(old, new, reason):
    problems = atom_problems(_changed(MINIMAL, old, new))
    assert problems and all(p.startswith("RELAX NG") for p in problems), reason


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<author>\n    <name>John Doe</name>\n  </author>", "", "no atom:author"),
        (
            '<link href="http://example.org/2003/12/13/atom03"/>',
            '<link rel="related" href="http://example.org/x"/>',
            "neither atom:content nor a link",
        ),
        (
            '<link href="http://example.org/2003/12/13/atom03"/>',
            '<link href="http://example.org/a"/><link rel="alternate" href="http://example.org/b"/>',
            "2 links rel='alternate'",
        ),
        (
            '<link href="http://example.org/"/>',
            '<link href="http://example.org/"/><link href="http://example.org/2"/>',
            "atom:feed: 2 links",
        ),
        (
            "<summary>Some text.</summary>",
            '<content type="image/png" src="http://example.org/a.png"/>',
            "no atom:summary",
        ),
        (
            "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>",
            "<id>1225c695</id>",
            "not an absolute IRI",
        ),
        (
            "<updated>2003-12-13T18:30:02Z</updated>",
            "<updated>2003-12-13T18:30:02</updated>",
            "with a time zone",
        ),
        (
            "<updated>2003-12-13T18:30:02Z</updated>",
            "<updated>12003-12-13T18:30:02Z</updated>",
            "RFC 3339",
        ),
        (
            "<updated>2003-12-13T18:30:02Z</updated>",
            "<updated>2003-12-13T24:00:00Z</updated>",
            "no real moment",
        ),
    ],
)
def test_the_rfcs_rules_beyond_relax_ng_are_checked(old, new, expected):
    document = _changed(MINIMAL, old, new)
    problems = atom_problems(document)
    assert any(expected in p for p in problems), problems
    assert not any(p.startswith("RELAX NG") for p in problems)


def test_an_entry_author_suffices_without_a_feed_author_and_ids_are_unique():
    entry = MINIMAL[MINIMAL.index(b"<entry>") : MINIMAL.index(b"</feed>")]
    without = _changed(MINIMAL, "<author>\n    <name>John Doe</name>\n  </author>", "")
    with_entry_author = _changed(without, "<summary>", "<author><name>R</name></author><summary>")
    assert atom_problems(with_entry_author) == []
    twice = MINIMAL.replace(b"</feed>", entry + b"</feed>")
    assert atom_problems(twice) == [
        "atom:id 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a' is used by 2 entries"
    ]
