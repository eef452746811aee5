"""Every write of the idea call. Views call these; nothing else changes ideas.

Staff writes take ``actor`` and record an audit entry inside their transaction. Visitor writes
check ``rules`` again, whatever the page showed, and raise ``NotAllowed`` with a message meant
for the visitor.

Public idea pages are cached under ``selectors.ideas_version``, the process's own
``ideas_version``: every write that changes what the public pages show calls
``ideas_changed`` in its transaction (and sets ``updated_at`` on the ideas it changes, also
in ``QuerySet.update``), or visitors see a stale page; ``tests/test_page_cache.py`` has a
test per kind of write.
"""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leitbild.core.audit import audit_record, audited_save, snapshot
from leitbild.core.errors import NotAllowed  # the visitor may not do this now (403)
from leitbild.core.security import stored_hash
from leitbild.strategy.models import ActionField

from . import phases, rules
from .audit import STATUS_ACTIONS, ParticipationAction
from .models import (
    PUBLIC_LIST_STATUSES,
    BlockedEmail,
    Comment,
    Idea,
    IdeaSource,
    IdeaStatus,
    IdeaStatusChange,
    Phase,
    Process,
    ReasonTemplate,
    Report,
    Submitter,
    Support,
    Workshop,
)
from .spam import email_hash, email_hash_candidates

# Which status may follow which. REMOVED takes spam out of public view.
TRANSITIONS: dict[str, set[str]] = {
    IdeaStatus.SUBMITTED: {IdeaStatus.PUBLISHED, IdeaStatus.REJECTED, IdeaStatus.REMOVED},
    IdeaStatus.PUBLISHED: {
        IdeaStatus.IN_REVIEW,
        IdeaStatus.ACCEPTED,
        IdeaStatus.REJECTED,
        IdeaStatus.REMOVED,
    },
    IdeaStatus.IN_REVIEW: {
        IdeaStatus.PUBLISHED,
        IdeaStatus.ACCEPTED,
        IdeaStatus.REJECTED,
        IdeaStatus.REMOVED,
    },
    IdeaStatus.ACCEPTED: {IdeaStatus.IN_REVIEW, IdeaStatus.REJECTED},
    IdeaStatus.REJECTED: {IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.PUBLISHED},
    IdeaStatus.REMOVED: {IdeaStatus.PUBLISHED},
}
APP = "participation"  # the owner of the idea call's phase kinds (see ``phases``)
MAX_FIELDS = 3


def ideas_changed(process_id: int) -> None:
    """What the public idea pages of the process show has changed: a new cache version.
    Call it inside the transaction of the write."""
    Process.objects.filter(pk=process_id).update(ideas_version=F("ideas_version") + 1)


def _idea_snapshot(idea: Idea) -> dict | None:
    # No personal data in the audit trail: the contact is referenced by id only.
    return snapshot(idea, exclude=("submitter_email_hash", "fields"))


def _check_fields(process: Process, fields) -> list[ActionField]:
    fields = list(fields)
    if not 1 <= len(fields) <= MAX_FIELDS:
        raise ValidationError(
            {"action_fields": _("Bitte wählen Sie ein bis drei Handlungsfelder.")}
        )
    if any(f.strategy_id != process.strategy_id for f in fields):
        raise ValidationError(
            {"action_fields": _("Dieses Handlungsfeld gehört nicht zur Strategie.")}
        )
    return fields


def _notify_later(change: IdeaStatusChange) -> None:
    idea = change.idea
    if idea.submitter_id is None:
        return
    from .tasks import notify_status_change

    transaction.on_commit(lambda: notify_status_change.enqueue(change.pk))


