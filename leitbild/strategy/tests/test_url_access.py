"""The strategy app's naming rule for access: ``staff_…`` pages are for the editors, the rest is
public. Who may use each page is in ``core/tests/access_table.py``; this keeps the names honest."""

from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.urlwalk import PUBLIC, all_urls, normalise


def test_every_strategy_staff_page_is_for_editors_and_every_other_page_is_public():
    found = [url for url in all_urls() if url.route.startswith("strategie/")]
    assert len(found) > 20
    for url in found:
        expected = {"editor"} if url.pattern.name.startswith("staff_") else PUBLIC
        assert normalise(URL_ACCESS[url.name]) == expected, url.route
