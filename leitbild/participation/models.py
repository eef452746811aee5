"""Participation processes (Beteiligungsverfahren), their phases, and the idea call.

A process belongs to a strategy and runs in phases (idea call, weighting, survey, …). What a
visitor may do depends on the phase that is open now; ``participation.rules`` says it. Writes go
through ``participation.services``, reads through ``participation.selectors``.

Personal data is kept apart: the only personal datum of a resident is the e-mail address in
``Submitter`` (for feedback, deleted after the process plus a retention period). Supports store
a keyed hash of a random visitor token, blocked addresses only a keyed hash.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Process(models.Model):
    class Moderation(models.TextChoices):
        PRE = "pre", _("Vorab-Moderation: nichts ist öffentlich vor der Freigabe")
        POST = "post", _("Nachträgliche Moderation: sofort öffentlich, Moderation prüft danach")

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="processes"
    )
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    moderation = models.CharField(
        _("Moderation"), max_length=10, choices=Moderation.choices, default=Moderation.POST
    )
    support_requires_verified_email = models.BooleanField(
        _("Unterstützen nur mit bestätigter E-Mail-Adresse"),
        default=False,
        help_text=_("Sonst genügt ein Cookie im Browser; Mehrfachabgaben sind dann leichter."),
    )
    email_retention_days = models.PositiveIntegerField(
        _("Aufbewahrung der E-Mail-Adressen nach Ende (Tage)"),
        default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "So lange nach dem Ende der letzten Phase bleiben Adressen für "
            "Rückmeldungen gespeichert, dann werden sie gelöscht."
        ),
    )
    offline_contact = models.TextField(
        _("Andere Wege der Beteiligung"),
        blank=True,
        help_text=_(
            "Z. B. Postkarte, Bürgerbüro, E-Mail-Adresse der Stadt. Wird im Formular "
            "gezeigt, auch für Menschen ohne JavaScript."
        ),
    )
    map_lat = models.DecimalField(
        _("Kartenmitte Breite"),
        max_digits=9,
        decimal_places=6,
        default=52.43,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    map_lon = models.DecimalField(
        _("Kartenmitte Länge"),
        max_digits=9,
        decimal_places=6,
        default=10.79,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("Zoomstufe"), default=13, validators=[MaxValueValidator(19)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised (``services.ideas_changed``) in the transaction of every write that changes what
    # the public idea pages of this process show; the page cache keys on it.
    ideas_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Beteiligungsverfahren")
        verbose_name_plural = _("Beteiligungsverfahren")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Only ``services.ideas_changed`` moves ``ideas_version``, by an UPDATE that adds one:
        # saving an instance read before another write must not set it back to a version
        # whose cached pages are out of date.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "ideas_version"
            ]
        super().save(*args, **kwargs)


ENDS_BEFORE_START = _("Das Ende muss nach dem Beginn liegen.")


class Phase(models.Model):
    class Kind(models.TextChoices):
        IDEAS = "ideas", _("Ideenaufruf")
        WEIGHTING = "weighting", _("Gewichtung")
        SURVEY = "survey", _("Umfrage")
        INFORMATION = "information", _("Information")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=ENDS_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.title}"

    @staticmethod
    def times_check(*, starts_at, ends_at) -> None:
        """ "End after start", the one check of it (the database's constraint says the same):
        a ``ValidationError`` on ``ends_at``, for every form and service that sets the times."""
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            raise ValidationError(
                {"ends_at": ValidationError(ENDS_BEFORE_START, code="ends_before_start")}
            )

    def clean(self) -> None:
        self.times_check(starts_at=self.starts_at, ends_at=self.ends_at)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class StakeholderGroup(models.TextChoices):
    ADMINISTRATION = "verwaltung", _("Verwaltung")
    MUNICIPAL_COMPANIES = "gesellschaften", _("städtische Gesellschaften")
    POLITICS = "politik", _("Politik")
    BUSINESS = "wirtschaft", _("Wirtschaft")
    SCIENCE = "wissenschaft", _("Wissenschaft")
    CIVIL_SOCIETY = "zivilgesellschaft", _("Zivilgesellschaft")
    PUBLIC = "oeffentlichkeit", _("Öffentlichkeit")


class Workshop(models.Model):
    """A stakeholder workshop whose ideas staff enter afterwards."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("Titel"), max_length=200)
    held_on = models.DateField(_("Datum"))
    stakeholder_group = models.CharField(
        _("Zielgruppe"), max_length=20, choices=StakeholderGroup.choices
    )
    participant_count = models.PositiveIntegerField(
        _("Teilnehmende"), default=0, validators=[MaxValueValidator(100000)]
    )

    class Meta:
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.held_on, 'SHORT_DATE_FORMAT')})"