def _record_status(
    idea: Idea,
    *,
    to_status: str,
    from_status: str = "",
    reason: str = "",
    actor=None,
    now: datetime | None = None,
    notify: bool = True,
) -> IdeaStatusChange:
    change = IdeaStatusChange.objects.create(
        idea=idea,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        at=now or timezone.now(),
        by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if notify:
        _notify_later(change)
    return change


# --- Visitors -------------------------------------------------------------------------------
@transaction.atomic
def idea_submit(
    *,
    process: Process,
    title: str,
    description: str,
    fields,
    lat=None,
    lon=None,
    address: str = "",
    photo: ContentFile | None = None,
    photo_description: str = "",
    email: str = "",
    source: str = IdeaSource.ONLINE,
    workshop: Workshop | None = None,
    actor=None,
    premoderate: bool = False,
    now: datetime | None = None,
) -> Idea:
    """A new idea, online by a visitor (``actor`` None) or entered by staff from offline.

    Visitors may submit only while the idea call is open; staff may enter postcards and
    workshop results at any time. Pre-moderated online ideas stay private until approved,
    and so does a visitor's idea with ``premoderate`` (sent without the ALTCHA proof of
    work, e.g. without JavaScript) in a post-moderated process.
    """
    now = now or timezone.now()
    if actor is None:
        if source != IdeaSource.ONLINE or workshop is not None:
            raise NotAllowed(
                _("Nur die Verwaltung kann Ideen aus anderen Quellen erfassen."),
                code="idea.source_staff_only",
            )
        if not rules.may_submit_idea(process, now=now):
            raise NotAllowed(
                _(
                    "Der Ideenaufruf ist nicht geöffnet. Es können gerade keine "
                    "Ideen eingereicht werden."
                ),
                code="idea.call_closed",
            )
    fields = _check_fields(process, fields)
    if (lat is None) != (lon is None):
        raise ValidationError({"address": _("Bitte geben Sie einen vollständigen Ort an.")})
    if source == IdeaSource.WORKSHOP and (workshop is None or workshop.process_id != process.pk):
        raise ValidationError({"workshop": _("Bitte wählen Sie den Workshop aus.")})
    if source != IdeaSource.WORKSHOP:
        workshop = None
    hashed = email_hash(email) if email else ""
    if hashed and BlockedEmail.objects.filter(email_hash__in=email_hash_candidates(email)).exists():
        raise ValidationError(
            {"email": _("Mit dieser E-Mail-Adresse können keine Ideen eingereicht werden.")}
        )
    published = actor is not None or (
        process.moderation == Process.Moderation.POST and not premoderate
    )
    idea = Idea(
        process=process,
        title=title.strip(),
        description=description.strip(),
        lat=lat,
        lon=lon,
        address=address.strip(),
        photo_description=photo_description.strip(),
        source=source,
        workshop=workshop,
        status=IdeaStatus.PUBLISHED if published else IdeaStatus.SUBMITTED,
        published_at=now if published else None,
        created_at=now,
        moderated_at=now if actor is not None else None,
        submitter_email_hash=hashed,
    )
    if photo is not None:
        idea.photo.save(photo.name, photo, save=False)
    if email:
        idea.submitter = Submitter.objects.create(
            process=process, email=email.strip(), token=secrets.token_urlsafe(32)
        )
    idea.save()
    idea.fields.set(fields)
    _record_status(idea, to_status=IdeaStatus.SUBMITTED, now=now, notify=False)
    if published:
        ideas_changed(process.pk)
    if published:
        _record_status(
            idea,
            from_status=IdeaStatus.SUBMITTED,
            to_status=IdeaStatus.PUBLISHED,
            actor=actor,
            now=now,
            notify=False,
        )
    if idea.submitter is not None:
        from .tasks import send_submitter_confirmation

        submitter_id = idea.submitter.pk
        transaction.on_commit(lambda: send_submitter_confirmation.enqueue(submitter_id))
    if actor is not None:
        audit_record(
            actor=actor,
            action=ParticipationAction.IDEA_CREATE,
            obj=idea,
            after=_idea_snapshot(idea),
        )
    return idea


@transaction.atomic
def submitter_confirm(*, token: str) -> Submitter | None:
    """Double opt-in: the address is used for feedback only after this."""
    submitter = Submitter.objects.filter(token=token).first() if token else None
    if submitter is None:
        return None
    if submitter.confirmed_at is None:
        submitter.confirmed_at = timezone.now()
        submitter.save(update_fields=["confirmed_at"])
    return submitter


@transaction.atomic
def idea_support(*, idea: Idea, visitor: str, now: datetime | None = None) -> bool:
    """Add one support; False if this visitor supported the idea already.

    The database's unique constraint decides, so two clicks racing each other count once.
    """
    if not rules.may_support(idea, now=now):
        raise NotAllowed(
            _("Diese Idee kann gerade nicht unterstützt werden."), code="idea.support_closed"
        )
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, visitor=visitor, created_at=now or timezone.now())
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(
        support_count=F("support_count") + 1, updated_at=timezone.now()
    )
    ideas_changed(idea.process_id)
    return True


