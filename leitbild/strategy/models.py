"""The strategic framework: Strategy → Leitlinien, Handlungsfelder → Ziele → Indikatoren.

The rows below are the editable *draft* of a strategy. Freezing the draft writes a
``StrategyVersion``: a numbered, immutable snapshot (JSON) that later edits cannot change.
Public pages show snapshots, never the draft rows.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitbild.core.errors import Conflict


class CharterPrinciple(models.TextChoices):
    """The four Leitlinien of the Smart City Charta (BBSR/BMI 2017)."""

    GOALS = "ziele", _("Ziele, Strategien und Strukturen")
    TRANSPARENCY = "transparenz", _("Transparenz, Teilhabe und Mitgestaltung")
    INFRASTRUCTURE = "infrastruktur", _("Infrastrukturen, Daten und Dienstleistungen")
    RESOURCES = "ressourcen", _("Ressourcen, Kompetenzen und Kooperationen")


SDG_CHOICES = [(n, f"SDG {n}") for n in range(1, 18)]

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,19}$",
    _("Nur Großbuchstaben, Ziffern und Bindestriche, höchstens 20 Zeichen (z. B. MOB-2)."),
)


class Strategy(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    edition = models.CharField(_("Ausgabe"), max_length=50, help_text=_("z. B. 2021"))
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Strategie")
        verbose_name_plural = _("Strategien")
        ordering = ["-edition", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"


class Leitlinie(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="leitlinien")
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"))
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Leitlinie")
        verbose_name_plural = _("Leitlinien")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionField(models.Model):
    """A field of action (Handlungsfeld)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("Kürzel"), max_length=20, validators=[code_validator])
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    colour = models.CharField(
        _("Farbe"),
        max_length=7,
        default="#0b5394",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Eine Farbe wie #0b5394."))],
    )
    icon = models.CharField(_("Symbol"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="unique_field_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """A strategic goal (strategisches Ziel) of a field of action."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    field = models.ForeignKey(ActionField, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("Kürzel"), max_length=20, validators=[code_validator])
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    charter_principles = models.JSONField(
        _("Leitlinien der Smart City Charta"), default=list, blank=True
    )
    sdgs = models.JSONField(_("Ziele für nachhaltige Entwicklung"), default=list, blank=True)

    class Meta:
        verbose_name = _("Strategisches Ziel")
        verbose_name_plural = _("Strategische Ziele")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="unique_goal_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("höher ist besser")
        LOWER = "lower", _("niedriger ist besser")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("Name"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveIntegerField(_("Ausgangsjahr"), null=True, blank=True)
    target_value = models.DecimalField(
        _("Zielwert"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_year = models.PositiveIntegerField(_("Zieljahr"), null=True, blank=True)
    source = models.CharField(_("Datenquelle"), max_length=300, blank=True)
    qualitative = models.BooleanField(_("qualitativ"), default=False)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class FrozenVersionError(Conflict):
    """Raised on any attempt to change the content of a frozen version (409)."""

    code = "strategy.version.frozen"
    default_message = _("Der Inhalt einer eingefrorenen Version kann nicht geändert werden.")


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)


class StrategyVersionQuerySet(models.QuerySet):
    # The snapshot is the record of what was decided; no bulk path may rewrite it.
    def update(self, **kwargs):
        if "snapshot" in kwargs:
            raise FrozenVersionError()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "snapshot" in fields:
            raise FrozenVersionError()
        return super().bulk_update(objs, fields, *args, **kwargs)


class StrategyVersion(models.Model):
    """A frozen, numbered snapshot of a strategy's framework.

    ``snapshot`` is written once, when the draft is frozen (see ``services.draft_freeze``);
    ``save`` refuses to change it afterwards. Only the status and its decision data change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        CONSULTATION = "consultation", _("in Beratung")
        ADOPTED = "adopted", _("beschlossen")
        SUPERSEDED = "superseded", _("abgelöst")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Nummer"))
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    snapshot = models.JSONField(_("Inhalt"))
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("eingefroren am"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    decision_reference = models.CharField(_("Beschluss (Drucksache)"), max_length=100, blank=True)

    objects = StrategyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Strategie-Version")
        verbose_name_plural = _("Strategie-Versionen")
        ordering = ["strategy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_version_number"),
            # The public reads "the adopted version"; there can only be one per strategy.
            models.UniqueConstraint(
                fields=["strategy"],
                condition=models.Q(status="adopted"),
                name="one_adopted_version_per_strategy",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="adopted")
                | (models.Q(decided_on__isnull=False) & ~models.Q(decision_reference="")),
                name="adopted_version_has_decision",
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_on"], name="version_status_idx")]

    def __str__(self) -> str:
        return f"{self.strategy.title} – Version {self.number}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or "snapshot" in update_fields):
            stored = (
                type(self).objects.filter(pk=self.pk).values_list("snapshot", flat=True).first()
            )
            if stored is not None and _canonical(stored) != _canonical(self.snapshot):
                raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenVersionError(_("Eine Strategie-Version kann nicht gelöscht werden."))

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT
