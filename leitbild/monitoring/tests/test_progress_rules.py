"""The rules of project progress: dates, percent, amounts, and what counts as late."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leitbild.core.models import AuditEntry
from leitbild.monitoring import progress_selectors as selectors
from leitbild.monitoring import progress_services as services
from leitbild.monitoring.progress_models import Milestone, ProgressUpdate, Spending
from leitbild.portfolio.models import Stage

from .progress_fixtures import *  # noqa: F403 (fixtures)

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


def _report(project, actor=None, **values):
    data = {"date": _today(), "percent": 40, "status": "plan", "text": "Es läuft."}
    data.update(values)
    return services.progress_update_create(actor=actor, project=project, **data)


def test_a_report_is_saved_and_audited(project, editor):
    update = _report(project, editor)
    assert update.author == editor
    entry = AuditEntry.objects.get(action="monitoring.progress.create")
    assert entry.actor == editor and entry.after["percent"] == 40


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_percent_outside_0_to_100_is_refused_on_its_field(project, percent):
    with pytest.raises(ValidationError) as exc:
        _report(project, percent=percent)
    assert "zwischen 0 und 100 Prozent" in exc.value.message_dict["percent"][0]
    assert not ProgressUpdate.objects.exists()


def test_a_report_date_in_the_future_is_refused(project):
    with pytest.raises(ValidationError) as exc:
        _report(project, date=_today() + DAY)
    assert "nicht in der Zukunft" in exc.value.message_dict["date"][0]


def test_a_report_before_the_project_start_is_refused(project):
    with pytest.raises(ValidationError) as exc:
        _report(project, date=project.starts_on - DAY)
    assert "vor dem Projektbeginn" in exc.value.message_dict["date"][0]


def test_an_unknown_status_and_an_empty_text_are_refused(project):
    with pytest.raises(ValidationError) as exc:
        _report(project, status="super", text="  ")
    assert set(exc.value.message_dict) == {"status", "text"}


def test_milestones_replace_the_list_and_are_audited(project, editor):
    start = project.starts_on
    rows = [
        services.MilestoneRow("Ausschreibung", start + 30 * DAY, start + 40 * DAY),
        services.MilestoneRow("Pilot", start + 90 * DAY),
    ]
    services.milestones_set(actor=editor, project=project, rows=rows)
    services.milestones_set(actor=editor, project=project, rows=rows[1:])
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Pilot"]
    entry = AuditEntry.objects.filter(action="monitoring.milestones.set").latest("pk")
    assert entry.before["milestones"][0][0] == "Ausschreibung"
    assert entry.after["milestones"] == [["Pilot", (start + 90 * DAY).isoformat(), None]]


def test_an_actual_date_before_the_start_names_its_row(project):
    start = project.starts_on
    rows = [
        services.MilestoneRow("Gut", start + DAY, start + DAY),
        services.MilestoneRow("Zu früh", start + DAY, start - DAY),
        services.MilestoneRow("Zu spät", start + DAY, _today() + DAY),
    ]
    with pytest.raises(ValidationError) as exc:
        services.milestones_set(actor=None, project=project, rows=rows)
    errors = exc.value.message_dict
    assert "vor dem Projektbeginn" in errors["milestones-1-actual_on"][0]
    assert "nicht in der Zukunft" in errors["milestones-2-actual_on"][0]
    assert "milestones-0-actual_on" not in errors
    assert not Milestone.objects.exists()


def test_spending_must_not_be_negative_and_empty_years_are_removed(project, editor):
    year = _today().year
    with pytest.raises(ValidationError) as exc:
        services.spending_set(actor=editor, project=project, years={year: Decimal("-1")})
    assert "nicht negativ" in exc.value.message_dict[f"year_{year}"][0]
    services.spending_set(actor=editor, project=project, years={year: Decimal("500")})
    services.spending_set(actor=editor, project=project, years={year: None})
    assert not Spending.objects.exists()
    assert AuditEntry.objects.filter(action="monitoring.spending.set").count() == 2


def test_a_milestone_is_late_once_its_planned_date_passed_without_an_actual_date(project):
    start = project.starts_on
    services.milestones_set(
        actor=None,
        project=project,
        rows=[
            services.MilestoneRow("Überfällig", _today() - DAY),
            services.MilestoneRow("Erreicht", start + DAY, start + 2 * DAY),
            services.MilestoneRow("Heute fällig", _today()),
        ],
    )
    assert [m.title for m in selectors.late_milestones()] == ["Überfällig"]
    assert [m.title for m in Milestone.objects.all() if m.is_late] == ["Überfällig"]


def test_a_project_without_a_report_for_90_days_is_stale(project, make_project):
    fresh = make_project("Frisch berichtet")
    _report(fresh, date=_today() - 89 * DAY)
    _report(project, date=_today() - 91 * DAY)
    make_project("Nur priorisiert", stage=Stage.PRIORITISED)
    assert [p.title for p in selectors.stale_projects()] == [project.title]


def test_the_latest_report_gives_the_percent_and_status(project):
    _report(project, date=_today() - 10 * DAY, percent=30)
    _report(project, date=_today() - 2 * DAY, percent=45, status="verzoegert")
    annotated = selectors.with_progress(type(project).objects.filter(pk=project.pk)).get()
    assert (annotated.percent, annotated.progress_status) == (45, "verzoegert")
    assert annotated.planned == Decimal("300000")
