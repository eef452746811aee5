"""The map of ideas without a tile server, by keyboard.

No tile URL is configured (as in the demo): the map shows the districts the project ships
(LEITBILD_MAP_DISTRICTS, Musterstadt's by default) with their names under the markers, and the
same in the place picker of the submission form. Markers show their focus, Enter opens the
popup, Tab reaches its link, Escape closes it; clusters are named after their district; the
ideas of the visible area are listed beside the map. A screenshot of the map is saved.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import assert_accessible
from .test_idea_journey import tab_to

ALTSTADT = (52.4300, 10.7900)
HAFEN = (52.4380, 10.8280)
WESTEND = (52.4280, 10.7520)


@pytest.fixture
def idea_map(transactional_db, settings):
    from leitbild.participation import services
    from leitbild.participation.models import Phase, Process
    from leitbild.strategy.models import ActionField, Strategy

    settings.MAP_TILE_URL = ""
    strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2021")
    field = ActionField.objects.create(strategy=strategy, code="MOB", name="Mobilität", order=0)
    process = Process.objects.create(
        strategy=strategy,
        title="Ideenaufruf Musterstadt",
        slug="ideenaufruf",
        map_lat="52.430000",
        map_lon="10.790000",
        map_zoom=13,
    )
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.IDEAS,
        title="Ideen sammeln",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
    )

    def public(title, lat, lon):
        idea = services.idea_submit(
            process=process,
            title=title,
            fields=[field],
            description="Eine Idee für den Stadtteil.",
            lat=f"{lat:.6f}",
            lon=f"{lon:.6f}",
        )
        return services.idea_approve(actor=None, idea=idea)

    # Twelve ideas close together at the market place: one cluster at the start zoom.
    for n in range(12):
        public(f"Bank am Marktplatz {n + 1}", ALTSTADT[0] + n * 0.0003, ALTSTADT[1] + n * 0.0004)
    # Two just outside the city's outline, where no district is.
    public("Aussichtsturm am Feldrand", 52.4520, 10.8520)
    public("Bank am Feldweg", 52.4521, 10.8521)
    public("Trinkbrunnen am Hafenbecken", *HAFEN)
    public("Radweg zum Westpark", *WESTEND)
    return process


def test_the_shipped_districts_are_drawn_and_the_map_works_by_keyboard(page, idea_map, tmp_path):
    page.goto(f"/beteiligung/{idea_map.slug}/karte/")
    page.locator("#karte-status", has_text="16 Ideen im Kartenausschnitt").wait_for()

    # The base layer: one area per district and the city's outline, as SVG paths, labelled.
    areas = page.locator("#ideen-karte .leaflet-lbDistrictAreas-pane svg path")
    assert areas.count() == 9
    drawn = page.evaluate(
        "() => { const r = document.querySelector('.leaflet-lbDistrictAreas-pane svg')"
        ".getBoundingClientRect(); return [r.width, r.height]; }"
    )
    assert drawn[0] > 400 and drawn[1] > 300, drawn  # drawn, not shrunk to nothing
    assert page.locator("#ideen-karte .leaflet-lbDistrictBorders-pane svg path").count() == 9
    labels = page.locator("#ideen-karte .lb-map__label-text").all_inner_texts()
    assert {"Altstadt", "Hafenviertel", "Westend", "Bahnhofsviertel"} <= set(labels)
    screenshot = tmp_path / "ideen-karte.png"
    page.locator("#ideen-karte").screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000  # an image with districts, not a grey area

    # Beside the map, the same ideas as links.
    links = page.locator("#karte-liste a")
    assert links.count() == 16
    assert "Trinkbrunnen am Hafenbecken" in links.all_inner_texts()

    # A cluster is named after its district, or "hier" outside every district.
    clusters = page.locator("#ideen-karte .marker-cluster")
    assert sorted(c.get_attribute("aria-label") for c in clusters.all()) == [
        "12 Ideen in Altstadt",
        "2 Ideen hier",
    ]
    cluster = page.locator('#ideen-karte .marker-cluster[aria-label*="Altstadt"]')
    name = cluster.get_attribute("aria-label")
    assert re.fullmatch(r"12 Ideen in Altstadt", name or ""), name
    assert cluster.get_attribute("title") == name

    # A marker by keyboard: visible focus, Enter opens the popup, Tab reaches its link,
    # Escape closes it and the focus returns to the marker.
    tab_to(page, "#ideen-karte img.leaflet-marker-icon")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] == "solid" and outline[1] >= 2, outline
    marker_title = page.evaluate("() => document.activeElement.alt")
    page.keyboard.press("Enter")
    popup = page.locator("#ideen-karte .leaflet-popup")
    popup.wait_for()
    assert marker_title in popup.inner_text()
    page.keyboard.press("Tab")
    assert (
        page.evaluate(
            "() => document.activeElement.matches('.leaflet-popup-content a')"
            " && document.activeElement.textContent"
        )
        == marker_title
    )
    # axe-core once the popup has faded in (it weighs colours by opacity).
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert_accessible(page)
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.alt") == marker_title

    # Enter on the cluster zooms into it; the focus stays in the map.
    tab_to(page, '#ideen-karte .marker-cluster[aria-label*="Altstadt"]')
    page.keyboard.press("Enter")
    page.locator('[aria-label="12 Ideen in Altstadt"]').wait_for(state="detached")
    page.wait_for_function("() => document.activeElement.id === 'ideen-karte'")
    page.locator("#karte-status", has_text="12 Ideen im Kartenausschnitt").wait_for()
    assert sorted(links.all_inner_texts())[0] == "Bank am Marktplatz 1"

    # Moving the map updates the list and announces the new count.
    for _ in range(6):  # one pan at a time: Leaflet ignores keys while a pan is animated
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(350)
    page.locator("#karte-status", has_text=re.compile(r"^(?!12 )\d+ Ideen? im")).wait_for()
    assert links.count() < 12
    assert_accessible(page)
    assert page.console_errors == []


def test_the_place_picker_shows_the_districts_and_names_the_chosen_one(page, idea_map):
    page.goto(f"/beteiligung/{idea_map.slug}/ideen/neu/")
    picker = page.locator("#ort-karte")
    picker.locator(".leaflet-lbDistrictAreas-pane svg path").first.wait_for()
    assert picker.locator(".leaflet-lbDistrictAreas-pane svg path").count() == 9
    assert "Altstadt" in picker.locator(".lb-map__label-text").all_inner_texts()
    page.get_by_role("button", name="Kartenmitte als Ort übernehmen").click()
    assert "(Altstadt)" in page.locator("#ort-status").inner_text()
    assert_accessible(page)
    assert page.console_errors == []


def test_configured_tiles_cover_the_areas_but_not_the_borders_and_names(page, idea_map, settings):
    """With a tile server the districts' areas lie under the tiles, their borders and names
    on top, under the markers."""
    settings.MAP_TILE_URL = "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"
    page.goto(f"/beteiligung/{idea_map.slug}/karte/")
    page.locator("#ideen-karte .leaflet-tile-loaded").first.wait_for()
    page.locator("#ideen-karte .lb-map__label-text").first.wait_for()
    order = page.evaluate(
        """() => Object.fromEntries(['tile', 'lbDistrictAreas', 'lbDistrictBorders',
             'lbDistrictLabels', 'marker'].map(name => [name, Number(getComputedStyle(
             document.querySelector('#ideen-karte .leaflet-' + name + '-pane')).zIndex)]))"""
    )
    assert order["lbDistrictAreas"] < order["tile"] < order["lbDistrictBorders"]
    assert order["lbDistrictBorders"] < order["lbDistrictLabels"] < order["marker"]
    assert_accessible(page)
    assert page.console_errors == []