def idea_support_from_browser(*, idea: Idea, token: str, limited: bool) -> tuple[bool | None, str]:
    """A support from the browser with visitor ``token``, unless its client is ``limited``:
    whether it counts (True), counted before (None) or was refused (False), and what to tell
    the visitor."""
    if limited:
        return False, _(
            "Ihre Unterstützung wurde nicht gezählt: Von Ihrem Anschluss kamen zu viele "
            "Unterstützungen in kurzer Zeit. Bitte versuchen Sie es später noch einmal."
        )
    from .selectors import support_visitor

    try:
        created = idea_support(idea=idea, visitor=support_visitor(idea=idea, token=token))
    except NotAllowed as exc:
        return False, _("Ihre Unterstützung wurde nicht gezählt: %(reason)s") % {"reason": exc}
    if created:
        return True, _("Danke für Ihre Unterstützung!")
    return None, _("Sie unterstützen diese Idee bereits.")


@transaction.atomic
def comment_add(
    *,
    idea: Idea,
    text: str,
    author_name: str = "",
    parent: Comment | None = None,
    premoderate: bool = False,
    now: datetime | None = None,
) -> Comment:
    """A visitor's comment; it waits for moderation in a pre-moderated process, or when
    ``premoderate`` (sent without the ALTCHA proof of work)."""
    if not rules.may_comment(idea, now=now):
        raise NotAllowed(
            _("Zu dieser Idee kann gerade nicht kommentiert werden."), code="comment.closed"
        )
    if parent is not None and (
        parent.idea_id != idea.pk
        or parent.parent_id is not None
        or parent.state != Comment.State.VISIBLE
    ):
        raise ValidationError({"parent": _("Auf diesen Kommentar kann nicht geantwortet werden.")})
    pre = premoderate or idea.process.moderation == Process.Moderation.PRE
    comment = Comment.objects.create(
        idea=idea,
        parent=parent,
        author_name=author_name.strip(),
        text=text.strip(),
        state=Comment.State.PENDING if pre else Comment.State.VISIBLE,
        created_at=now or timezone.now(),
    )
    if not pre:
        Idea.objects.filter(pk=idea.pk).update(
            comment_count=F("comment_count") + 1, updated_at=timezone.now()
        )
        ideas_changed(idea.process_id)
    return comment


@transaction.atomic
def report_create(
    *, idea: Idea, reason: str, text: str = "", comment: Comment | None = None
) -> Report:
    if not rules.may_report(idea):
        raise NotAllowed(_("Dieser Beitrag kann nicht gemeldet werden."), code="report.closed")
    if comment is not None and comment.idea_id != idea.pk:
        raise ValidationError(_("Der Kommentar gehört nicht zu dieser Idee."))
    return Report.objects.create(idea=idea, comment=comment, reason=reason, text=text.strip())


