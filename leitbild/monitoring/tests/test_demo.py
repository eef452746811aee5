"""The demo city's measurements show every state, and one provisional value."""

from leitbild.monitoring import selectors
from leitbild.monitoring.models import Measurement


def test_the_demo_shows_all_three_states_and_a_provisional_value(demo_city, client):
    counts = selectors.public_indicators().counts()

    assert counts["on_track"] > 0
    assert counts["at_risk"] > 0
    assert counts["off_track"] > 0
    assert Measurement.objects.filter(provisional=True).count() == 1
    page = client.get("/umsetzung/indikatoren/").content.decode()
    for label in ("auf Kurs", "gefährdet", "nicht auf Kurs"):
        assert f">{label}<" in page


def test_loading_the_demo_twice_adds_nothing(demo_city):
    from leitbild.monitoring import demo

    before = Measurement.objects.count()
    demo.load()

    assert Measurement.objects.count() == before


def test_the_demo_has_a_source_that_failed_and_one_that_brought_values(demo_city, client):
    from leitbild.monitoring.models import MeasurementFeed

    failed = MeasurementFeed.objects.get(last_outcome=MeasurementFeed.Outcome.FAILED)
    ok = MeasurementFeed.objects.get(last_outcome=MeasurementFeed.Outcome.OK)

    assert ".invalid/" in failed.url and failed.url in failed.last_error
    assert ".example/" in ok.url
    assert ok.last_created == ok.measurements.count() > 0
