"""Selects look like controls: the KERN wrapper draws their border and arrow (WCAG 1.4.11).

The rank ballot was the worst case: a column of "kein Platz" without border or arrow.
"""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rank_phase(db):
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
    return phase


def test_the_places_of_the_rank_ballot_have_a_visible_border_and_arrow(page, rank_phase):
    page.goto(f"/mitmachen/gewichtung/{rank_phase.pk}/")
    select = page.locator("select[name^=platz_]").first
    look = select.evaluate(
        """select => {
            const box = getComputedStyle(select.parentElement);
            const arrow = getComputedStyle(select.parentElement, '::after');
            return {
                wrapped: select.parentElement.classList.contains(
                    'kern-form-input__select-wrapper'),
                border: parseFloat(box.borderBottomWidth),
                borderColor: box.borderBottomColor,
                arrow: arrow.content !== 'none' && parseFloat(arrow.width) > 0,
            };
        }"""
    )
    assert look["wrapped"]
    assert look["border"] >= 2
    assert look["borderColor"] not in ("transparent", "rgba(0, 0, 0, 0)")
    assert look["arrow"]
    assert_accessible(page)
    assert page.console_errors == []
