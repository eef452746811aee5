"""Writes of project progress: milestones, progress reports, spending, and the CSV import.

Every function validates, writes and records an audit entry in one transaction. The rules:

* a milestone's actual date is not before the project's start and not in the future;
* a progress report's date is not in the future and not before the project's start, its
  percent complete is a whole number from 0 to 100;
* money spent is not negative.

A refused write raises ``ValidationError`` keyed by the form field it is about (for rows of a
list ``milestones-2-actual_on``, counting only the filled rows, as ``portfolio.cost_plan_set``
does). The CSV import refuses a whole file with ``ProgressImportError``, whose ``problems``
name the line of each problem; nothing of a refused file is written. Its milestone variant
(``MILESTONE_COLUMNS``) sets the dates of a project's milestone of the same title or adds it.
"""

import csv
import datetime
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, snapshot
from leitbild.core.errors import InvalidInput
from leitbild.core.fields import parse_key
from leitbild.portfolio.models import Project

from .progress_audit import ProgressAction
from .progress_models import Milestone, ProgressStatus, ProgressUpdate, Spending
from .subscription_services import progress_update_notify

YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
MAX_PROBLEMS = 50
IMPORT_COLUMNS = ("projekt_id", "datum", "prozent", "status", "text")
MILESTONE_COLUMNS = ("projekt_id", "meilenstein", "geplant", "erreicht")


class MilestoneRow(NamedTuple):
    title: str
    planned_on: datetime.date
    actual_on: datetime.date | None = None


def _date_problems(project: Project, day: datetime.date | None, *, what: str) -> list[str]:
    """Why ``day`` cannot be a date of ``project`` that has already happened."""
    if day is None:
        return []
    problems = []
    if day > timezone.localdate():
        problems.append(_("%(what)s darf nicht in der Zukunft liegen.") % {"what": what})
    if project.starts_on and day < project.starts_on:
        problems.append(
            _("%(what)s darf nicht vor dem Projektbeginn am %(start)s liegen.")
            % {"what": what, "start": project.starts_on.strftime("%d.%m.%Y")}
        )
    return problems


def _percent_problems(percent) -> list[str]:
    if percent is None or isinstance(percent, bool) or not isinstance(percent, int):
        return [_("Bitte geben Sie eine ganze Zahl von 0 bis 100 an.")]
    if not 0 <= percent <= 100:
        return [_("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")]
    return []


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


# --- Milestones -----------------------------------------------------------------------------


def _milestone_snapshot(project: Project) -> list:
    return [
        [m.title, m.planned_on.isoformat(), m.actual_on.isoformat() if m.actual_on else None]
        for m in project.milestones.all()
    ]


@transaction.atomic
def milestones_set(*, actor, project: Project, rows: Sequence[MilestoneRow]) -> list[Milestone]:
    """Replaces the milestones of ``project`` by ``rows``, in their order."""
    project = _locked(project)
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        if not row.title.strip():
            errors[f"milestones-{index}-title"] = [_("Bitte geben Sie den Meilenstein an.")]
        if row.planned_on is None:
            errors[f"milestones-{index}-planned_on"] = [_("Bitte geben Sie das geplante Datum an.")]
        problems = _date_problems(project, row.actual_on, what=_("Das Datum „erreicht am“"))
        if problems:
            errors[f"milestones-{index}-actual_on"] = problems
    if errors:
        raise ValidationError(errors)
    before = _milestone_snapshot(project)
    project.milestones.all().delete()
    created = Milestone.objects.bulk_create(
        [
            Milestone(
                project=project,
                title=row.title.strip(),
                planned_on=row.planned_on,
                actual_on=row.actual_on,
                order=index,
            )
            for index, row in enumerate(rows)
        ]
    )
    audit_record(
        actor=actor,
        action=ProgressAction.MILESTONES_SET,
        obj=project,
        before={"milestones": before},
        after={"milestones": _milestone_snapshot(project)},
    )
    return created


# --- Progress reports -----------------------------------------------------------------------


