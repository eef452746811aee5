"""Archiving the final results of a weighting or survey, and deleting its phase.

Consultation owns the phases of kind "weighting" and "survey" (see
``participation.phases``): the idea call's pages cannot delete them or change their kind.
Deleting one is this module's service for the Strategie-Redaktion. It refuses while ballots
or responses exist that are not in an archive of the results, so that a vote is never lost
by a click; it deletes the identities and the private code files with the phase, and records
what it deleted in the audit log.
"""

import json
from datetime import datetime
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.audit import audit_record, snapshot
from leitbild.core.roles import Role, has_role
from leitbild.participation import phases
from leitbild.participation.models import Phase

from . import selectors, services
from .audit import ConsultationAction
from .exports import ballot_table, response_table, survey_result_table, weighting_result_table
from .models import (
    Ballot,
    CodeBatch,
    EmailIdentity,
    Participation,
    ParticipationCode,
    PendingBallot,
    PendingResponse,
    ResultsArchive,
    Survey,
    SurveyResponse,
    Weighting,
)
from .services import batch_file

APP = "consultation"

REFUSE_DELETE = gettext_lazy(
    "Diese Phase ist eine Gewichtung oder Umfrage. Löschen kann sie nur die "
    "Strategie-Redaktion unter „Gewichtung und Umfragen“, nachdem die Ergebnisse archiviert "
    "sind."
)
REFUSE_KIND = gettext_lazy(
    "Die Art einer Gewichtung oder Umfrage lässt sich nicht ändern: Stimmen, Codes und "
    "Fragen hängen daran. Legen Sie stattdessen eine neue Phase an."
)


def phase_guard(phase: Phase, action: str) -> str | None:
    """The guard registered for weighting and survey phases: other apps may do neither."""
    return str(REFUSE_DELETE if action == phases.DELETE else REFUSE_KIND)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _table(headers, rows) -> dict:
    # Through JSON once: lazy strings and NumPy numbers become what the JSONField stores.
    return json.loads(json.dumps({"headers": list(headers), "rows": list(rows)}, default=_plain))


def _weighting_tables(weighting: Weighting) -> tuple[dict, dict]:
    results = selectors.weighting_results(weighting=weighting, all_breakdowns=True)
    ballots = (
        []
        if results.suppressed
        else list(Ballot.objects.filter(weighting=weighting).values_list("choices", "demographics"))
    )
    return _table(*weighting_result_table(results)), _table(*ballot_table(results, ballots))


def _survey_tables(survey: Survey) -> tuple[dict, dict]:
    # The same tables as the exports "ergebnisse" and "antworten" (see views).
    overall = selectors.survey_results(survey=survey)
    headers, rows = survey_result_table(overall)
    for question in selectors.demographic_questions(survey.phase_id):
        part = selectors.survey_results(survey=survey, by=question.key)
        _h, more = survey_result_table(part)
        rows += [[f"{part.by.text}: {row[0]}", *row[1:]] for row in more if row[0] != _("alle")]
    responses = (
        []
        if overall.suppressed
        else list(
            SurveyResponse.objects.filter(survey=survey, submitted=True).values_list(
                "answers", "demographics"
            )
        )
    )
    return _table(headers, rows), _table(*response_table(overall, responses))


def _consultation_locked(phase: Phase) -> Weighting | Survey | None:
    """The weighting or survey of the phase under a row lock: ballots reference this row, so
    none can be added between counting and deleting (PostgreSQL; SQLite writes one at a
    time anyway)."""
    model = Weighting if phase.kind == Phase.Kind.WEIGHTING else Survey
    return model.objects.select_for_update().filter(phase=phase).first()


def _check_actor(actor) -> None:
    if not has_role(actor, Role.EDITOR):
        raise PermissionDenied("Only the Strategie-Redaktion archives and deletes phases.")


def _phase_locked(phase: Phase) -> Phase:
    phase = Phase.objects.select_for_update().select_related("process").get(pk=phase.pk)
    if phases.phase_kind_owner(phase.kind) != APP:
        raise ValidationError(_("Diese Phase ist keine Gewichtung und keine Umfrage."))
    return phase


def results_archive(*, actor, phase: Phase, now: datetime | None = None) -> ResultsArchive:
    """Freeze the final results of an ended phase into an archive that outlives it.

    First mixes what still waits in the phase's ballot boxes (in transactions of their own,
    see ``services.ballot_box_mix``), so that the archived records are the mixed ballots."""
    _check_actor(actor)
    now = now or timezone.now()
    services.ballot_boxes_flush(phase=phase, now=now)
    return _results_archive(actor=actor, phase=phase, now=now)


