"""Every select stands in the KERN select wrapper, which draws its border and its arrow.

A bare ``<select class="kern-form-input__select">`` has neither (KERN removes the browser's
look and gives it back only through ``kern-form-input__select-wrapper``), so it does not look
like a control (WCAG 1.4.11). Every page of the URL walk is requested on the demo city as an
anonymous visitor and as each role, and any ``<select>`` whose parent is not the wrapper fails.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.urlwalk import all_urls, sample_kwargs

WRAPPER = "kern-form-input__select-wrapper"
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
NOT_PAGES = {"core:healthz", "core:javascript_catalog", "set_language"}


class SelectParents(HTMLParser):
    """Collects the name of every select whose parent element is not the wrapper."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, set[str]]] = []
        self.unwrapped: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select":
            parent_classes = self.open[-1][1] if self.open else set()
            if WRAPPER not in parent_classes:
                self.unwrapped.append(attributes.get("name") or attributes.get("id") or "?")
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, set((attributes.get("class") or "").split())))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_endtag(self, tag):
        if all(open_tag != tag for open_tag, _ in self.open):
            return
        while self.open and self.open.pop()[0] != tag:
            pass


def unwrapped_selects(html: str) -> list[str]:
    parser = SelectParents()
    parser.feed(html)
    parser.close()
    return parser.unwrapped


def test_the_check_finds_a_select_outside_the_wrapper():
    html = (
        f'<form><div class="{WRAPPER}"><select name="a"><option>1</option></select></div>'
        '<div class="kern-form-input"><select name="b"></select></div>'
        f'<div class="{WRAPPER}"><span><select id="c"></select></span></div><br></form>'
    )
    assert unwrapped_selects(html) == ["b", "c"]


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()


def test_every_select_of_every_page_stands_in_the_kern_wrapper(demo_city, staff_users):
    samples = sample_kwargs()
    visitors = {"anonymous": None, **staff_users}
    problems: dict[str, list[str]] = {}
    checked = selects = 0
    for url in all_urls():
        if url.name is None or url.name not in URL_ACCESS or url.name in NOT_PAGES:
            continue
        if url.namespace == "api":
            continue
        if url.pattern.pattern.converters and url.name not in samples:
            continue  # reported by the access test
        path = reverse(url.name, kwargs=samples.get(url.name, {}))
        for who, user in visitors.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.get(path)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            html = response.content.decode()
            selects += html.count("<select")
            for name in unwrapped_selects(html):
                problems.setdefault(f"{url.name}: select {name!r}", []).append(who)
    report = [f"{problem} (as {', '.join(who)})" for problem, who in problems.items()]
    assert report == [], "\n".join(report)
    assert checked > 400
    assert selects > 20  # the walk reaches the pages that have selects


def test_the_rank_ballot_shows_its_places_in_the_wrapper(db, client):
    """The demo city's weighting is a points ballot, so the walk above never meets the one
    select a resident sees most: a place for each field of action."""
    import datetime

    from django.utils import timezone

    from leitbild.consultation import services
    from leitbild.participation.models import Phase, Process
    from leitbild.strategy.models import ActionField, Strategy

    strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2026")
    for order, (code, name) in enumerate([("MOB", "Mobilität"), ("BIL", "Bildung")]):
        ActionField.objects.create(strategy=strategy, code=code, name=name, order=order)
    process = Process.objects.create(strategy=strategy, title="Schwerpunkte", slug="schwerpunkte")
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        kind="weighting",
        title="Schwerpunkte wählen",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=7),
    )
    services.weighting_configure(
        actor=None,
        phase=phase,
        fields=list(strategy.fields.order_by("order")),
        mode="open",
        method="rank",
    )
    html = client.get(reverse("consultation:ballot", kwargs={"pk": phase.pk})).content.decode()
    assert html.count("<select") == 2
    assert unwrapped_selects(html) == []
