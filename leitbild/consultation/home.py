"""What weighting and surveys contribute to the home page (registered in ``apps.py``):
phases open now and soon, and the latest public results with one chart."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from leitbild.core.charts import format_number
from leitbild.core.home import HomeAction, HomeResult
from leitbild.participation.models import Phase

from . import selectors
from .presentation import field_chart


def _take_part(phase: Phase) -> tuple[str, str]:
    if phase.kind == Phase.Kind.WEIGHTING:
        return reverse("consultation:ballot", args=[phase.pk]), _("Jetzt gewichten")
    return reverse("consultation:survey", args=[phase.pk]), _("An der Umfrage teilnehmen")


def home_actions(now: datetime) -> list[HomeAction]:
    """Open phases lead straight to the ballot or questionnaire; later ones to the process."""
    actions = []
    for phase in selectors.home_phases(now):
        if phase.starts_at <= now:
            url, action = _take_part(phase)
        else:
            url = reverse("participation:process_detail", args=[phase.process.slug])
            action = _("Mehr erfahren")
        actions.append(
            HomeAction(
                kind=phase.get_kind_display(),
                title=phase.title,
                context=phase.process.title,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
                url=url,
                action=action,
            )
        )
    return actions


def home_results(now: datetime) -> list[HomeResult]:
    """The newest public results; the newest weighting among them with its chart (a few
    queries, whatever the number of ballots)."""
    results = []
    charted = False
    for phase in selectors.home_results_phases(now):
        weighting = phase.kind == Phase.Kind.WEIGHTING
        name = "consultation:weighting_results" if weighting else "consultation:survey_results"
        chart, note = None, ""
        if weighting and not charted:
            chart, note = _weighting_chart(phase)
            charted = chart is not None
        results.append(
            HomeResult(
                kind=phase.get_kind_display(),
                title=phase.title,
                context=phase.process.title,
                public_since=min(phase.ends_at, now),
                url=reverse(name, args=[phase.pk]),
                chart=chart,
                chart_note=note,
            )
        )
    return results


def _weighting_chart(phase: Phase):
    results = selectors.weighting_results(weighting=phase.weighting)
    if results.suppressed or results.main is None:
        return None, ""
    chart = field_chart(results, results.main, title=phase.title, id_prefix="startseite-ergebnis")
    if results.inference:
        note = _("%(n)s Stimmzettel einer Zufallsstichprobe, ungewichtet.")
    else:
        note = _(
            "%(n)s Stimmzettel; wer teilgenommen hat, hat sich selbst dafür entschieden "
            "(nicht repräsentativ)."
        )
    note %= {"n": format_number(results.n, 0)}
    return chart, note
