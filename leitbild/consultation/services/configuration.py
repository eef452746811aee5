"""Configuring a weighting or survey (staff): who may take part, the ballot rules, the
schedule of the phase, and the lock once the first participant took part."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.audit import audit_record, snapshot
from leitbild.participation.models import Phase
from leitbild.strategy.models import ActionField

from ..audit import ConsultationAction
from ..models import (
    Method,
    Mode,
    Participation,
    Survey,
    Weighting,
    WeightingField,
)
from .ballot_box import _schedule_flush

LOCKED = gettext_lazy(
    "Die Regeln sind gesperrt, weil bereits teilgenommen wurde. Nur Einleitung, Mindestgröße "
    "und Veröffentlichung lassen sich noch ändern."
)


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
    from ..oidc import oidc_configured

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
        action=ConsultationAction.WEIGHTING_CONFIGURE,
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
        action=ConsultationAction.SURVEY_CONFIGURE,
        obj=survey,
        before=before,
        after=snapshot(survey),
    )
    return survey


@transaction.atomic
def phase_schedule(*, actor, phase: Phase, starts_at: datetime, ends_at: datetime) -> Phase:
    """Move the start or end of a phase, e.g. to close it now (end in the past)."""
    Phase.times_check(starts_at=starts_at, ends_at=ends_at)
    before = snapshot(phase)
    Phase.objects.filter(pk=phase.pk).update(starts_at=starts_at, ends_at=ends_at)
    phase.starts_at, phase.ends_at = starts_at, ends_at
    transaction.on_commit(lambda: _schedule_flush(phase), robust=True)
    audit_record(
        actor=actor,
        action=ConsultationAction.PHASE_SCHEDULE,
        obj=phase,
        before=before,
        after=snapshot(phase),
    )
    return phase


def phase_is_locked(phase: Phase) -> bool:
    """True once anyone took part: questions and rules of the phase are fixed then."""
    for model in (Weighting, Survey):
        if model.objects.filter(phase=phase, locked_at__isnull=False).exists():
            return True
    return Participation.objects.filter(phase=phase).exists()
