"""The audit actions of the idea call (values as stored since the first entries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import IdeaStatus


class ParticipationAction(models.TextChoices):
    IDEA_CREATE = "idea.create", _("Idee erfasst")
    DOCUMENT_IDEAS = "process.document_ideas", _("Ideen für das Strategiedokument ausgewählt")
    IDEA_EDIT = "idea.edit", _("Idee durch die Moderation bearbeitet")
    IDEA_APPROVE = "idea.approve", _("Idee als geprüft markiert")
    IDEA_MERGE = "idea.merge", _("Idee zusammengeführt")
    IDEA_STATUS_PUBLISHED = "idea.status.published", _("Idee veröffentlicht")
    IDEA_STATUS_IN_REVIEW = "idea.status.in_review", _("Idee in Prüfung genommen")
    IDEA_STATUS_ACCEPTED = "idea.status.accepted", _("Idee in die Strategie aufgenommen")
    IDEA_STATUS_REJECTED = "idea.status.rejected", _("Idee nicht aufgenommen")
    IDEA_STATUS_REMOVED = "idea.status.removed", _("Idee entfernt")
    EMAIL_BLOCK = "email.block", _("E-Mail-Adresse gesperrt")
    COMMENT_SHOW = "comment.show", _("Kommentar freigegeben")
    COMMENT_HIDE = "comment.hide", _("Kommentar ausgeblendet")
    REPORT_RESOLVE = "report.resolve", _("Meldung erledigt")
    PROCESS_CREATE = "process.create", _("Beteiligungsverfahren angelegt")
    PROCESS_UPDATE = "process.update", _("Beteiligungsverfahren geändert")
    PHASE_CREATE = "phase.create", _("Phase angelegt")
    PHASE_UPDATE = "phase.update", _("Phase geändert")
    PHASE_DELETE = "phase.delete", _("Phase gelöscht")
    WORKSHOP_CREATE = "workshop.create", _("Workshop angelegt")
    WORKSHOP_UPDATE = "workshop.update", _("Workshop geändert")
    REASON_TEMPLATE_CREATE = "reason_template.create", _("Textbaustein für Begründungen angelegt")
    REASON_TEMPLATE_UPDATE = "reason_template.update", _("Textbaustein für Begründungen geändert")


# The action of moving an idea to a status (``services.idea_status_set``); nothing moves an
# idea back to "eingereicht".
STATUS_ACTIONS: dict[str, ParticipationAction] = {
    IdeaStatus.PUBLISHED: ParticipationAction.IDEA_STATUS_PUBLISHED,
    IdeaStatus.IN_REVIEW: ParticipationAction.IDEA_STATUS_IN_REVIEW,
    IdeaStatus.ACCEPTED: ParticipationAction.IDEA_STATUS_ACCEPTED,
    IdeaStatus.REJECTED: ParticipationAction.IDEA_STATUS_REJECTED,
    IdeaStatus.REMOVED: ParticipationAction.IDEA_STATUS_REMOVED,
}
