"""Publishing results before the phase ends (after it, they are public anyway)."""

from django.db import transaction
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, snapshot
from leitbild.core.errors import InvalidInput

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


@transaction.atomic
def results_summary_save(*, actor, consultation: Weighting | Survey, summary: str):
    """The plain-language summary above the figures ("Was die Stadt daraus macht")."""
    summary = summary.strip()
    field = type(consultation)._meta.get_field("summary")
    if len(summary) > field.max_length:
        raise InvalidInput(
            _("Höchstens %(n)d Zeichen.") % {"n": field.max_length},
            code="too_long",
            field="summary",
        )
    before = snapshot(consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(summary=summary)
    consultation.summary = summary
    audit_record(
        actor=actor,
        action=ConsultationAction.RESULTS_SUMMARY_SAVE,
        obj=consultation,
        before=before,
        after=snapshot(consultation),
    )
    return consultation