@transaction.atomic
def _results_archive(*, actor, phase: Phase, now: datetime) -> ResultsArchive:
    phase = _phase_locked(phase)
    consultation = _consultation_locked(phase)
    if consultation is None:
        raise ValidationError(_("Diese Phase ist noch nicht eingerichtet."))
    if phase.ends_at > now:
        raise ValidationError(
            _(
                "Archivieren lassen sich nur die endgültigen Ergebnisse: "
                "Beenden Sie die Phase zuerst."
            )
        )
    with translation.override("de"):
        if phase.kind == Phase.Kind.WEIGHTING:
            results, records = _weighting_tables(consultation)
        else:
            results, records = _survey_tables(consultation)
    # Counted by the same selector as the check in consultation_phase_delete, so that the two
    # agree whatever else holds ballots.
    n = selectors.phase_ballot_count(phase)
    archive = ResultsArchive.objects.create(
        phase_id=phase.pk,
        kind=phase.kind,
        process_title=phase.process.title,
        phase_title=phase.title,
        starts_at=phase.starts_at,
        ends_at=phase.ends_at,
        ballots=n,
        results=results,
        records=records,
        archived_by=actor,
    )
    audit_record(
        actor=actor,
        action=ConsultationAction.RESULTS_ARCHIVE,
        obj=archive,
        after={"phase": phase.pk, "ballots": n, "rows": len(records["rows"])},
    )
    return archive


@transaction.atomic(durable=True)
def consultation_phase_delete(*, actor, phase: Phase) -> dict[str, int]:
    """Delete a weighting or survey phase with everything that hangs on it.

    Refuses (``ValidationError``) while ballots or submitted responses exist that are not
    all in the newest archive of the phase's results (``results_archive``). Deletes the
    participations, codes, e-mail confirmations and drafts, then the phase (its ballots and
    questions go with it), and after the commit the private code files (CSV, PDF): a rolled
    back deletion keeps the files its codes need. Durable, so the files go right after.
    """
    _check_actor(actor)
    phase = _phase_locked(phase)
    _consultation_locked(phase)
    ballots = selectors.phase_ballot_count(phase)
    archive = selectors.results_archive_latest(phase)
    if ballots and archive is None:
        raise ValidationError(
            _(
                "Es gibt %(n)d abgegebene Stimmen oder Antworten. Archivieren Sie zuerst die "
                "Ergebnisse; erst dann lässt sich die Phase löschen."
            )
            % {"n": ballots}
        )
    if ballots and archive.ballots != ballots:
        raise ValidationError(
            _(
                "Seit der Archivierung hat sich die Zahl der Stimmen geändert (%(old)d, jetzt "
                "%(n)d). Archivieren Sie die Ergebnisse erneut."
            )
            % {"old": archive.ballots, "n": ballots}
        )
    files: list[Path] = [
        path
        for batch in CodeBatch.objects.filter(phase=phase)
        for path in (batch_file(batch, "csv"), batch_file(batch, "pdf"))
        if path.exists()
    ]
    before = snapshot(phase)
    counts = {
        "ballots": Ballot.objects.filter(weighting__phase=phase).count()
        + PendingBallot.objects.filter(weighting__phase=phase).count(),
        "responses": SurveyResponse.objects.filter(survey__phase=phase, submitted=True).count()
        + PendingResponse.objects.filter(survey__phase=phase).count(),
        "participations": Participation.objects.filter(phase=phase).delete()[0],
        "codes": ParticipationCode.objects.filter(phase=phase).delete()[0],
        "email_identities": EmailIdentity.objects.filter(phase=phase).delete()[0],
        "drafts": SurveyResponse.objects.filter(survey__phase=phase, submitted=False).delete()[0],
        "code_batches": CodeBatch.objects.filter(phase=phase).count(),
        "files": len(files),
    }
    audit_record(
        actor=actor,
        action=ConsultationAction.PHASE_DELETE,
        obj=phase,
        before=before,
        after=counts | {"archive": archive.pk if archive else None},
    )
    phase.delete()

    def delete_files() -> None:
        for path in files:
            path.unlink(missing_ok=True)

    transaction.on_commit(delete_files)
    return counts
