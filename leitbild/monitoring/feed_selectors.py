"""Reads of the measurement sources: the staff list, what is due, the inbox."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.inbox import InboxEntry, Section

from .models import MeasurementFeed


def feeds():
    """Every source with the number of measurements it holds (one query)."""
    return MeasurementFeed.objects.annotate(measurement_count=Count("measurements")).order_by(
        "name", "pk"
    )


def feed_get(*, pk: int) -> MeasurementFeed | None:
    return MeasurementFeed.objects.filter(pk=pk).first()


def feeds_due(now: datetime.datetime | None = None):
    """Enabled sources whose next run is due, or that were never scheduled."""
    now = now or timezone.now()
    return MeasurementFeed.objects.filter(enabled=True).filter(
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    )


def inbox_feeds(user) -> list[InboxEntry]:
    """The Strategie-Redaktion's inbox: sources whose last run failed (one query)."""
    failed = list(
        MeasurementFeed.objects.filter(last_outcome=MeasurementFeed.Outcome.FAILED)
        .order_by("name")
        .values_list("name", "last_error")[:50]
    )
    if not failed:
        return []
    if len(failed) == 1:
        name, error = failed[0]
        label = _("Abruf der Datenquelle „{name}“ fehlgeschlagen").format(name=name)
        detail = error.splitlines()[0][:160] if error else ""
    else:
        label = ngettext(
            "Datenquelle: letzter Abruf fehlgeschlagen",
            "Datenquellen: letzter Abruf fehlgeschlagen",
            len(failed),
        )
        detail = ", ".join(name for name, _error in failed)[:160]
    return [
        InboxEntry(
            section=Section.FAILED,
            count=len(failed) if len(failed) > 1 else None,
            label=label,
            url=reverse("monitoring:feed_list"),
            detail=detail,
        )
    ]
