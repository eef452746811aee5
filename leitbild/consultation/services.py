"""Writes of weighting ballots and surveys. Views translate HTTP; the rules are here.

Staff writes record an audit entry in their transaction. Casting a ballot and submitting a
survey run in ``transaction.atomic(durable=True)``: when the participant sees the
confirmation, their answer is committed, never only queued in an outer transaction.

One participation per identity is enforced by the unique constraint on
``Participation(phase, identity_hash)``; a used code is additionally marked under a row lock.
Every refusal that could tell a visitor something about codes or identities raises
``ParticipationRefused`` with one and the same message.

Ballots and responses go into the ballot box first; ``ballot_box_mix`` moves them on in
shuffled batches, in a transaction of its own (see docs/security.md, "Ballot secrecy").
"""

import csv
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.consultation.ballots import PickRules, validate_ballot
from leitbild.core.audit import audit_record, snapshot
from leitbild.core.security import stored_hash
from leitbild.documents.letters import generate_codes, hash_code, letters_pdf, write_codes_csv
from leitbild.participation.models import Phase
from leitbild.strategy.models import ActionField

from . import identity
from .models import (
    AccessGrant,
    Ballot,
    CodeBatch,
    DemographicQuestion,
    EmailIdentity,
    Method,
    Mode,
    Participation,
    ParticipationCode,
    PendingBallot,
    PendingResponse,
    PopulationTarget,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    Weighting,
    WeightingField,
)
from .questionnaire import check_answers, visible_questions

log = logging.getLogger(__name__)

REFUSAL = gettext_lazy(
    "Ihre Teilnahme konnte nicht angenommen werden. Mögliche Gründe: Der Code ist nicht "
    "gültig oder wurde schon verwendet, mit diesem Zugang wurde bereits teilgenommen, oder "
    "die Phase ist beendet."
)
LOCKED = gettext_lazy(
    "Die Regeln sind gesperrt, weil bereits teilgenommen wurde. Nur Einleitung, Mindestgröße "
    "und Veröffentlichung lassen sich noch ändern."
)
MAX_CODES = 100_000
EMAIL_TOKEN_HOURS = 48
EMAIL_REQUESTS_PER_DAY = 3


class ParticipationRefused(Exception):
    """A ballot or survey was refused for a reason a visitor must not learn (see REFUSAL)."""

    def __str__(self) -> str:
        return str(REFUSAL)


# --- Configuration (staff) -------------------------------------------------------------------
WEIGHTING_RULES = (
    "mode",
    "method",
    "pick_k",
    "pick_minimum",
    "points_total",
    "points_cap",
    "rank_depth",
    "rate_require_all",
    "allow_changes",
)


def _check_mode(mode: str) -> None:
    from .oidc import oidc_configured

    if mode not in Mode.values:
        raise ValidationError({"mode": _("Diese Art der Teilnahme gibt es nicht.")})
    if mode == Mode.OIDC and not oidc_configured():
        raise ValidationError(
            {
                "mode": _(
                    "Für die Anmeldung über OpenID Connect fehlen Einstellungen "
                    "(LEITBILD_OIDC_ISSUER, LEITBILD_OIDC_CLIENT_ID)."
                )
            }
        )


def _check_weighting_rules(weighting: Weighting, count: int) -> None:
    errors: dict[str, str] = {}
    if count < 2:
        errors["fields"] = _("Wählen Sie mindestens zwei Handlungsfelder.")
    elif weighting.method == Method.PICK:
        if weighting.pick_k > count:
            errors["pick_k"] = _("Es stehen nur %(n)d Handlungsfelder zur Wahl.") % {"n": count}
        if weighting.pick_minimum > weighting.pick_k:
            errors["pick_minimum"] = _("Das Minimum darf nicht größer sein als k.")
    elif weighting.method == Method.POINTS:
        cap = weighting.points_cap
        if cap is not None and cap * count < weighting.points_total:
            errors["points_cap"] = _(
                "Mit dieser Obergrenze lassen sich die Punkte nicht vollständig verteilen."
            )
    elif weighting.method == Method.RANK:
        if weighting.rank_depth and weighting.rank_depth > count:
            errors["rank_depth"] = _("Es gibt nur %(n)d Handlungsfelder.") % {"n": count}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def weighting_configure(
    *,
    actor,
    phase: Phase,
    fields: Sequence[ActionField],
    mode: str,
    method: str,
    intro: str = "",
    pick_k: int = 3,
    pick_minimum: int = 1,
    points_total: int = 100,
    points_cap: int | None = None,
    rank_depth: int | None = None,
    rate_require_all: bool = True,
    allow_changes: bool = False,
    minimum_group_size: int = 5,
) -> Weighting:
    """Create or change the weighting of a phase. Rules (method, fields, mode, …) can no
    longer change once the first ballot is cast; the lock is taken on the weighting row, the
    same row the first ballot locks (see ``ballot_cast``)."""
    if phase.kind != Phase.Kind.WEIGHTING:
        raise ValidationError(_("Diese Phase ist keine Gewichtung."))
    _check_mode(mode)
    weighting = Weighting.objects.select_for_update().filter(phase=phase).first()
    before = snapshot(weighting)
    if weighting is None:
        weighting = Weighting(phase=phase)
    field_ids = [f.pk for f in fields]
    if len(set(field_ids)) != len(field_ids) or any(
        f.strategy_id != phase.process.strategy_id for f in fields
    ):
        raise ValidationError({"fields": _("Nur Handlungsfelder der Strategie des Verfahrens.")})
    current = (
        list(weighting.weighting_fields.values_list("field_id", flat=True)) if weighting.pk else []
    )
    rules = {
        "mode": mode,
        "method": method,
        "pick_k": pick_k,
        "pick_minimum": pick_minimum,
        "points_total": points_total,
        "points_cap": points_cap,
        "rank_depth": rank_depth,
        "rate_require_all": rate_require_all,
        "allow_changes": allow_changes,
    }
    if weighting.pk and weighting.is_locked:
        if current != field_ids or any(getattr(weighting, k) != v for k, v in rules.items()):
            raise ValidationError(LOCKED)
    for key, value in rules.items():
        setattr(weighting, key, value)
    weighting.intro = intro
    weighting.minimum_group_size = minimum_group_size
    _check_weighting_rules(weighting, len(field_ids))
    weighting.save()
    if current != field_ids:
        weighting.weighting_fields.all().delete()
        WeightingField.objects.bulk_create(
            [
                WeightingField(weighting=weighting, field_id=pk, position=position)
                for position, pk in enumerate(field_ids)
            ]
        )
    audit_record(
        actor=actor,
        action="consultation.weighting_configure",
        obj=weighting,
        before=before,
        after=snapshot(weighting) | {"field_ids": field_ids},
    )
    return weighting


@transaction.atomic
def survey_configure(
    *, actor, phase: Phase, mode: str, intro: str = "", minimum_group_size: int = 5
) -> Survey:
    if phase.kind != Phase.Kind.SURVEY:
        raise ValidationError(_("Diese Phase ist keine Umfrage."))
    _check_mode(mode)
    survey = Survey.objects.select_for_update().filter(phase=phase).first()
    before = snapshot(survey)
    if survey is None:
        survey = Survey(phase=phase)
    if survey.pk and survey.is_locked and survey.mode != mode:
        raise ValidationError(LOCKED)
    survey.mode, survey.intro, survey.minimum_group_size = mode, intro, minimum_group_size
    survey.save()
    audit_record(
        actor=actor,
        action="consultation.survey_configure",
        obj=survey,
        before=before,
        after=snapshot(survey),
    )
    return survey


