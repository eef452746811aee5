"""The demo city's project progress: two years of reports for Musterstadt's public projects
in the stages prioritised, implementing and completed.

Dates count back from today, so that no report lies in the future and the state stays the
same whenever the demo is loaded: most projects are on time, some have late milestones, one
is stopped, one has been silent for more than 90 days, and a few reports carry a photo (drawn
with Pillow and passed through the idea photos' pipeline). Everything goes through
``progress_services``, deterministically (``random.Random(SEED)``). Call ``load()`` after
the implementation concept's demo (``portfolio.demo``).
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from leitbild.accounts.demo import demo_staff
from leitbild.core.roles import Role
from leitbild.participation.images import photo_clean
from leitbild.portfolio.models import OrgUnit, Project, Stage
from leitbild.portfolio.services import orgunit_save

from . import progress_services as services
from .progress_models import Milestone, ProgressStatus, ProgressUpdate
from .progress_selectors import PUBLIC_STAGES
from .report_services import yearly_report_texts_save
from .reports import report_years

SEED = 2026
STRATEGY_SLUG = "musterstadt"
MILESTONES = ("Ausschreibung abgeschlossen", "Pilot gestartet", "Ausweitung", "Regelbetrieb")
TEXTS = {
    ProgressStatus.ON_TRACK: "Die Arbeiten laufen nach Plan. {step} Nächster Schritt: {next}.",
    ProgressStatus.DELAYED: "{step} Lieferengpässe verzögern den nächsten Schritt ({next}).",
    ProgressStatus.STOPPED: "Das Projekt ruht, bis die Finanzierung der Folgejahre geklärt ist.",
    ProgressStatus.COMPLETED: "Das Projekt ist abgeschlossen und im Regelbetrieb.",
}


def _photo(rng: random.Random, label: str) -> ContentFile:
    image = Image.new("RGB", (480, 320), (rng.randrange(40, 120), 110, rng.randrange(120, 200)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 290), fill=(240, 240, 235))
    draw.text((56, 230), label[:50], fill=(20, 20, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return photo_clean(ContentFile(out.getvalue(), name="demo.png"))


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def load() -> None:
    projects = list(
        Project.objects.filter(
            strategy__slug=STRATEGY_SLUG, is_public=True, stage__in=PUBLIC_STAGES
        ).order_by("priority", "pk")
    )
    if not projects or Milestone.objects.filter(project__in=projects).exists():
        return
    _team(projects)
    _load(projects)


def _team(projects: list[Project]) -> None:
    """The demo's project team (role Projektteam) reports for the unit that leads the first
    project in implementation."""
    lead = next(
        (p.lead_unit_id for p in projects if p.stage == Stage.IMPLEMENTING and p.lead_unit_id),
        None,
    )
    unit = OrgUnit.objects.filter(pk=lead).first() if lead is not None else None
    if unit is None:
        return
    orgunit_save(
        actor=None,
        unit=unit,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        members=[*unit.members.all(), demo_staff(Role.PROJECT_TEAM)],
    )


@transaction.atomic
def _load(projects: list[Project]) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=300)
    running = [
        p
        for p in projects
        if p.stage == Stage.IMPLEMENTING and p.starts_on and p.starts_on < long_ago
    ]
    stopped = running[1] if len(running) > 1 else None
    silent = running[2] if len(running) > 2 else None
    reporting = 0
    for project in projects:
        late = (project in running and running.index(project) % 3 == 0) or project == stopped
        start = max(project.starts_on or today, _months_before(today, 24))
        if project.stage == Stage.PRIORITISED:  # not begun: its milestones lie ahead
            start = max(start, today + datetime.timedelta(days=60))
        _milestones(project, start, today, late=late)
        if project.stage == Stage.PRIORITISED or start >= today:
            continue  # not started yet: milestones planned, nothing to report
        if project == stopped:
            status = ProgressStatus.STOPPED
        elif project.stage == Stage.COMPLETED:
            status = ProgressStatus.COMPLETED
        else:
            status = ProgressStatus.DELAYED if late else ProgressStatus.ON_TRACK
        end = today - datetime.timedelta(days=130 if project == silent else 10)
        reporting += 1
        _reports(project, start, end, status, rng, photos=reporting <= 4)
        _spending(project, today, rng)
    _report_texts(today.year - 1)


def _report_texts(year: int) -> None:
    """The Redaktion's foreword and outlook of last year's Umsetzungsbericht."""
    if year not in report_years():
        return
    yearly_report_texts_save(
        actor=None,
        year=year,
        vorwort=(
            f"Dieser Bericht zeigt, wie weit Musterstadt im Jahr {year} mit der Umsetzung "
            "seiner Smart-City-Strategie gekommen ist: was die Projekte erreicht haben, was "
            "sich verzögert und wie sich die Indikatoren der Strategie entwickeln.\n\n"
            "Alle Zahlen stammen aus dem Umsetzungsmonitor und sind dort auch als offene "
            "Daten abrufbar."
        ),
        ausblick=(
            "Im kommenden Jahr gehen mehrere Projekte in den Regelbetrieb über. Das ruhende "
            "Projekt wird fortgesetzt, sobald die Finanzierung der Folgejahre geklärt ist."
        ),
    )


def _milestones(project: Project, start: datetime.date, today: datetime.date, *, late: bool):
    """Four milestones over the project's duration; those passed are reached a few days late,
    except, for a ``late`` project, the last one passed."""
    months = project.duration_months or 36
    plans = [
        _months_before(start, -round(months * n / len(MILESTONES))) - datetime.timedelta(days=1)
        for n in range(1, len(MILESTONES) + 1)
    ]
    passed = [day for day in plans if day < today]
    rows = []
    for number, (title, planned) in enumerate(zip(MILESTONES, plans, strict=True), start=1):
        actual = None
        if planned in passed and not (late and planned == passed[-1]):
            actual = min(planned + datetime.timedelta(days=7 * number), today)
        rows.append(services.MilestoneRow(title, planned, actual))
    services.milestones_set(actor=None, project=project, rows=rows)


def _reports(project, start, end, status, rng: random.Random, *, photos: bool) -> None:
    day, percent, number = start + datetime.timedelta(days=20), 0, 0
    while day <= end:
        number += 1
        percent = min(percent + rng.randrange(6, 14), 95)
        is_last = day + datetime.timedelta(days=91) > end
        state = status if is_last else ProgressStatus.ON_TRACK
        if is_last and status == ProgressStatus.COMPLETED:
            percent = 100
        text = TEXTS[state].format(
            step=f"Arbeitsstand: Meilenstein „{MILESTONES[min(number // 3, 3)]}“.",
            next=MILESTONES[min(number // 3 + 1, 3)],
        )
        photo = _photo(rng, project.title) if photos and number % 3 == 1 else None
        services.progress_update_create(
            actor=None,
            project=project,
            date=day,
            percent=percent,
            status=state,
            text=text,
            photo=photo,
            photo_description=f"Baustelle des Projekts „{project.title}“" if photo else "",
        )
        day += datetime.timedelta(days=91)


def _spending(project: Project, today: datetime.date, rng: random.Random) -> None:
    years: dict[int, Decimal] = {}
    for item in project.costs.all():
        if item.year <= today.year:
            share = Decimal(rng.randrange(55, 110)) / 100
            spent = (item.amount * share).quantize(Decimal("1"))
            years[item.year] = years.get(item.year, Decimal(0)) + spent
    if years:
        services.spending_set(actor=None, project=project, years=dict(years))


def url_samples() -> dict[str, dict]:
    """URL parameters for ``core/tests/test_url_access.py``: a public project in
    implementation (with reports once this demo is loaded)."""
    project = (
        Project.objects.filter(is_public=True, stage__in=PUBLIC_STAGES)
        .order_by("-stage", "pk")
        .first()
    )
    if project is None:
        return {}
    with_project = {"pk": project.pk}
    update = ProgressUpdate.objects.order_by("pk").first()
    with_update = {"pk": update.pk} if update is not None else {}
    return {
        "monitoring:progress_staff_update_edit": with_update,
        "monitoring:progress_staff_update_delete": with_update,
        "monitoring:progress_staff_project": with_project,
        "monitoring:progress_staff_milestones": with_project,
        "monitoring:progress_staff_update_create": with_project,
        "monitoring:progress_staff_spending": with_project,
        "monitoring:report_staff_project_generate": with_project,
        "monitoring:report_project_download": {**with_project, "fmt": "pdf"},
        "monitoring:report_yearly_download": {"year": timezone.localdate().year, "fmt": "pdf"},
        "monitoring:report_staff_yearly_texts": {"year": timezone.localdate().year},
        "monitoring:progress_project": with_project,
        "monitoring:progress_project_feed": with_project,
        "monitoring:subscription_request": with_project,
        # Link tokens that cannot exist: both answer the one invalid-link page (404).
        "monitoring:subscription_confirm": {"token": "x" * 43},
        "monitoring:subscription_unsubscribe": {"token": "x" * 43},
    }
