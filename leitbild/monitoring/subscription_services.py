"""E-mail subscriptions to a project's progress reports: request, confirm, notify, unsubscribe.

Double opt-in: a request stores the address unconfirmed with the keyed hash of a random token
and sends the link with that token; only a confirmed address receives progress reports. Every
report mail carries a signed unsubscribe link; following it deletes the address. Unconfirmed
requests are deleted after ``UNCONFIRMED_DAYS`` days by the ``subscriptions_purge``
command (and on the way by every new request).

A visitor always sees the same answer to a request, whether the address was new, waiting
for its confirmation or subscribed already: the answer tells nobody who subscribed.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from leitbild.core import security
from leitbild.core.mail import email_enqueue
from leitbild.portfolio.models import Project

from .progress_models import ProgressUpdate
from .progress_selectors import public_projects
from .subscription_models import ProgressSubscription

CONFIRM_HOURS = 48
UNCONFIRMED_DAYS = 7
# A second confirmation mail for the same address and project not before this pause.
RESEND_MINUTES = 10
_CONFIRM_SALT = "leitbild.monitoring.subscription-confirmation"
_UNSUBSCRIBE_SALT = "leitbild.monitoring.subscription-unsubscribe"


def _address_key(email: str) -> str:
    return security.keyed_hash(email.strip().lower(), salt=_UNSUBSCRIBE_SALT)[:20]


def unsubscribe_token(subscription: ProgressSubscription) -> str:
    """Signed id and address check: valid as long as the subscription exists."""
    return signing.dumps(
        {"s": subscription.pk, "e": _address_key(subscription.email)}, salt=_UNSUBSCRIBE_SALT
    )


def unsubscribe_url(subscription: ProgressSubscription) -> str:
    return settings.SITE_URL + reverse(
        "monitoring:subscription_unsubscribe", args=[unsubscribe_token(subscription)]
    )


def subscription_for_unsubscribe(token: str) -> ProgressSubscription | None:
    """The subscription an unsubscribe link names, or None if it is invalid or gone."""
    if not isinstance(token, str) or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        pk, key = int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    found = ProgressSubscription.objects.select_related("project").filter(pk=pk).first()
    if found is None or not constant_time_compare(key, _address_key(found.email)):
        return None
    return found


@transaction.atomic
def subscription_request(*, project: Project, email: str, now: datetime | None = None) -> None:
    """Keep the address unconfirmed and send the confirmation link (once the caller's
    transaction commits). Sends nothing for a subscribed address or within the pause."""
    now = now or timezone.now()
    email = email.strip()
    subscriptions_purge_unconfirmed(now=now)  # also daily by ``subscriptions_purge``
    existing = (
        ProgressSubscription.objects.select_for_update()
        .filter(project=project, email__iexact=email)
        .first()
    )
    if existing is not None and (
        existing.confirmed_at is not None
        or existing.created_at > now - timedelta(minutes=RESEND_MINUTES)
    ):
        return
    token = secrets.token_urlsafe(32)
    token_hash = security.keyed_hash(token, salt=_CONFIRM_SALT)
    if existing is not None:
        existing.token_hash, existing.created_at = token_hash, now
        existing.save(update_fields=["token_hash", "created_at"])
    else:
        try:
            with transaction.atomic():
                ProgressSubscription.objects.create(
                    project=project, email=email, token_hash=token_hash, created_at=now
                )
        except IntegrityError:  # the same address at the same moment: one mail is enough
            return
    context = {
        "project": project,
        "city": settings.LEITBILD_CITY_NAME,
        "hours": CONFIRM_HOURS,
        "days": UNCONFIRMED_DAYS,
        "confirm_url": settings.SITE_URL + reverse("monitoring:subscription_confirm", args=[token]),
    }
    email_enqueue(
        to=email,
        subject=_("Bitte bestätigen Sie Ihr Abonnement"),
        body=render_to_string("monitoring/subscriptions/email/confirm.txt", context),
    )


@transaction.atomic
def subscription_confirm(*, token: str, now: datetime | None = None) -> ProgressSubscription | None:
    """The subscription a confirmation link names, now confirmed; None if the link is unknown
    or expired. A second click on the same link finds nothing (the token is spent)."""
    now = now or timezone.now()
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    found = (
        ProgressSubscription.objects.select_for_update()
        .select_related("project")
        .filter(
            token_hash__in=security.keyed_hash_candidates(token, salt=_CONFIRM_SALT),
            confirmed_at__isnull=True,
            created_at__gte=now - timedelta(hours=CONFIRM_HOURS),
        )
        .first()
    )
    if found is None:
        return None
    found.confirmed_at, found.token_hash = now, ""
    found.save(update_fields=["confirmed_at", "token_hash"])
    return found


def subscription_delete(*, subscription: ProgressSubscription) -> None:
    """Unsubscribe: the address is deleted, nothing of it is kept."""
    ProgressSubscription.objects.filter(pk=subscription.pk).delete()


def progress_update_notify(update: ProgressUpdate) -> int:
    """Queue the report for every confirmed subscriber of its project (sent once the
    transaction that stores the report commits); each mail has its own unsubscribe link.
    Nothing for a project that is not public. Returns the number of mails queued."""
    project = public_projects().filter(pk=update.project_id).first()
    if project is None:
        return 0
    subscriptions = ProgressSubscription.objects.filter(project=project, confirmed_at__isnull=False)
    page = settings.SITE_URL + reverse("monitoring:progress_project", args=[project.pk])
    subject = _("Neuer Fortschrittsbericht: %(title)s") % {"title": project.title}
    count = 0
    for subscription in subscriptions:
        context = {
            "project": project,
            "update": update,
            "page_url": page,
            "unsubscribe_url": unsubscribe_url(subscription),
            "city": settings.LEITBILD_CITY_NAME,
        }
        email_enqueue(
            to=subscription.email,
            subject=subject,
            body=render_to_string("monitoring/subscriptions/email/update.txt", context),
        )
        count += 1
    return count


def subscriptions_purge_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete requests not confirmed within ``UNCONFIRMED_DAYS`` days."""
    now = now or timezone.now()
    count, _detail = ProgressSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)
    ).delete()
    return count