@transaction.atomic
def phase_schedule(*, actor, phase: Phase, starts_at: datetime, ends_at: datetime) -> Phase:
    """Move the start or end of a phase, e.g. to close it now (end in the past)."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})
    before = snapshot(phase)
    Phase.objects.filter(pk=phase.pk).update(starts_at=starts_at, ends_at=ends_at)
    phase.starts_at, phase.ends_at = starts_at, ends_at
    transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
    audit_record(
        actor=actor,
        action="consultation.phase_schedule",
        obj=phase,
        before=before,
        after=snapshot(phase),
    )
    return phase


@transaction.atomic
def results_publish(*, actor, consultation: Weighting | Survey, published: bool):
    before = snapshot(consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(results_published=published)
    consultation.results_published = published
    audit_record(
        actor=actor,
        action="consultation.results_publish",
        obj=consultation,
        before=before,
        after=snapshot(consultation),
    )
    return consultation


def phase_is_locked(phase: Phase) -> bool:
    """True once anyone took part: questions and rules of the phase are fixed then."""
    for model in (Weighting, Survey):
        if model.objects.filter(phase=phase, locked_at__isnull=False).exists():
            return True
    return Participation.objects.filter(phase=phase).exists()


@transaction.atomic
def demographic_question_save(
    *,
    actor,
    phase: Phase,
    key: str,
    text: str,
    options: list[dict[str, str]],
    position: int = 0,
    question: DemographicQuestion | None = None,
) -> DemographicQuestion:
    if phase_is_locked(phase):
        raise ValidationError(LOCKED)
    if len(options) < 2:
        raise ValidationError({"options": _("Geben Sie mindestens zwei Antworten an.")})
    if (
        DemographicQuestion.objects.filter(phase=phase, key=key)
        .exclude(pk=question.pk if question else None)
        .exists()
    ):
        raise ValidationError({"key": _("Diesen Kurznamen hat schon eine andere Frage.")})
    before = snapshot(question)
    question = question or DemographicQuestion(phase=phase)
    question.key, question.text, question.options = key, text, options
    question.position = position
    question.save()
    audit_record(
        actor=actor,
        action="consultation.demographic_question_save",
        obj=question,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def demographic_question_delete(*, actor, question: DemographicQuestion) -> None:
    if phase_is_locked(question.phase):
        raise ValidationError(LOCKED)
    audit_record(
        actor=actor,
        action="consultation.demographic_question_delete",
        obj=question,
        before=snapshot(question),
    )
    question.delete()


def target_categories(
    question: DemographicQuestion, second: DemographicQuestion | None
) -> list[tuple[str, str]]:
    """(key, label) of every category of a target: the answers, or every pair of answers."""
    if second is None:
        return list(zip(question.values, question.labels, strict=True))
    return [
        (f"{v1}|{v2}", f"{l1} × {l2}")
        for v1, l1 in zip(question.values, question.labels, strict=True)
        for v2, l2 in zip(second.values, second.labels, strict=True)
    ]


@transaction.atomic
def population_target_save(
    *,
    actor,
    phase: Phase,
    question: DemographicQuestion,
    second_question: DemographicQuestion | None,
    shares: Mapping[str, float],
    source: str = "",
) -> PopulationTarget:
    """Population shares for one question (or a pair). Allowed at any time: weighting is
    computed when results are read, so targets may arrive after the phase."""
    if question.phase_id != phase.pk or (
        second_question is not None and second_question.phase_id != phase.pk
    ):
        raise ValidationError(_("Die Fragen gehören nicht zu dieser Phase."))
    if second_question is not None and second_question.pk == question.pk:
        raise ValidationError({"second_question": _("Wählen Sie zwei verschiedene Fragen.")})
    allowed = {key for key, _label in target_categories(question, second_question)}
    clean: dict[str, float] = {}
    for key, value in shares.items():
        if key not in allowed:
            raise ValidationError(_("Unbekannte Kategorie „%(key)s“.") % {"key": key})
        share = float(value)
        if not 0.0 <= share <= 1.0:
            raise ValidationError(_("Anteile liegen zwischen 0 und 100 %."))
        clean[key] = share
    total = sum(clean.values())
    if abs(total - 1.0) > 0.01:
        raise ValidationError(
            _("Die Anteile ergeben zusammen %(sum)s %% statt 100 %%.")
            % {"sum": f"{total * 100:.1f}".replace(".", ",")}
        )
    target = PopulationTarget.objects.filter(
        phase=phase, question=question, second_question=second_question
    ).first()
    before = snapshot(target)
    target = target or PopulationTarget(
        phase=phase, question=question, second_question=second_question
    )
    target.shares, target.source = clean, source
    target.save()
    audit_record(
        actor=actor,
        action="consultation.population_target_save",
        obj=target,
        before=before,
        after=snapshot(target),
    )
    return target


@transaction.atomic
def population_target_delete(*, actor, target: PopulationTarget) -> None:
    audit_record(
        actor=actor,
        action="consultation.population_target_delete",
        obj=target,
        before=snapshot(target),
    )
    target.delete()


# --- Participation codes (staff) -----------------------------------------------------------
def private_dir() -> Path:
    """Where the plain codes of a batch live until staff delete them: never under MEDIA."""
    base = getattr(settings, "LEITBILD_PRIVATE_DIR", "") or settings.DATA_DIR / "private"
    path = Path(base) / "codes"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def batch_file(batch: CodeBatch, fmt: str) -> Path:
    if fmt not in ("csv", "pdf"):
        raise ValueError(fmt)
    return private_dir() / f"codes-{batch.phase_id}-{batch.pk}.{fmt}"


def participation_url(phase: Phase) -> str:
    name = "consultation:ballot" if phase.kind == Phase.Kind.WEIGHTING else "consultation:survey"
    return settings.SITE_URL + reverse(name, args=[phase.pk])


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.touch(mode=0o600)
    temporary.write_bytes(data)
    temporary.replace(path)


@transaction.atomic
def codes_generate(*, actor, phase: Phase, count: int) -> CodeBatch:
    """Generate ``count`` single-use codes: hashes into the database, plain codes into the
    batch's private CSV file (for mail merge and the letters)."""
    if not 1 <= count <= MAX_CODES:
        raise ValidationError({"count": _("Zwischen 1 und %(max)d Codes.") % {"max": MAX_CODES}})
    codes = generate_codes(count)
    batch = CodeBatch.objects.create(phase=phase, count=count, created_by=actor)
    # Stored in random order, not in the order of the letters: otherwise ids (and the
    # physical order of rows) would equal the mail merge order of the CSV file.
    rows = [
        ParticipationCode(phase=phase, batch=batch, code_hash=hash_code(code)) for code in codes
    ]
    _shuffle(rows)
    ParticipationCode.objects.bulk_create(rows, batch_size=5000)
    import io

    out = io.StringIO(newline="")
    write_codes_csv(codes, out, url=participation_url(phase))
    _write_private(batch_file(batch, "csv"), out.getvalue().encode("utf-8"))
    batch.has_csv = True
    batch.save(update_fields=["has_csv"])
    audit_record(
        actor=actor,
        action="consultation.codes_generate",
        obj=batch,
        after={"phase": phase.pk, "count": count},
    )
    return batch


