"""Publishing results before the phase ends (after it, they are public anyway)."""

from django.db import transaction

from leitbild.core.audit import audit_record, snapshot

from ..audit import ConsultationAction
from ..models import (
    Survey,
    Weighting,
)


@transaction.atomic
def results_publish(*, actor, consultation: Weighting | Survey, published: bool):
    before = snapshot(consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(results_published=published)
    consultation.results_published = published
    audit_record(
        actor=actor,
        action=ConsultationAction.RESULTS_PUBLISH,
        obj=consultation,
        before=before,
        after=snapshot(consultation),
    )
    return consultation