# --- Moderation -----------------------------------------------------------------------------
@transaction.atomic
def idea_status_set(
    *, actor, idea: Idea, status: str, reason: str = "", now: datetime | None = None
) -> Idea:
    """Move an idea along its lifecycle; the submitter hears of it if they confirmed an e-mail.

    ``nicht aufgenommen`` and ``entfernt`` need a reason, which is shown publicly.
    """
    now = now or timezone.now()
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.merged_into_id is not None:
        raise ValidationError(_("Diese Idee wurde bereits zusammengeführt."))
    if status not in TRANSITIONS.get(idea.status, set()):
        raise ValidationError(
            _("Von „%(a)s“ kann nicht zu „%(b)s“ gewechselt werden.")
            % {"a": IdeaStatus(idea.status).label, "b": IdeaStatus(status).label}
        )
    reason = reason.strip()
    if status in {IdeaStatus.REJECTED, IdeaStatus.REMOVED} and not reason:
        raise ValidationError({"reason": _("Bitte geben Sie eine Begründung an.")})
    before = _idea_snapshot(idea)
    old = idea.status
    idea.status = status
    idea.status_reason = reason
    idea.moderated_at = now
    # A rejected idea is shown with its reason (the form says the reason is public), also
    # when it was rejected before it was ever published under pre-moderation.
    if status in PUBLIC_LIST_STATUSES and idea.published_at is None:
        idea.published_at = now
    idea.save(
        update_fields=["status", "status_reason", "moderated_at", "published_at", "updated_at"]
    )
    _record_status(idea, from_status=old, to_status=status, reason=reason, actor=actor, now=now)
    ideas_changed(idea.process_id)
    audit_record(
        actor=actor,
        action=STATUS_ACTIONS[status],
        obj=idea,
        before=before,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_approve(*, actor, idea: Idea, now: datetime | None = None) -> Idea:
    """Release a pre-moderated idea, or mark a post-moderated one as checked."""
    now = now or timezone.now()
    if idea.status == IdeaStatus.SUBMITTED:
        return idea_status_set(actor=actor, idea=idea, status=IdeaStatus.PUBLISHED, now=now)
    before = _idea_snapshot(idea)
    idea.moderated_at = now
    idea.save(update_fields=["moderated_at", "updated_at"])
    ideas_changed(idea.process_id)
    audit_record(
        actor=actor,
        action=ParticipationAction.IDEA_APPROVE,
        obj=idea,
        before=before,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_edit(
    *, actor, idea: Idea, title: str, description: str, fields, address: str = "", note: str = ""
) -> Idea:
    """Moderation edits an idea; the page then says so, with the note."""
    fields = _check_fields(idea.process, fields)
    before = _idea_snapshot(idea)
    before_fields = sorted(idea.fields.values_list("pk", flat=True))
    idea.title = title.strip()
    idea.description = description.strip()
    idea.address = address.strip()
    idea.edited_by_moderation_at = timezone.now()
    idea.moderation_note = note.strip()
    idea.save()
    idea.fields.set(fields)
    after = _idea_snapshot(idea)
    ideas_changed(idea.process_id)
    if before is not None and after is not None:
        before["fields"] = before_fields
        after["fields"] = sorted(f.pk for f in fields)
    audit_record(
        actor=actor, action=ParticipationAction.IDEA_EDIT, obj=idea, before=before, after=after
    )
    return idea


@transaction.atomic
def idea_merge(*, actor, idea: Idea, into: Idea, now: datetime | None = None) -> Idea:
    """Merge a duplicate ``idea`` into ``into``: its supports and comments move there.

    A visitor who supported both keeps one support. The merged idea's page redirects.
    ``now`` dates the merge in the idea's history (as ``idea_status_set``'s does).
    """
    now = now or timezone.now()
    ideas = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk])}
    idea, into = ideas.get(idea.pk), ideas.get(into.pk)
    if idea is None or into is None or idea.pk == into.pk:
        raise ValidationError(_("Eine Idee kann nicht mit sich selbst zusammengeführt werden."))
    if idea.process_id != into.process_id:
        raise ValidationError(_("Beide Ideen müssen zum selben Verfahren gehören."))
    if idea.merged_into_id is not None or into.merged_into_id is not None:
        raise ValidationError(_("Eine der Ideen wurde bereits zusammengeführt."))
    before = _idea_snapshot(idea)
    kept_visitors = Support.objects.filter(idea=into).values("visitor")
    Support.objects.filter(idea=idea, visitor__in=kept_visitors).delete()
    Support.objects.filter(idea=idea).update(idea=into)
    Comment.objects.filter(idea=idea).update(idea=into)
    Report.objects.filter(idea=idea).update(idea=into)
    Idea.objects.filter(merged_into=idea).update(merged_into=into, updated_at=timezone.now())
    into.support_count = Support.objects.filter(idea=into).count()
    into.comment_count = comments_shown_count(into.pk)
    into.save(update_fields=["support_count", "comment_count", "updated_at"])
    ideas_changed(into.process_id)
    idea.merged_into = into
    idea.support_count = 0
    idea.comment_count = 0
    idea.moderated_at = now
    idea.save(
        update_fields=[
            "merged_into",
            "support_count",
            "comment_count",
            "moderated_at",
            "updated_at",
        ]
    )
    _record_status(
        idea,
        from_status=idea.status,
        to_status=idea.status,
        actor=actor,
        reason=_("Zusammengeführt mit der Idee „%(title)s“ (Nr. %(pk)s).")
        % {"title": into.title, "pk": into.pk},
        now=now,
    )
    audit_record(
        actor=actor,
        action=ParticipationAction.IDEA_MERGE,
        obj=idea,
        before=before,
        after={**(_idea_snapshot(idea) or {}), "merged_into": into.pk},
    )
    return into