def batch_codes(batch: CodeBatch) -> list[str]:
    with batch_file(batch, "csv").open(newline="", encoding="utf-8") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def codes_letters_build(*, batch: CodeBatch, report=None) -> Path:
    """Render the batch's letters to its private PDF (≈0.1 s a letter; see ``tasks``)."""
    phase = Phase.objects.select_related("process").get(pk=batch.phase_id)
    codes = batch_codes(batch)
    with translation.override("de"):
        deadline = date_format(timezone.localtime(phase.ends_at), "j. F Y")
    chunk = 200
    if report is None or len(codes) <= chunk:
        pdf = letters_pdf(
            codes,
            url=participation_url(phase),
            process_title=phase.process.title,
            deadline=deadline,
        )
    else:
        # One PDF in parts so that the progress bar moves; pypdf-free: WeasyPrint documents
        # of the parts are joined page by page.
        from weasyprint import HTML

        from leitbild.documents.letters import letters_html

        documents = []
        for start in range(0, len(codes), chunk):
            html = letters_html(
                codes[start : start + chunk],
                url=participation_url(phase),
                process_title=phase.process.title,
                deadline=deadline,
            )
            documents.append(HTML(string=html).render())
            report(done=min(start + chunk, len(codes)), total=len(codes))
        pages = [page for document in documents for page in document.pages]
        pdf = documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")
    path = batch_file(batch, "pdf")
    _write_private(path, pdf)
    CodeBatch.objects.filter(pk=batch.pk).update(has_pdf=True)
    batch.has_pdf = True
    return path


@transaction.atomic
def codes_files_delete(*, actor, batch: CodeBatch) -> CodeBatch:
    for fmt in ("csv", "pdf"):
        batch_file(batch, fmt).unlink(missing_ok=True)
    CodeBatch.objects.filter(pk=batch.pk).update(
        has_csv=False, has_pdf=False, files_deleted_at=timezone.now()
    )
    batch.refresh_from_db()
    audit_record(actor=actor, action="consultation.codes_files_delete", obj=batch)
    return batch


# --- Identities ------------------------------------------------------------------------------
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


# --- Ballots ---------------------------------------------------------------------------------
def _clean_demographics(
    questions: Sequence[DemographicQuestion], answers: Mapping[str, object] | None
) -> tuple[dict[str, str], list[int]]:
    """Valid answers by question key and one code per question (−1: no answer)."""
    clean: dict[str, str] = {}
    codes: list[int] = []
    answers = answers if isinstance(answers, Mapping) else {}
    for question in questions:
        value = answers.get(question.key)
        if value in (None, ""):
            codes.append(-1)
            continue
        if not isinstance(value, str) or value not in question.values:
            raise ValidationError(
                _("Die Angabe zu „%(q)s“ ist nicht möglich.") % {"q": question.text}
            )
        clean[question.key] = value
        codes.append(question.values.index(value))
    return clean, codes


def pack_ballot(rules, choices, demographic_codes: Sequence[int]) -> tuple[object, bytes]:
    """The ballot as stored: JSON-friendly choices and the int16 vector (see ``Ballot``)."""
    width = len(rules.fields)
    vector = np.zeros(width + len(demographic_codes), dtype="<i2")
    index = {key: column for column, key in enumerate(rules.fields)}
    if isinstance(rules, PickRules):
        stored: object = sorted(choices, key=index.__getitem__)
        for key in choices:
            vector[index[key]] = 1
    else:
        stored = {
            str(key): int(value)
            for key, value in sorted(choices.items(), key=lambda item: index[item[0]])
        }
        for key, value in choices.items():
            vector[index[key]] = int(value)
    vector[width:] = demographic_codes
    return stored, vector.tobytes()


def _ballot_check(weighting: Weighting, choices, demographics, preloaded=None):
    """Validate a ballot against the weighting's rules (two queries, none if ``preloaded``
    holds the fields and questions of a locked weighting: locked rules cannot change)."""
    if preloaded is not None and weighting.locked_at is not None:
        field_list, questions = preloaded
        fields = [(f.pk, f.name) for f in field_list]
    else:
        fields = list(
            WeightingField.objects.filter(weighting=weighting).values_list(
                "field_id", "field__name"
            )
        )
        questions = list(DemographicQuestion.objects.filter(phase_id=weighting.phase_id))
    rules = weighting.rules(tuple(pk for pk, _name in fields))
    errors = validate_ballot(rules, choices, labels=dict(fields))
    if errors:
        raise ValidationError([error.message for error in errors])
    demographic, codes = _clean_demographics(questions, demographics)
    return pack_ballot(rules, choices, codes), demographic


