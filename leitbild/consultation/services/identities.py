"""Identities: who counts as one participant in each mode, and the record that they took part.

Every refusal that could tell a visitor something about codes or identities raises
``ParticipationRefused`` with one and the same message. E-mail identities are confirmed by a
link (double opt-in); what a browser proved is kept on the server as an ``AccessGrant``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.errors import NotAllowed
from leitbild.core.security import stored_hash
from leitbild.participation.models import Phase

from .. import identity, selectors
from ..models import (
    AccessGrant,
    EmailIdentity,
    Mode,
    Participation,
    ParticipationCode,
)

REFUSAL = gettext_lazy(
    "Ihre Teilnahme konnte nicht angenommen werden. Mögliche Gründe: Der Code ist nicht "
    "gültig oder wurde schon verwendet, mit diesem Zugang wurde bereits teilgenommen, oder "
    "die Phase ist beendet."
)


EMAIL_TOKEN_HOURS = 48


EMAIL_REQUESTS_PER_DAY = 3


class ParticipationRefused(NotAllowed):
    """A ballot or survey was refused for a reason a visitor must not learn: the message
    (REFUSAL) is deliberately vague and the same for every reason."""

    code = "participation_refused"
    default_message = REFUSAL


def _claim(
    *, phase: Phase, mode: str, code: str = "", identity_hash: str = "", change_token: str = ""
) -> None:
    """Record that an identity took part; raises ParticipationRefused if it may not.

    Must run inside the transaction that stores the ballot or response (it leaves that
    transaction unusable when it refuses, so callers stop there). A code is marked used by an
    ``UPDATE … WHERE used = false``: of two concurrent requests with the same code, the second
    waits for the first's row lock and then matches no row. The unique constraint on
    ``Participation`` is the last line for every mode.
    """
    if mode == Mode.CODES:
        candidates = identity.code_candidates(code)
        if len(candidates) == 1:
            marked = ParticipationCode.objects.filter(
                phase=phase, code_hash=candidates[0], used=False
            ).update(used=True)
            identity_hash = candidates[0] if marked else ""
        else:  # SECRET_KEY_FALLBACKS in use: find which hash the code was stored under
            row = (
                (
                    ParticipationCode.objects.select_for_update()
                    .filter(phase=phase, code_hash__in=candidates)
                    .first()
                )
                if candidates
                else None
            )
            identity_hash = ""
            if row is not None and not row.used:
                ParticipationCode.objects.filter(pk=row.pk).update(used=True)
                identity_hash = row.code_hash
    if not identity_hash:
        raise ParticipationRefused
    try:
        Participation.objects.create(
            phase=phase,
            identity_hash=identity_hash,
            change_key=identity.participation_key(change_token) if change_token else "",
        )
    except IntegrityError:
        raise ParticipationRefused from None


def code_check(*, phase: Phase, code: str) -> bool:
    """Whether a code may still be used (to let a survey start); claims nothing."""
    candidates = identity.code_candidates(code)
    return (
        bool(candidates)
        and ParticipationCode.objects.filter(
            phase=phase, code_hash__in=candidates, used=False
        ).exists()
    )


def email_identity_request(*, phase: Phase, email: str, now: datetime | None = None) -> None:
    """Send the confirmation link (double opt-in; the task worker sends it once the caller's
    transaction commits). Says nothing about earlier requests or participations: the visitor
    always sees the same answer."""
    from leitbild.core.mail import email_enqueue

    now = now or timezone.now()
    candidates = identity.email_identity_candidates(email)
    # Under the hash it took part with before a key rotation, if it did: the unique constraint
    # on Participation then refuses it a second time.
    email_hash = stored_hash(candidates, Participation.objects.filter(phase=phase), "identity_hash")
    recent = EmailIdentity.objects.filter(
        phase=phase, email_hash__in=candidates, created_at__gte=now - timedelta(days=1)
    ).count()
    if recent >= EMAIL_REQUESTS_PER_DAY:
        return
    token = identity.new_token()
    EmailIdentity.objects.create(
        phase=phase, email_hash=email_hash, token_hash=identity.token_hash(token)
    )
    link = settings.SITE_URL + reverse("consultation:email_confirm", args=[token])
    body = _(
        "Guten Tag,\n\nSie möchten an „%(title)s“ teilnehmen. Bitte bestätigen Sie Ihre "
        "E-Mail-Adresse mit diesem Link (gültig %(hours)d Stunden):\n\n%(link)s\n\n"
        "Wir speichern Ihre Adresse nicht, nur einen verschlüsselten Prüfwert, damit jede "
        "Adresse nur einmal teilnimmt. Ihre Antworten werden getrennt davon gespeichert.\n\n"
        "Wenn Sie das nicht waren, ignorieren Sie diese E-Mail.\n\n%(city)s"
    ) % {
        "title": phase.process.title,
        "hours": EMAIL_TOKEN_HOURS,
        "link": link,
        "city": settings.LEITBILD_CITY_NAME,
    }
    email_enqueue(to=email, subject=_("Bitte bestätigen Sie Ihre Teilnahme"), body=body)


def email_identity_confirm(*, token: str, now: datetime | None = None) -> EmailIdentity | None:
    """The confirmed identity for a link, or None if the link is unknown or expired."""
    now = now or timezone.now()
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    found = (
        EmailIdentity.objects.select_related("phase")
        .filter(
            token_hash__in=identity.keyed_hash_candidates(token, purpose="email-confirmation"),
            created_at__gte=now - timedelta(hours=EMAIL_TOKEN_HOURS),
        )
        .first()
    )
    if found is not None and found.confirmed_at is None:
        EmailIdentity.objects.filter(pk=found.pk).update(confirmed_at=now)
    return found


@transaction.atomic
def access_grant(*, phase: Phase, proof: str, max_age: int, now: datetime | None = None) -> str:
    """Keep ``proof`` ("hash:…" or "code:…") for the browser; returns the token for its
    cookie. Expired grants of every phase are deleted on the way."""
    now = now or timezone.now()
    AccessGrant.objects.filter(expires_at__lt=now).delete()
    token = identity.new_token()
    AccessGrant.objects.create(
        phase=phase,
        token_hash=identity.grant_key(token),
        sealed=identity.seal(proof, token),
        expires_at=now + timedelta(seconds=max_age),
    )
    return token


def access_revoke(*, token: str) -> None:
    """Delete a grant once it has been used."""
    if token:
        AccessGrant.objects.filter(token_hash=identity.grant_key(token)).delete()


# --- Which identity counts ---------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Access:
    """What a request brings to show who takes part; the view reads it from cookies and form."""

    proof: str = ""  # what the browser proved earlier (its AccessGrant): "hash:…" or "code:…"
    browser_token: str = ""  # the long-lived browser cookie (open mode)
    code: str = ""  # a participation code typed into the form now


@dataclass(frozen=True, kw_only=True)
class Identity:
    """Who takes part, as ``_claim`` takes it: an empty one is refused there, after the ballot
    or the answers are checked, so that a visitor sees their own mistakes first."""

    code: str = ""
    identity_hash: str = ""
    grant_spent: bool = False  # proven by a grant, which is deleted once the participation counts
    new_browser_token: str = ""  # open mode, a browser without a token: keep this in its cookie


def proven_hash(proof: str) -> str:
    """The e-mail or OIDC identity hash a grant proves, or ""."""
    return proof[5:] if proof.startswith("hash:") else ""


def proven_code(proof: str) -> str:
    """The participation code a grant proves (a survey started with it), or ""."""
    return proof[5:] if proof.startswith("code:") else ""


def participation_identity(*, phase: Phase, mode: str, access: Access) -> Identity:
    """The identity that counts for a participation in ``mode`` (claims nothing):

    * open — the browser, by the token in its cookie (a new token if it has none);
    * codes — the code typed now, else the one proven when the survey started;
    * e-mail, OIDC — the hash proven by the confirmation link or the login.
    """
    if mode == Mode.OPEN:
        token, new = access.browser_token, ""
        if not 20 <= len(token) <= 64:
            token = new = identity.new_token()
        identity_hash = selectors.identity_hash_for(
            phase=phase, candidates=identity.browser_identity_candidates(token)
        )
        return Identity(identity_hash=identity_hash, new_browser_token=new)
    if mode == Mode.CODES:
        if access.code:
            return Identity(code=access.code)
        code = proven_code(access.proof)
        return Identity(code=code, grant_spent=bool(code))
    return Identity(identity_hash=proven_hash(access.proof), grant_spent=True)