class Submitter(models.Model):
    """The contact of a resident who wants feedback on an idea. Personal data: kept only for
    that purpose, confirmed by double opt-in, deleted after the process ends plus retention."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("E-Mail-Adresse"))
    token = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kontakt für Rückmeldungen")
        verbose_name_plural = _("Kontakte für Rückmeldungen")

    def __str__(self) -> str:
        # Never the address itself: objects end up in logs and the audit trail.
        return f"Kontakt {self.pk}"


class IdeaSource(models.TextChoices):
    ONLINE = "online", _("Online")
    POSTCARD = "postkarte", _("Postkarte")
    OFFICE = "buergerbuero", _("Bürgerbüro")
    WORKSHOP = "workshop", _("Workshop")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingereicht")
    PUBLISHED = "published", _("veröffentlicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    ACCEPTED = "accepted", _("in die Strategie aufgenommen")
    REJECTED = "rejected", _("nicht aufgenommen")
    REMOVED = "removed", _("entfernt")


# What "public idea" means, once: published at some point, not merged into another, and in a
# status that shows. Lists, map, API, exports, the idea page (``Idea.is_public``), the partial
# indexes below and the portfolio's idea links all use this (``Idea.objects.public()``).
PUBLIC_LIST_STATUSES = [
    IdeaStatus.PUBLISHED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.ACCEPTED,
    IdeaStatus.REJECTED,
]
PUBLIC_IDEA = models.Q(
    published_at__isnull=False, merged_into__isnull=True, status__in=PUBLIC_LIST_STATUSES
)


class IdeaQuerySet(models.QuerySet):
    def public(self) -> "IdeaQuerySet":
        """The ideas every visitor may see."""
        return self.filter(PUBLIC_IDEA)


class Idea(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("Titel"), max_length=120)
    description = models.TextField(_("Beschreibung"), max_length=4000)
    fields = models.ManyToManyField(
        "strategy.ActionField", related_name="ideas", verbose_name=_("Handlungsfelder")
    )
    lat = models.DecimalField(_("Breite"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("Länge"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("Ort oder Adresse"), max_length=200, blank=True)
    photo = models.ImageField(_("Foto"), upload_to="ideen/%Y/%m/", blank=True)
    photo_description = models.CharField(_("Bildbeschreibung"), max_length=200, blank=True)
    source = models.CharField(
        _("Herkunft"), max_length=20, choices=IdeaSource.choices, default=IdeaSource.ONLINE
    )
    workshop = models.ForeignKey(
        Workshop,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("Workshop"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    status_reason = models.TextField(_("Begründung"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
        verbose_name=_("zusammengeführt mit"),
    )
    submitter = models.ForeignKey(
        Submitter, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    submitter_email_hash = models.CharField(max_length=64, blank=True, editable=False)
    moderated_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    edited_by_moderation_at = models.DateTimeField(
        _("bearbeitet durch Moderation am"), null=True, blank=True
    )
    moderation_note = models.CharField(_("Hinweis der Moderation"), max_length=300, blank=True)
    # Kept by the services that add or move supports and comments, so that list pages sort
    # and show counts without aggregating thousands of rows on every request.
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        # Partial indexes over the public ideas, in the orders of the list page: PostgreSQL
        # and SQLite read a page straight off the index and stop after it (no sort of all
        # ideas), and count and map markers use them too. The condition must stay identical
        # to ``Idea.objects.public()``, so they use ``PUBLIC_IDEA``.
        indexes = [
            models.Index(
                fields=["process", "-created_at", "-id"],
                name="idea_public_newest",
                condition=PUBLIC_IDEA,
            ),
            models.Index(
                fields=["process", "-support_count", "-created_at", "-id"],
                name="idea_public_support",
                condition=PUBLIC_IDEA,
            ),
            models.Index(
                fields=["process", "-comment_count", "-created_at", "-id"],
                name="idea_public_comments",
                condition=PUBLIC_IDEA,
            ),
            models.Index(
                fields=["lon", "lat"],
                name="idea_public_point",
                condition=PUBLIC_IDEA & models.Q(lat__isnull=False),
            ),
            models.Index(fields=["process", "moderated_at"], name="idea_moderation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="workshop", workshop__isnull=False)
                | ~models.Q(source="workshop"),
                name="idea_workshop_source_has_workshop",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lon__isnull=True)
                | models.Q(lat__isnull=False, lon__isnull=False),
                name="idea_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """``PUBLIC_IDEA`` for one idea already read."""
        return (
            self.published_at is not None
            and self.merged_into_id is None
            and self.status in PUBLIC_LIST_STATUSES
        )

    @property
    def source_label(self) -> str:
        if self.source == IdeaSource.WORKSHOP and self.workshop_id:
            return f"Workshop „{self.workshop.title}“"
        return str(self.get_source_display())


class IdeaStatusChange(models.Model):
    """One step of an idea's public status history."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"


class Support(models.Model):
    """One visitor's support of one idea. ``visitor`` is a keyed hash, never the raw token."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    visitor = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "visitor"], name="one_support_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"Unterstützung {self.pk} für Idee {self.idea_id}"


class Comment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("wartet auf Freigabe")
        VISIBLE = "visible", _("sichtbar")
        HIDDEN = "hidden", _("ausgeblendet")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author_name = models.CharField(_("Name"), max_length=80, blank=True)
    text = models.TextField(_("Kommentar"), max_length=2000)
    state = models.CharField(
        _("Status"), max_length=10, choices=State.choices, default=State.VISIBLE
    )
    hidden_reason = models.CharField(_("Grund"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "state", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"Kommentar {self.pk} zu Idee {self.idea_id}"


class Report(models.Model):
    """A visitor's report ("melden") of an idea or a comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Werbung oder Spam")
        OFFENSIVE = "offensive", _("beleidigend oder diskriminierend")
        PERSONAL = "personal", _("enthält persönliche Daten")
        OTHER = "other", _("anderer Grund")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("Erläuterung"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("Erledigung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Meldung {self.pk}"


class ReasonTemplate(models.Model):
    """A reusable text block for decisions, e.g. why an idea was not taken up."""

    title = models.CharField(_("Kurztitel"), max_length=100)
    text = models.TextField(_("Text"), max_length=2000)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class BlockedEmail(models.Model):
    """An e-mail address that may no longer submit. Only a keyed hash is stored."""

    email_hash = models.CharField(max_length=64, unique=True)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gesperrte E-Mail-Adresse")
        verbose_name_plural = _("gesperrte E-Mail-Adressen")

    def __str__(self) -> str:
        return f"Sperre {self.pk}"