@transaction.atomic(durable=True)
def ballot_cast(
    *,
    weighting: Weighting,
    choices,
    demographics=None,
    code: str = "",
    identity_hash: str = "",
    now: datetime | None = None,
    preloaded: tuple[list[ActionField], list[DemographicQuestion]] | None = None,
) -> str:
    """Cast a ballot; returns the change token for the participant's cookie ("" if ballots
    cannot be changed).

    Raises ``ValidationError`` (German messages, nothing stored) for a ballot that breaks the
    rules, ``ParticipationRefused`` for anything about the identity or the phase.
    ``preloaded``: the ballot fields and demographic questions the caller already read (used
    only once the weighting is locked).
    """
    weighting = _weighting_open_locked(weighting, now or timezone.now())
    token = _ballot_into_box(
        weighting=weighting,
        choices=choices,
        demographics=demographics,
        code=code,
        identity_hash=identity_hash,
        preloaded=preloaded,
    )
    weighting_id = weighting.pk
    transaction.on_commit(lambda: _mix_when_full("weighting", weighting_id), robust=True)
    return token


@transaction.atomic
def ballots_cast_many(
    *, weighting: Weighting, ballots: Iterable[Mapping], now: datetime | None = None
) -> int:
    """Cast many ballots in one transaction, each exactly as ``ballot_cast`` casts one (the
    same rules, the same claim of its code or identity, the same ballot box), for loading
    many at once (the demo city): a durable commit per ballot would take most of the time.
    All or nothing: the first invalid or refused ballot raises as in ``ballot_cast`` and
    nothing is stored. Each ballot is a mapping of ``ballot_cast``'s keywords ``choices``,
    ``demographics``, ``code`` or ``identity_hash``. Returns how many were cast."""
    now = now or timezone.now()
    weighting = _weighting_open_locked(weighting, now)
    # Locked in this transaction: the rules read now are the rules of every ballot.
    weighting.locked_at = weighting.locked_at or now
    preloaded = (
        [wf.field for wf in weighting.weighting_fields.select_related("field")],
        list(DemographicQuestion.objects.filter(phase_id=weighting.phase_id)),
    )
    count = 0
    for ballot in ballots:
        _ballot_into_box(
            weighting=weighting,
            choices=ballot["choices"],
            demographics=ballot.get("demographics"),
            code=ballot.get("code", ""),
            identity_hash=ballot.get("identity_hash", ""),
            preloaded=preloaded,
        )
        count += 1
    weighting_id = weighting.pk
    transaction.on_commit(lambda: _mix_when_full("weighting", weighting_id), robust=True)
    return count


def _weighting_open_locked(weighting: Weighting, now: datetime) -> Weighting:
    """Refuse a closed phase; lock the rules with the first ballot. The first ballots take the
    row lock that staff configuration takes, then validate against the rules as they are
    now: a concurrent rule change cannot slip in between."""
    phase = weighting.phase
    if not phase.is_open(now):
        raise ParticipationRefused
    if weighting.locked_at is None:
        weighting = Weighting.objects.select_for_update().get(pk=weighting.pk)
        if weighting.locked_at is None:
            Weighting.objects.filter(pk=weighting.pk).update(locked_at=now)
            transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
        weighting.phase = phase
    return weighting


def _ballot_into_box(
    *, weighting: Weighting, choices, demographics, code: str, identity_hash: str, preloaded
) -> str:
    """Validate, claim the identity and put the ballot into the ballot box (committed with
    the participation, moved on by ``ballot_box_mix``); returns the change token or ""."""
    (stored, vector), demographic = _ballot_check(weighting, choices, demographics, preloaded)
    token = identity.new_token() if weighting.allow_changes else ""
    _claim(
        phase=weighting.phase,
        mode=weighting.mode,
        code=code,
        identity_hash=identity_hash,
        change_token=token,
    )
    PendingBallot.objects.create(
        weighting=weighting,
        choices=stored,
        demographics=demographic,
        vector=vector,
        change_key=identity.ballot_key(token) if token else None,
    )
    return token


