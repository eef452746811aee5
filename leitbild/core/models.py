import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One staff write: who, what, when, before and after. Written once, never changed."""

    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("durch"),
    )
    actor_label = models.CharField(_("durch (Name)"), max_length=254, blank=True)
    action = models.CharField(_("Aktion"), max_length=64)
    object_type = models.CharField(_("Objekttyp"), max_length=100)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    before = models.JSONField(_("vorher"), null=True, blank=True)
    after = models.JSONField(_("nachher"), null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-at", "-id"]
        # The newest entry about one kind of object, read by cache versions that depend on
        # it (``participation.selectors.ideas_version``: the fields of action).
        indexes = [models.Index(fields=["object_type", "-id"], name="audit_type_newest")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        # An audit trail that can be rewritten is no audit trail.
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    @property
    def action_label(self) -> str:
        """The action as readable text in the active language (``core.audit``)."""
        from .audit import action_label

        return action_label(self.action)


class Page(models.Model):
    """An editable public page such as the Impressum, in German and optionally in English.

    English readers see ``title_en``/``body_en``; while ``body_en`` is empty, the German text
    with a note that it is only available in German (``core.selectors.page_text``).
    """

    slug = models.SlugField(_("Adresse"), unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"), help_text=_("Absätze durch Leerzeilen trennen. HTML wird als Text angezeigt.")
    )
    title_en = models.CharField(_("Titel (Englisch)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("Text (Englisch)"),
        blank=True,
        help_text=_("Leer lassen, wenn es die Seite nur auf Deutsch gibt."),
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TaskProgress(models.Model):
    """Progress of one background task, shown live to the person who started it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(_("Aufgabe"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Hintergrundaufgabe")
        verbose_name_plural = _("Hintergrundaufgaben")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class SiteSetting(models.Model):
    """Small instance-wide facts, e.g. that this instance holds the demo city."""

    key = models.SlugField(primary_key=True, max_length=64)
    value = models.JSONField(null=True)

    class Meta:
        verbose_name = _("Einstellung")
        verbose_name_plural = _("Einstellungen")

    def __str__(self) -> str:
        return self.key


class RateLimit(models.Model):
    """A counter every worker sees: ``count`` uses of ``key`` until ``expires_at``.

    Holds the rate limits and the single-use marks (solved ALTCHA challenges) of
    ``core.security`` unless ``REDIS_URL`` is set. ``key`` is a SHA-256, never an address.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Zähler der Anfragebegrenzung")
        verbose_name_plural = _("Zähler der Anfragebegrenzung")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}"
