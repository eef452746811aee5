"""Weightings and surveys are one click from every page (issue #12: /mitmachen/ was linked from
nowhere in the navigation)."""

import re

from django.urls import reverse


def _nav(html: str) -> str:
    found = re.search(r'<nav class="lb-nav".*?</nav>', html, re.S)
    assert found is not None, "no main navigation"
    return found.group(0)


def test_the_main_navigation_links_weighting_and_surveys(client, db):
    nav = _nav(client.get(reverse("core:home")).content.decode())
    assert f'href="{reverse("consultation:index")}"' in nav
    assert "Gewichtung und Umfragen" in nav


def test_on_the_weighting_and_survey_pages_their_entry_is_the_current_one(client, db):
    nav = _nav(client.get(reverse("consultation:index")).content.decode())
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert current == [reverse("consultation:index")]


def test_the_idea_call_keeps_its_own_entry(client, db):
    nav = _nav(client.get(reverse("participation:process_list")).content.decode())
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert current == [reverse("participation:process_list")]