@transaction.atomic(durable=True)
def ballot_change(
    *, weighting: Weighting, token: str, choices, demographics=None, now: datetime | None = None
) -> None:
    """Replace a ballot, proven by the token in the participant's cookie: both the ballot and
    a participation of the phase must carry (differently keyed) hashes of it.

    The ballot is still in the box or already mixed. The box is tried first: if the mixer
    moves it meanwhile, the UPDATE waits for the mixer's row lock and matches nothing, and
    the next statement sees the moved row (READ COMMITTED; SQLite serialises writers)."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=weighting.phase_id)
    if not weighting.allow_changes or not phase.is_open(now) or not token:
        raise ParticipationRefused
    if not Participation.objects.filter(
        phase=phase, change_key=identity.participation_key(token)
    ).exists():
        raise ParticipationRefused
    (stored, vector), demographic = _ballot_check(weighting, choices, demographics)
    for model in (PendingBallot, Ballot):
        if model.objects.filter(weighting=weighting, change_key=identity.ballot_key(token)).update(
            choices=stored, demographics=demographic, vector=vector
        ):
            return
    raise ParticipationRefused


# --- Surveys: builder (staff) ----------------------------------------------------------------
def _survey_unlocked(survey: Survey) -> None:
    if Survey.objects.filter(pk=survey.pk, locked_at__isnull=False).exists():
        raise ValidationError(LOCKED)


@transaction.atomic
def survey_section_save(
    *,
    actor,
    survey: Survey,
    title: str,
    description: str = "",
    position: int = 0,
    section: SurveySection | None = None,
) -> SurveySection:
    _survey_unlocked(survey)
    before = snapshot(section)
    section = section or SurveySection(survey=survey)
    section.title, section.description, section.position = title, description, position
    section.save()
    audit_record(
        actor=actor,
        action="consultation.survey_section_save",
        obj=section,
        before=before,
        after=snapshot(section),
    )
    return section


@transaction.atomic
def survey_section_delete(*, actor, section: SurveySection) -> None:
    _survey_unlocked(section.survey)
    audit_record(
        actor=actor,
        action="consultation.survey_section_delete",
        obj=section,
        before=snapshot(section),
    )
    section.delete()


def survey_questions(survey: Survey) -> list[SurveyQuestion]:
    """All questions in questionnaire order (section, then question)."""
    return list(
        SurveyQuestion.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )


@transaction.atomic
def survey_question_save(
    *,
    actor,
    section: SurveySection,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = False,
    options: list[dict[str, str]] | None = None,
    number_min: int | None = None,
    number_max: int | None = None,
    condition_question: SurveyQuestion | None = None,
    condition_value: str = "",
    position: int = 0,
    question: SurveyQuestion | None = None,
) -> SurveyQuestion:
    survey = section.survey
    _survey_unlocked(survey)
    options = options or []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
        raise ValidationError({"options": _("Geben Sie mindestens zwei Antworten an.")})
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = []
    if number_min is not None and number_max is not None and number_min > number_max:
        raise ValidationError({"number_max": _("Die größte Zahl ist kleiner als die kleinste.")})
    before = snapshot(question)
    question = question or SurveyQuestion()
    question.section, question.kind, question.text = section, kind, text
    question.help_text, question.required, question.options = help_text, required, options
    question.number_min, question.number_max = number_min, number_max
    question.position = position
    question.condition_question, question.condition_value = None, ""
    if condition_question is not None:

        def order(q_section: SurveySection, q_position: int, pk: int | None) -> tuple:
            return (q_section.position, q_section.pk, q_position, pk or 10**18)

        mine = order(section, position, question.pk)
        earlier = [
            q.pk
            for q in survey_questions(survey)
            if q.pk != question.pk and order(q.section, q.position, q.pk) < mine
        ]
        if condition_question.pk not in earlier or condition_question.kind not in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.LIKERT,
        ):
            raise ValidationError(
                {
                    "condition_question": _(
                        "Bedingungen beziehen sich auf eine frühere Auswahl- oder Zustimmungsfrage."
                    )
                }
            )
        if condition_value not in condition_question.values:
            raise ValidationError(
                {"condition_value": _("Diese Antwort gibt es bei der gewählten Frage nicht.")}
            )
        question.condition_question, question.condition_value = (
            condition_question,
            condition_value,
        )
    question.save()
    audit_record(
        actor=actor,
        action="consultation.survey_question_save",
        obj=question,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def survey_question_delete(*, actor, question: SurveyQuestion) -> None:
    _survey_unlocked(question.section.survey)
    audit_record(
        actor=actor,
        action="consultation.survey_question_delete",
        obj=question,
        before=snapshot(question),
    )
    question.delete()


# --- Surveys: answering ------------------------------------------------------------------------
def survey_draft_start(
    *, survey: Survey, now: datetime | None = None
) -> tuple[SurveyResponse, str]:
    """A new draft and the token for the participant's cookie."""
    token = identity.new_token()
    response = SurveyResponse.objects.create(
        survey=survey, draft_key=identity.draft_key(token), draft_updated_at=now or timezone.now()
    )
    return response, token


def survey_draft_get(*, survey: Survey, token: str) -> SurveyResponse | None:
    if not token:
        return None
    return SurveyResponse.objects.filter(
        survey=survey, submitted=False, draft_key=identity.draft_key(token)
    ).first()


def survey_draft_save(
    *,
    survey: Survey,
    response: SurveyResponse,
    questions,
    raw,
    section_index: int,
    demographics: Mapping[str, object] | None = None,
    now: datetime | None = None,
) -> dict[int, str]:
    """Save the answers of one section (given as raw form values); returns errors by question.

    Valid answers are saved even if others are not, so nothing typed is lost. Answers to
    questions of this section that are not shown (their condition is not met) are dropped.
    """
    answers = {k: v for k, v in response.answers.items()}
    section_ids = {str(q.pk) for q in questions}
    for key in section_ids:
        answers.pop(key, None)
    checked = check_answers(questions, raw)
    answers.update(checked.answers)
    all_questions = survey_questions(survey)
    shown = {str(q.pk) for q in visible_questions(all_questions, answers)}
    answers = {k: v for k, v in answers.items() if k in shown}
    fields = {
        "answers": answers,
        "section_index": section_index,
        "draft_updated_at": now or timezone.now(),
    }
    if demographics is not None:
        questions_demo = list(DemographicQuestion.objects.filter(phase_id=survey.phase_id))
        try:
            fields["demographics"], _codes = _clean_demographics(questions_demo, demographics)
        except ValidationError:
            pass
    SurveyResponse.objects.filter(pk=response.pk, submitted=False).update(**fields)
    for key, value in fields.items():
        setattr(response, key, value)
    return checked.errors


