"""The strategy app's naming rule for access: ``staff_…`` pages are for the editors,
``council_…`` pages for the Ratsbüro, the rest is public. Who may use each page is in
``core/tests/access_table.py``; this keeps the names honest."""

from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.urlwalk import PUBLIC, all_urls, normalise


def test_every_strategy_staff_page_is_for_editors_and_every_other_page_is_public():
    found = [url for url in all_urls() if url.route.startswith("strategie/")]
    assert len(found) > 20
    for url in found:
        expected = PUBLIC
        if url.pattern.name.startswith("staff_"):
            expected = {"editor"}
        elif url.pattern.name.startswith("council_"):
            expected = {"council_office"}
        assert normalise(URL_ACCESS[url.name]) == expected, url.route