@transaction.atomic
def email_block(*, actor, idea: Idea, note: str = "") -> BlockedEmail:
    """Block the address that submitted ``idea`` from submitting again."""
    if not idea.submitter_email_hash:
        raise ValidationError(_("Zu dieser Idee ist keine E-Mail-Adresse bekannt."))
    blocked, _created = BlockedEmail.objects.get_or_create(
        email_hash=idea.submitter_email_hash,
        defaults={"note": note.strip()[:300], "created_by": actor},
    )
    audit_record(
        actor=actor,
        action=ParticipationAction.EMAIL_BLOCK,
        obj=blocked,
        after={"idea": idea.pk, "note": blocked.note},
    )
    return blocked


def comments_shown_count(idea_id: int) -> int:
    """The comments a visitor sees under an idea: visible ones, without the replies of a
    hidden comment (the page does not show them either)."""
    return (
        Comment.objects.filter(idea_id=idea_id, state=Comment.State.VISIBLE)
        .filter(Q(parent__isnull=True) | Q(parent__state=Comment.State.VISIBLE))
        .count()
    )


@transaction.atomic
def comment_moderate(*, actor, comment: Comment, visible: bool, reason: str = "") -> Comment:
    """Show (approve) or hide a comment; the idea's counter follows."""
    before = snapshot(comment)
    was_visible = comment.state == Comment.State.VISIBLE
    comment.state = Comment.State.VISIBLE if visible else Comment.State.HIDDEN
    comment.hidden_reason = "" if visible else reason.strip()[:300]
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["state", "hidden_reason", "moderated_at"])
    if visible != was_visible:
        # Counted again rather than by one: hiding a comment hides its replies with it.
        Idea.objects.filter(pk=comment.idea_id).update(
            comment_count=comments_shown_count(comment.idea_id), updated_at=timezone.now()
        )
        ideas_changed(comment.idea.process_id)
    audit_record(
        actor=actor,
        action=ParticipationAction.COMMENT_SHOW if visible else ParticipationAction.COMMENT_HIDE,
        obj=comment,
        before=before,
        after=snapshot(comment),
    )
    return comment


@transaction.atomic
def report_resolve(*, actor, report: Report, resolution: str = "") -> Report:
    before = snapshot(report)
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.resolution = resolution.strip()[:300]
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action=ParticipationAction.REPORT_RESOLVE,
        obj=report,
        before=before,
        after=snapshot(report),
    )
    return report


# --- Configuration --------------------------------------------------------------------------
@transaction.atomic
def process_save(*, actor, process: Process | None = None, **data) -> Process:
    process = process or Process()
    action = (
        ParticipationAction.PROCESS_UPDATE if process.pk else ParticipationAction.PROCESS_CREATE
    )
    before = snapshot(process) if process.pk else None
    process = audited_save(actor=actor, obj=process, action=action, before=before, values=data)
    ideas_changed(process.pk)
    return process


@transaction.atomic
def phase_save(*, actor, process: Process, phase: Phase | None = None, **data) -> Phase:
    """Create or change a phase. The kind of an existing phase changes only if the app that
    owns its kind allows it (``participation.phases``): a weighting or survey stays one."""
    if phase is not None and phase.pk:
        # Under the row lock, with the kind as stored, not as the caller's object says.
        phase = Phase.objects.select_for_update().get(pk=phase.pk)
        if "kind" in data and data["kind"] != phase.kind:
            phases.phase_change_check(phase=phase, action=phases.CHANGE_KIND, app=APP)
    phase = phase or Phase(process=process)  # "end after start": Phase.clean in full_clean
    action = ParticipationAction.PHASE_UPDATE if phase.pk else ParticipationAction.PHASE_CREATE
    before = snapshot(phase) if phase.pk else None
    phase = audited_save(actor=actor, obj=phase, action=action, before=before, values=data)
    ideas_changed(phase.process_id)
    return phase