def survey_missing(survey: Survey, answers: Mapping[str, object]) -> list[SurveyQuestion]:
    """Required questions that are shown but not answered."""
    return _missing(survey_questions(survey), answers)


def _missing(
    questions: Sequence[SurveyQuestion], answers: Mapping[str, object]
) -> list[SurveyQuestion]:
    return [
        q for q in visible_questions(questions, answers) if q.required and str(q.pk) not in answers
    ]


@transaction.atomic(durable=True)
def survey_submit(
    *,
    survey: Survey,
    token: str,
    code: str = "",
    identity_hash: str = "",
    now: datetime | None = None,
) -> None:
    """Submit a draft. Raises ValidationError listing unanswered required questions (the
    draft stays), ParticipationRefused for identity or phase problems."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=survey.phase_id)
    if not phase.is_open(now) or not token:
        raise ParticipationRefused
    response = (
        SurveyResponse.objects.select_for_update()
        .filter(survey=survey, submitted=False, draft_key=identity.draft_key(token))
        .first()
    )
    if response is None:
        raise ParticipationRefused
    missing = survey_missing(survey, response.answers)
    if missing:
        raise ValidationError([_("Bitte beantworten Sie: %(q)s") % {"q": q.text} for q in missing])
    # The draft (with its timestamps and key) goes; the answers wait in the ballot box.
    _response_into_box(
        survey=survey,
        phase=phase,
        answers=response.answers,
        demographics=response.demographics,
        code=code,
        identity_hash=identity_hash,
        now=now,
    )
    SurveyResponse.objects.filter(pk=response.pk).delete()
    survey_id = survey.pk
    transaction.on_commit(lambda: _mix_when_full("survey", survey_id), robust=True)


@transaction.atomic
def survey_responses_submit_many(
    *, survey: Survey, responses: Iterable[Mapping], now: datetime | None = None
) -> int:
    """Submit many complete responses in one transaction, each checked as the pages and
    ``survey_submit`` check it (valid answers, answers to questions not shown dropped,
    required questions answered, valid demographics), claimed and put into the same ballot
    box: for loading many at once (the demo city), without a draft and a durable commit each.
    All or nothing: the first invalid or refused response raises (``ValidationError``,
    ``ParticipationRefused``) and nothing is stored. Each response is a mapping of ``raw``
    (form values by question id, as the pages send them), ``demographics`` (by key) and
    ``code`` or ``identity_hash``. Returns how many were submitted."""
    now = now or timezone.now()
    phase = Phase.objects.get(pk=survey.phase_id)
    if not phase.is_open(now):
        raise ParticipationRefused
    questions = survey_questions(survey)
    demographic_questions = list(DemographicQuestion.objects.filter(phase_id=survey.phase_id))
    count = 0
    for response in responses:
        checked = check_answers(questions, response["raw"])
        if checked.errors:
            raise ValidationError(list(checked.errors.values()))
        shown = {str(q.pk) for q in visible_questions(questions, checked.answers)}
        answers = {k: v for k, v in checked.answers.items() if k in shown}
        missing = _missing(questions, answers)
        if missing:
            raise ValidationError(
                [_("Bitte beantworten Sie: %(q)s") % {"q": q.text} for q in missing]
            )
        demographics, _codes = _clean_demographics(
            demographic_questions, response.get("demographics")
        )
        _response_into_box(
            survey=survey,
            phase=phase,
            answers=answers,
            demographics=demographics,
            code=response.get("code", ""),
            identity_hash=response.get("identity_hash", ""),
            now=now,
        )
        count += 1
    survey_id = survey.pk
    transaction.on_commit(lambda: _mix_when_full("survey", survey_id), robust=True)
    return count


def _response_into_box(
    *,
    survey: Survey,
    phase: Phase,
    answers,
    demographics,
    code: str,
    identity_hash: str,
    now: datetime,
) -> None:
    """Claim the identity, put the answers into the ballot box, lock the questionnaire with
    the first response."""
    _claim(phase=phase, mode=survey.mode, code=code, identity_hash=identity_hash)
    PendingResponse.objects.create(survey=survey, answers=answers, demographics=demographics)
    if survey.locked_at is None:
        if Survey.objects.filter(pk=survey.pk, locked_at__isnull=True).update(locked_at=now):
            transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
        survey.locked_at = now


# --- The ballot box ----------------------------------------------------------------------------
# kind → (box, final table, parent field, fields copied, fields set on the final row)
_BOXES = {
    "weighting": (
        PendingBallot,
        Ballot,
        "weighting_id",
        ("choices", "demographics", "vector", "change_key"),
        {},
    ),
    "survey": (
        PendingResponse,
        SurveyResponse,
        "survey_id",
        ("answers", "demographics"),
        {"submitted": True},
    ),
}


def _shuffle(items: list) -> None:
    secrets.SystemRandom().shuffle(items)


def ballot_box_minimum() -> int:
    """k: the box is mixed once at least this many entries wait (``LEITBILD_BALLOT_MIX_MIN``)."""
    return max(1, int(getattr(settings, "LEITBILD_BALLOT_MIX_MIN", 20)))


def _box_move(*, kind: str, pk: int, flush: bool = False) -> int:
    """Move what waits in the box of one weighting or survey into the final table: in random
    order, under new random keys, written by the caller's transaction. Nothing happens while
    fewer than k entries wait, unless ``flush``. Returns how many entries moved.

    Must run in a transaction that writes nothing about identities. The box rows are locked
    first, so two mixers never move an entry twice and a concurrent ``ballot_change`` either
    finishes before (its change is moved) or waits and then finds the moved row."""
    box, final, parent, copied, extra = _BOXES[kind]
    entries = list(box.objects.select_for_update().filter(**{parent: pk}))
    if not entries or (len(entries) < ballot_box_minimum() and not flush):
        return 0
    _shuffle(entries)
    final.objects.bulk_create(
        [
            final(**{parent: pk}, **{name: getattr(e, name) for name in copied}, **extra)
            for e in entries
        ],
        batch_size=2000,
    )
    ids = [e.pk for e in entries]
    for start in range(0, len(ids), 2000):
        box.objects.filter(pk__in=ids[start : start + 2000]).delete()
    return len(entries)


def _vacuum_box(kind: str = "") -> None:
    """Remove the dead rows a move leaves behind. PostgreSQL keeps a deleted row, with the
    ``xmin`` it shared with its participation, until VACUUM: box entries, and survey drafts
    deleted on submission. The boxes are small tables, so this is cheap. Runs outside a
    transaction (VACUUM cannot run in one); ``kind`` "" vacuums every box."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = {"weighting": (PendingBallot,), "survey": (PendingResponse, SurveyResponse)}
    chosen = models.get(kind) or (PendingBallot, PendingResponse, SurveyResponse)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in chosen)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {tables}")
    except DatabaseError as error:  # e.g. not the owner of the tables: autovacuum remains
        log.warning("vacuum of the ballot box failed: %s", error)