def _update_errors(project: Project, *, date, percent, status: str, text: str) -> dict:
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Bitte geben Sie das Datum an.")]
    elif problems := _date_problems(project, date, what=_("Das Datum des Berichts")):
        errors["date"] = problems
    if problems := _percent_problems(percent):
        errors["percent"] = problems
    if status not in ProgressStatus.values:
        errors["status"] = [
            _("Unbekannter Status. Erlaubt sind: %(values)s.")
            % {"values": ", ".join(ProgressStatus.values)}
        ]
    if not text.strip():
        errors["text"] = [_("Bitte beschreiben Sie den Stand.")]
    return errors


@transaction.atomic
def progress_update_create(
    *,
    actor,
    project: Project,
    date: datetime.date,
    percent: int,
    status: str,
    text: str,
    photo: ContentFile | None = None,
    photo_description: str = "",
    notify: bool = True,
) -> ProgressUpdate:
    """A progress report; ``photo`` comes cleaned from ``participation.images.photo_clean``
    (re-encoded, without metadata). With ``notify`` the project's subscribers get it by mail."""
    project = _locked(project)
    errors = _update_errors(project, date=date, percent=percent, status=status, text=text)
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate(
        project=project,
        date=date,
        percent=percent,
        status=status,
        text=text.strip(),
        photo_description=photo_description.strip()[:200],
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if photo is not None:
        update.photo.save(photo.name, photo, save=False)
    update.save()
    audit_record(
        actor=actor, action=ProgressAction.UPDATE_CREATE, obj=update, after=snapshot(update)
    )
    # The mails are queued on commit, like every e-mail: none for a report rolled back.
    if notify:
        progress_update_notify(update)
    return update


@transaction.atomic
def progress_update_change(
    *,
    actor,
    update: ProgressUpdate,
    date: datetime.date,
    percent: int,
    status: str,
    text: str,
    photo: ContentFile | None = None,
    photo_description: str = "",
    photo_remove: bool = False,
) -> ProgressUpdate:
    """Corrects a report. ``photo`` replaces the photo, ``photo_remove`` removes it; the old
    file is deleted once the change is committed. Subscribers are not mailed again: they got
    the report when it was written."""
    project = _locked(update.project)
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    errors = _update_errors(project, date=date, percent=percent, status=status, text=text)
    if errors:
        raise ValidationError(errors)
    before = snapshot(update)
    old_photo = update.photo.name if update.photo else ""
    update.date, update.percent, update.status = date, percent, status
    update.text = text.strip()
    update.photo_description = photo_description.strip()[:200]
    if photo is not None:
        update.photo.save(photo.name, photo, save=False)
    elif photo_remove:
        update.photo = ""
    update.save()
    if old_photo and old_photo != update.photo.name:
        _delete_file_on_commit(update.photo.storage, old_photo)
    audit_record(
        actor=actor,
        action=ProgressAction.UPDATE_CHANGE,
        obj=update,
        before=before,
        after=snapshot(update),
    )
    return update


@transaction.atomic
def progress_update_delete(*, actor, update: ProgressUpdate) -> None:
    """Deletes a report, and its photo once the deletion is committed."""
    _locked(update.project)
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    before = snapshot(update)
    if update.photo:
        _delete_file_on_commit(update.photo.storage, update.photo.name)
    audit_record(actor=actor, action=ProgressAction.UPDATE_DELETE, obj=update, before=before)
    update.delete()


def _delete_file_on_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


# --- Spending -------------------------------------------------------------------------------


@transaction.atomic
def spending_set(*, actor, project: Project, years: Mapping[int, Decimal | None]) -> list[Spending]:
    """Sets the money spent per year; a year without an amount has no spending row."""
    project = _locked(project)
    errors = {}
    for year, amount in years.items():
        if not YEAR_MIN <= year <= YEAR_MAX:
            errors[f"year_{year}"] = [_("Das Jahr liegt außerhalb von 2000 bis 2100.")]
        elif amount is not None and amount < 0:
            errors[f"year_{year}"] = [_("Der Betrag darf nicht negativ sein.")]
    if errors:
        raise ValidationError(errors)
    before = {str(s.year): str(s.amount) for s in project.spendings.all()}
    project.spendings.filter(year__in=list(years)).delete()
    rows = Spending.objects.bulk_create(
        [
            Spending(project=project, year=year, amount=amount)
            for year, amount in sorted(years.items())
            if amount is not None
        ]
    )
    audit_record(
        actor=actor,
        action=ProgressAction.SPENDING_SET,
        obj=project,
        before={"spending": before},
        after={"spending": {str(s.year): str(s.amount) for s in project.spendings.all()}},
    )
    return rows


# --- CSV import -----------------------------------------------------------------------------


class ImportProblem(NamedTuple):
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Zeile %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ProgressImportError(InvalidInput):
    code = "monitoring.progress_import"

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("; ".join(str(p) for p in self.problems[:5]), field="text")


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_status(text: str) -> str | None:
    wanted = text.strip().casefold()
    for value, label in ProgressStatus.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


class _Row(NamedTuple):
    line: int
    project: Project
    date: datetime.date
    percent: int
    status: str
    text: str


def _read_rows(text: str) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header (one of ``IMPORT_COLUMNS``, ``MILESTONE_COLUMNS``) and the non-empty rows
    with their line numbers."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise ProgressImportError([ImportProblem(None, _("Die Datei ist leer."))])
    delimiter = ";" if ";" in lines[0] else ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = tuple(h.strip().casefold() for h in next(reader))
    if header not in (IMPORT_COLUMNS, MILESTONE_COLUMNS):
        message = _(
            "Die Kopfzeile muss „%(updates)s“ (Fortschrittsberichte) oder „%(milestones)s“ "
            "(Meilensteine) lauten."
        ) % {"updates": ";".join(IMPORT_COLUMNS), "milestones": ";".join(MILESTONE_COLUMNS)}
        raise ProgressImportError([ImportProblem(1, message)])
    rows = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    if len(rows) > MAX_IMPORT_ROWS:
        message = _("Die Datei hat mehr als %(max)d Zeilen. Bitte teilen Sie sie auf.")
        raise ProgressImportError([ImportProblem(None, message % {"max": MAX_IMPORT_ROWS})])
    if not rows:
        message = _("Die Datei enthält keine Zeilen unter der Kopfzeile.")
        raise ProgressImportError([ImportProblem(None, message)])
    return header, rows


def _row_project(line: int, cells: list[str], columns, projects: dict) -> Project | ImportProblem:
    if len(cells) != len(columns):
        return ImportProblem(
            line,
            _("Erwartet sind %(n)d Spalten, die Zeile hat %(found)d.")
            % {"n": len(columns), "found": len(cells)},
        )
    key = parse_key(cells[0])
    project = projects.get(key) if key is not None else None
    if project is None:
        return ImportProblem(
            line, _("Ein Projekt mit der Nummer „%(id)s“ gibt es nicht.") % {"id": cells[0]}
        )
    return project


def _not_a_date(text: str) -> str:
    return _("„%(text)s“ ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ).") % {"text": text}


def _update_row(line: int, project: Project, cells: list[str]) -> _Row | list[ImportProblem]:
    day = _parse_date(cells[1])
    percent_text = cells[2].strip()
    percent = int(percent_text) if percent_text.isascii() and percent_text.isdigit() else None
    status = _parse_status(cells[3]) or cells[3].strip()
    errors = _update_errors(project, date=day, percent=percent, status=status, text=cells[4])
    if day is None and cells[1].strip():
        errors["date"] = [_not_a_date(cells[1])]
    if errors or day is None or percent is None:
        names = {"date": "datum", "percent": "prozent", "status": "status", "text": "text"}
        return [ImportProblem(line, f"{names[k]}: {m}") for k, ms in errors.items() for m in ms]
    return _Row(line, project, day, percent, status, cells[4].strip())


class _MilestoneLine(NamedTuple):
    line: int
    project: Project
    row: MilestoneRow


def _milestone_row(
    line: int, project: Project, cells: list[str]
) -> _MilestoneLine | list[ImportProblem]:
    title = cells[1].strip()
    planned, actual = _parse_date(cells[2]), _parse_date(cells[3])
    problems = []
    if not title:
        problems.append(f"meilenstein: {_('Bitte geben Sie den Meilenstein an.')}")
    if planned is None:
        problems.append(f"geplant: {_not_a_date(cells[2])}")
    if actual is None and cells[3].strip():
        problems.append(f"erreicht: {_not_a_date(cells[3])}")
    problems += [
        f"erreicht: {m}" for m in _date_problems(project, actual, what=_("Das Datum „erreicht am“"))
    ]
    if problems or planned is None:
        return [ImportProblem(line, m) for m in problems]
    return _MilestoneLine(line, project, MilestoneRow(title, planned, actual))


def progress_import_check(text: str) -> tuple[tuple[str, ...], list]:
    """The header and the checked rows of a progress CSV (``_Row`` or ``_MilestoneLine``);
    raises ``ProgressImportError`` with every problem and its line. Writes nothing."""
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise ProgressImportError(
            [ImportProblem(None, _("Die Datei ist größer als 1 MB. Bitte teilen Sie sie auf."))]
        )
    header, raw = _read_rows(text)
    keys = {parse_key(cells[0]) for _line, cells in raw if cells}
    projects = Project.objects.in_bulk([k for k in keys if k is not None])
    check = _update_row if header == IMPORT_COLUMNS else _milestone_row
    rows, problems = [], []
    for line, cells in raw:
        project = _row_project(line, cells, header, projects)
        if isinstance(project, ImportProblem):
            problems.append(project)
            continue
        result = check(line, project, cells)
        if isinstance(result, list):
            problems += result
        else:
            rows.append(result)
    if problems:
        raise ProgressImportError(problems)
    return header, rows


def _milestones_merge(*, actor, project: Project, rows: list[MilestoneRow]) -> None:
    """A milestone of the same title (ignoring case) gets the row's dates; others are added."""
    project = _locked(project)
    before = _milestone_snapshot(project)
    existing = {m.title.casefold(): m for m in project.milestones.all()}
    order = max((m.order for m in existing.values()), default=-1)
    for row in rows:
        milestone = existing.get(row.title.casefold())
        if milestone is None:
            order += 1
            milestone = Milestone(project=project, title=row.title, order=order)
            existing[row.title.casefold()] = milestone
        milestone.planned_on, milestone.actual_on = row.planned_on, row.actual_on
        milestone.save()
    audit_record(
        actor=actor,
        action=ProgressAction.MILESTONES_SET,
        obj=project,
        before={"milestones": before},
        after={"milestones": _milestone_snapshot(project)},
    )


@transaction.atomic(durable=True)
def progress_import(*, actor, text: str) -> int:
    """Imports progress reports (columns ``IMPORT_COLUMNS``) or milestones
    (``MILESTONE_COLUMNS``) from CSV separated by ``;``: all lines or none. Returns the
    number of lines imported."""
    header, rows = progress_import_check(text)
    if header == MILESTONE_COLUMNS:
        by_project: dict[int, tuple[Project, list[MilestoneRow]]] = {}
        for item in rows:
            by_project.setdefault(item.project.pk, (item.project, []))[1].append(item.row)
        for project, milestone_rows in by_project.values():
            _milestones_merge(actor=actor, project=project, rows=milestone_rows)
    else:
        newest: dict[int, ProgressUpdate] = {}
        for row in rows:
            update = progress_update_create(
                actor=actor,
                project=row.project,
                date=row.date,
                percent=row.percent,
                status=row.status,
                text=row.text,
                notify=False,
            )
            if row.project.pk not in newest or update.date >= newest[row.project.pk].date:
                newest[row.project.pk] = update
        for update in newest.values():  # one mail per project, with its newest report
            progress_update_notify(update)
    audit_record(
        actor=actor,
        action=ProgressAction.PROGRESS_IMPORT,
        object_type="monitoring.ProgressUpdate",
        object_repr=_("%(n)d Zeilen aus CSV") % {"n": len(rows)},
        after={"columns": list(header), "lines": len(rows)},
    )
    return len(rows)