@transaction.atomic
def phase_delete(*, actor, phase: Phase) -> None:
    """Delete a phase of the idea call's own kinds; the owner of any other kind refuses
    (``ValidationError``) and deletes its phases through its own service."""
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    phases.phase_change_check(phase=phase, action=phases.DELETE, app=APP)
    audit_record(
        actor=actor, action=ParticipationAction.PHASE_DELETE, obj=phase, before=snapshot(phase)
    )
    phase.delete()
    ideas_changed(phase.process_id)


@transaction.atomic
def workshop_save(*, actor, process: Process, workshop: Workshop | None = None, **data) -> Workshop:
    workshop = workshop or Workshop(process=process)
    action = (
        ParticipationAction.WORKSHOP_UPDATE if workshop.pk else ParticipationAction.WORKSHOP_CREATE
    )
    before = snapshot(workshop) if workshop.pk else None
    workshop = audited_save(actor=actor, obj=workshop, action=action, before=before, values=data)
    ideas_changed(workshop.process_id)
    return workshop


@transaction.atomic
def reason_template_save(
    *, actor, template: ReasonTemplate | None = None, **data
) -> ReasonTemplate:
    template = template or ReasonTemplate()
    action = (
        ParticipationAction.REASON_TEMPLATE_UPDATE
        if template.pk
        else ParticipationAction.REASON_TEMPLATE_CREATE
    )
    before = snapshot(template) if template.pk else None
    return audited_save(actor=actor, obj=template, action=action, before=before, values=data)


# --- Data protection ------------------------------------------------------------------------
@transaction.atomic
def contacts_purge_expired(*, now: datetime | None = None) -> int:
    """Delete feedback addresses of processes that ended more than their retention ago."""
    now = now or timezone.now()
    deleted = 0
    ends = Process.objects.annotate(last_end=Max("phases__ends_at")).filter(last_end__isnull=False)
    for process in ends:
        if process.last_end + timedelta(days=process.email_retention_days) <= now:
            count, _detail = Submitter.objects.filter(process=process).delete()
            deleted += count
    return deleted


# --- Supports with a verified e-mail address ------------------------------------------------
SUPPORT_EMAIL_SALT = "leitbild.participation.support-email"
SUPPORT_EMAIL_MAX_AGE = 2 * 24 * 3600


def support_email_request(*, idea: Idea, email: str) -> None:
    """Send a link that adds the support when followed (by the task worker, once the caller's
    transaction commits). The address itself is not stored: the link carries only a keyed
    hash of it, which becomes the support's visitor key."""
    from django.conf import settings
    from django.core import signing
    from django.template.loader import render_to_string
    from django.urls import reverse

    from leitbild.core.mail import email_enqueue

    if not rules.may_support(idea):
        raise NotAllowed(
            _("Diese Idee kann gerade nicht unterstützt werden."), code="idea.support_closed"
        )
    # After a key rotation the address's earlier support is stored under the old key's hash.
    visitor = stored_hash(email_hash_candidates(email), idea.supports.all(), "visitor")
    token = signing.dumps({"i": idea.pk, "h": visitor}, salt=SUPPORT_EMAIL_SALT)
    context = {
        "idea": idea,
        "city": settings.LEITBILD_CITY_NAME,
        "confirm_url": settings.SITE_URL + reverse("participation:support_confirm", args=[token]),
    }
    email_enqueue(
        to=email,
        subject=_("Bitte bestätigen Sie Ihre Unterstützung"),
        body=render_to_string("participation/email/support_confirm.txt", context),
    )


def support_email_token_read(token: str) -> tuple[int, str] | None:
    from django.core import signing

    try:
        data = signing.loads(token, salt=SUPPORT_EMAIL_SALT, max_age=SUPPORT_EMAIL_MAX_AGE)
        return int(data["i"]), str(data["h"])[:64]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