@transaction.atomic(durable=True)
def _box_mix_durable(*, kind: str, pk: int, flush: bool) -> int:
    return _box_move(kind=kind, pk=pk, flush=flush)


def ballot_box_mix(*, kind: str, pk: int, flush: bool = False) -> int:
    """Mix the box of a weighting (``kind="weighting"``) or survey (``"survey"``) in a
    transaction of its own, then vacuum. Safe to call any time and concurrently."""
    moved = _box_mix_durable(kind=kind, pk=pk, flush=flush)
    if moved:
        _vacuum_box(kind)
    return moved


def ballot_boxes_flush(*, phase: Phase, now: datetime | None = None) -> int:
    """Once the phase has ended: mix the rest of its boxes, also fewer than k."""
    if phase.ends_at > (now or timezone.now()):
        return 0
    moved = sum(
        ballot_box_mix(kind="weighting", pk=pk, flush=True)
        for pk in Weighting.objects.filter(phase=phase).values_list("pk", flat=True)
    )
    moved += sum(
        ballot_box_mix(kind="survey", pk=pk, flush=True)
        for pk in Survey.objects.filter(phase=phase).values_list("pk", flat=True)
    )
    return moved


def _mix_when_full(kind: str, pk: int) -> None:
    """After a cast has committed: ask the worker to mix once k entries wait."""
    box, _final, parent, _copied, _extra = _BOXES[kind]
    if box.objects.filter(**{parent: pk}).count() >= ballot_box_minimum():
        from .tasks import ballot_box_mix_task

        ballot_box_mix_task.enqueue(kind, pk)


def _schedule_flush(phase: Phase) -> None:
    """Ask the worker to mix the rest at the end of the phase (backends without deferred
    tasks, as in tests, cannot: then the purge or an explicit flush does it)."""
    from .tasks import ballot_boxes_flush_task

    if phase.kind not in (Phase.Kind.WEIGHTING, Phase.Kind.SURVEY):
        return
    if ballot_boxes_flush_task.get_backend().supports_defer:
        ballot_boxes_flush_task.using(run_after=phase.ends_at).enqueue(phase.pk)


# --- Access grants: what a browser proved, kept on the server ------------------------------
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


# --- Deleting personal data --------------------------------------------------------------------
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
    audit_record(actor=actor, action="consultation.personal_data_purge", obj=phase, after=counts)
    return counts
