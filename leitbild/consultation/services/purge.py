"""Deleting the personal data of a phase: identities go, anonymous ballots stay."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from leitbild.core.audit import audit_record
from leitbild.participation.models import Phase

from ..audit import ConsultationAction
from ..models import (
    AccessGrant,
    Ballot,
    CodeBatch,
    EmailIdentity,
    Participation,
    ParticipationCode,
    Survey,
    SurveyResponse,
    Weighting,
)
from .ballot_box import _box_move, _vacuum_box
from .codes import batch_file


@transaction.atomic
def personal_data_purge(*, actor, phase: Phase, now: datetime | None = None) -> dict[str, int]:
    """Delete every identity of a phase: participations, codes and their files, e-mail
    confirmations, unsubmitted drafts and the change keys of ballots. Ballots and submitted
    responses stay: they are anonymous. Deleting the phase itself removes all of it as well,
    but only this removes the code files on disk, so call it before deleting a phase.

    What still waits in the ballot box is mixed first, whatever its size: the participations
    it could be paired with are deleted in the same transaction."""
    moved = sum(
        _box_move(kind="weighting", pk=w.pk, flush=True)
        for w in Weighting.objects.filter(phase=phase)
    )
    moved += sum(
        _box_move(kind="survey", pk=s.pk, flush=True) for s in Survey.objects.filter(phase=phase)
    )
    transaction.on_commit(_vacuum_box, robust=True)
    counts = {
        "participations": Participation.objects.filter(phase=phase).delete()[0],
        "codes": ParticipationCode.objects.filter(phase=phase).delete()[0],
        "email_identities": EmailIdentity.objects.filter(phase=phase).delete()[0],
        "drafts": SurveyResponse.objects.filter(survey__phase=phase, submitted=False).delete()[0],
        "change_keys": Ballot.objects.filter(
            weighting__phase=phase, change_key__isnull=False
        ).update(change_key=None),
        "access_grants": AccessGrant.objects.filter(phase=phase).delete()[0],
    }
    counts["mixed"] = moved
    files = 0
    for batch in CodeBatch.objects.filter(phase=phase):
        for fmt in ("csv", "pdf"):
            path = batch_file(batch, fmt)
            if path.exists():
                path.unlink()
                files += 1
    CodeBatch.objects.filter(phase=phase, files_deleted_at__isnull=True).update(
        has_csv=False, has_pdf=False, files_deleted_at=now or timezone.now()
    )
    counts["files"] = files
    audit_record(
        actor=actor, action=ConsultationAction.PERSONAL_DATA_PURGE, obj=phase, after=counts
    )
    return counts
