"""Weighting ballots (Gewichtung) and surveys (Umfrage) of a participation phase.

A phase of kind "weighting" has one ``Weighting``, a phase of kind "survey" one ``Survey``.
Both share who may take part (``mode``), when results are public and the suppression minimum.

Ballot secrecy is a property of the schema, not of good intentions:

* ``Participation`` is the identity/de-duplication table: one row per (phase, keyed hash of the
  identity). The hash of a code, an e-mail address or an OIDC subject never appears anywhere
  else, and no column links a participation to a ballot or a survey response.
* ``Ballot`` and ``SurveyResponse`` have random UUID keys and no timestamp, so neither the
  order of primary keys nor a time can be matched against the participations.
* When ballots may be changed, the browser of the participant holds a random token. The
  participation stores one keyed hash of it, the ballot a *differently* keyed hash: with the
  database and the secret key one still cannot pair them without the token itself.
* A ballot (a survey response) is first written to the ballot box, ``PendingBallot``
  (``PendingResponse``), in the transaction that writes the ``Participation``; that is what
  keeps one ballot per identity and makes it durable. Rows of one transaction share its
  metadata (PostgreSQL's ``xmin``, neighbouring ``ctid``/``rowid``), so a separate transaction
  moves the box in shuffled batches of at least ``LEITBILD_BALLOT_MIX_MIN`` into ``Ballot``
  (``SurveyResponse``) under new keys (``services.ballot_box_mix``). Results read both.
  See docs/security.md, "Ballot secrecy", for the guarantee and its limits.

Writes go through ``services``, reads through ``selectors``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The pure ballot rules (no ORM, no statistics), for ``Weighting.rules()``.
from leitbild.consultation.ballots import (
    BallotRules,
    PickRules,
    PointsRules,
    RankRules,
    RateRules,
)
from leitbild.core.errors import Conflict


class Mode(models.TextChoices):
    OPEN = "open", _("offen: eine Teilnahme je Browser (nicht repräsentativ)")
    EMAIL = "email", _("mit bestätigter E-Mail-Adresse")
    CODES = "codes", _("mit Teilnahmecode (Stichprobe)")
    OIDC = "oidc", _("mit Anmeldung über OpenID Connect")


class Method(models.TextChoices):
    PICK = "pick", _("k von N Handlungsfeldern auswählen")
    POINTS = "points", _("Punkte verteilen")
    RANK = "rank", _("Rangfolge bilden")
    RATE = "rate", _("jedes Handlungsfeld von 1 bis 5 bewerten")


class ConsultationBase(models.Model):
    """What weighting and survey share: access, publication, suppression, the lock."""

    mode = models.CharField(_("Teilnahme"), max_length=10, choices=Mode.choices, default=Mode.OPEN)
    intro = models.TextField(_("Einleitung"), blank=True)
    results_published = models.BooleanField(
        _("Ergebnisse veröffentlicht"),
        default=False,
        help_text=_("Sonst sind die Ergebnisse erst nach dem Ende der Phase öffentlich."),
    )
    summary = models.TextField(
        _("Was die Stadt daraus macht"),
        blank=True,
        max_length=3000,
        help_text=_(
            "Wenige Sätze in einfacher Sprache: Was zeigt das Ergebnis, und was geschieht "
            "jetzt damit? Steht auf der öffentlichen Ergebnisseite über den Zahlen."
        ),
    )
    minimum_group_size = models.PositiveSmallIntegerField(
        _("Mindestgröße einer ausgewiesenen Gruppe"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("Kleinere Gruppen werden in Seiten, Exporten und der API nicht gezeigt."),
    )
    locked_at = models.DateTimeField(
        _("Regeln gesperrt seit"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Weighting(ConsultationBase):
    phase = models.OneToOneField(
        "participation.Phase", on_delete=models.CASCADE, related_name="weighting"
    )
    method = models.CharField(
        _("Methode"), max_length=10, choices=Method.choices, default=Method.PICK
    )
    pick_k = models.PositiveSmallIntegerField(
        _("Höchstens auswählen (k)"), default=3, validators=[MinValueValidator(1)]
    )
    pick_minimum = models.PositiveSmallIntegerField(
        _("Mindestens auswählen"), default=1, validators=[MinValueValidator(1)]
    )
    points_total = models.PositiveSmallIntegerField(
        _("Zu verteilende Punkte"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    points_cap = models.PositiveSmallIntegerField(
        _("Höchstens Punkte je Handlungsfeld"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    rank_depth = models.PositiveSmallIntegerField(
        _("Nur die ersten … Plätze vergeben"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leer lassen: alle Handlungsfelder in eine Rangfolge bringen."),
    )
    rate_require_all = models.BooleanField(
        _("Jedes Handlungsfeld muss bewertet werden"), default=True
    )
    allow_changes = models.BooleanField(
        _("Stimme bis zum Ende änderbar"),
        default=False,
        help_text=_(
            "Im selben Browser, mit einem zufälligen Schlüssel, den nur der Browser kennt."
        ),
    )
    fields = models.ManyToManyField(
        "strategy.ActionField",
        through="WeightingField",
        related_name="+",
        verbose_name=_("Handlungsfelder"),
    )

    class Meta:
        verbose_name = _("Gewichtung")
        verbose_name_plural = _("Gewichtungen")

    def __str__(self) -> str:
        return f"Gewichtung {self.phase_id}"

    def rules(self, field_ids: tuple[int, ...]) -> BallotRules:
        """The ballot rules of ballots.py for these fields (ids, in ballot order)."""
        if self.method == Method.PICK:
            k = min(self.pick_k, len(field_ids))
            return PickRules(field_ids, k=k, minimum=min(self.pick_minimum, k))
        if self.method == Method.POINTS:
            return PointsRules(field_ids, total=self.points_total, cap=self.points_cap)
        if self.method == Method.RANK:
            depth = self.rank_depth if self.rank_depth else None
            return RankRules(field_ids, depth=min(depth, len(field_ids)) if depth else None)
        return RateRules(field_ids, require_all=self.rate_require_all)


class WeightingField(models.Model):
    """A field of action on the ballot, at a fixed position (the column of the ballot matrix)."""

    weighting = models.ForeignKey(
        Weighting, on_delete=models.CASCADE, related_name="weighting_fields"
    )
    # PROTECT: a field that has been voted on cannot silently vanish from the results.
    field = models.ForeignKey("strategy.ActionField", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["weighting", "field"], name="weighting_field_once"),
            models.UniqueConstraint(
                fields=["weighting", "position"], name="weighting_field_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weighting_id}: {self.field_id} @ {self.position}"


class Survey(ConsultationBase):
    phase = models.OneToOneField(
        "participation.Phase", on_delete=models.CASCADE, related_name="survey"
    )

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return f"Umfrage {self.phase_id}"


# --- Demographic questions and population targets ------------------------------------------
class DemographicQuestion(models.Model):
    """A voluntary question (age band, district, …). ``options``: [{"value", "label"}, …]."""

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="demographic_questions"
    )
    key = models.SlugField(
        _("Kurzname"), max_length=40, help_text=_("Für Exporte und die API, z. B. alter.")
    )
    text = models.CharField(_("Frage"), max_length=200)
    options = models.JSONField(_("Antwortmöglichkeiten"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Frage zur Person")
        verbose_name_plural = _("Fragen zur Person")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "key"], name="demographic_key_per_phase"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def values(self) -> list[str]:
        return [option["value"] for option in self.options]

    @property
    def labels(self) -> list[str]:
        return [option["label"] for option in self.options]


class PopulationTarget(models.Model):
    """Population shares of the statistics office for one question or a pair of questions.

    ``shares`` maps an answer value (or ``"value1|value2"`` for a pair) to its share (0–1).
    """

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="population_targets"
    )
    question = models.ForeignKey(
        DemographicQuestion, on_delete=models.CASCADE, related_name="+", verbose_name=_("Frage")
    )
    second_question = models.ForeignKey(
        DemographicQuestion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kombiniert mit"),
    )
    shares = models.JSONField(_("Anteile"), default=dict)
    source = models.CharField(
        _("Quelle"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Melderegister, Stand 31.12.2023"),
    )

    class Meta:
        verbose_name = _("Zielanteile der Bevölkerung")
        verbose_name_plural = _("Zielanteile der Bevölkerung")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Zielanteile {self.pk}"


# --- Identities: codes, e-mail confirmations, participations --------------------------------
class CodeBatch(models.Model):
    """Codes generated together. The plain codes exist only in the batch's private files
    (CSV, PDF) under ``LEITBILD_PRIVATE_DIR`` until staff delete them after printing."""

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="code_batches"
    )
    count = models.PositiveIntegerField(_("Anzahl"))
    created_at = models.DateTimeField(_("erzeugt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_csv = models.BooleanField(default=False)
    has_pdf = models.BooleanField(default=False)
    files_deleted_at = models.DateTimeField(_("Dateien gelöscht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Code-Serie")
        verbose_name_plural = _("Code-Serien")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Code-Serie {self.pk} ({self.count})"


class ParticipationCode(models.Model):
    """A single-use code: only its keyed hash (letters.hash_code) is stored."""

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="participation_codes"
    )
    batch = models.ForeignKey(
        CodeBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Teilnahmecode")
        verbose_name_plural = _("Teilnahmecodes")

    def __str__(self) -> str:
        return f"Code {self.pk}"


class EmailIdentity(models.Model):
    """Double opt-in for the e-mail mode: the keyed hash of the address, never the address."""

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="email_identities"
    )
    email_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail-Bestätigung")
        verbose_name_plural = _("E-Mail-Bestätigungen")
        indexes = [models.Index(fields=["phase", "email_hash"], name="email_identity_lookup")]

    def __str__(self) -> str:
        return f"E-Mail-Bestätigung {self.pk}"


class Participation(models.Model):
    """One identity took part in one phase. Deliberately no link to the ballot or response,
    no timestamp, and a random key, so that rows cannot be paired with ballots by order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="participations"
    )
    identity_hash = models.CharField(max_length=64)
    change_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "identity_hash"], name="one_participation_per_identity"
            ),
        ]

    def __str__(self) -> str:
        return "Teilnahme"


# --- Ballots ---------------------------------------------------------------------------------
class Ballot(models.Model):
    """A cast ballot. ``choices``: a list of field ids (pick) or {field id: value}.

    ``vector`` is the same ballot as little-endian int16 values, one per ballot field in
    position order (pick: 1/0, points, place or 0, rating or 0), followed by one code per
    demographic question (option index, −1 for no answer). Results load it for all ballots
    in one query straight into NumPy; the JSON stays the readable record.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    weighting = models.ForeignKey(Weighting, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField()
    demographics = models.JSONField(default=dict)
    vector = models.BinaryField()
    change_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("Stimmzettel")
        verbose_name_plural = _("Stimmzettel")

    def __str__(self) -> str:
        return "Stimmzettel"


class PendingBallot(models.Model):
    """A ballot in the ballot box: cast, counted, but still written by the transaction that
    wrote its participation. The same fields as ``Ballot``; the mixer moves it there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    weighting = models.ForeignKey(
        Weighting, on_delete=models.CASCADE, related_name="pending_ballots"
    )
    choices = models.JSONField()
    demographics = models.JSONField(default=dict)
    vector = models.BinaryField()
    change_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("Stimmzettel in der Urne")
        verbose_name_plural = _("Stimmzettel in der Urne")

    def __str__(self) -> str:
        return "Stimmzettel in der Urne"


# --- Surveys ---------------------------------------------------------------------------------
class SurveySection(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    LIKERT = "likert", _("Zustimmung (Likert-Skala 1–5)")
    NUMBER = "number", _("Zahl")
    TEXT = "text", _("Freitext")


LIKERT_LABELS = (
    _("stimme gar nicht zu"),
    _("stimme eher nicht zu"),
    _("teils, teils"),
    _("stimme eher zu"),
    _("stimme voll zu"),
)


class SurveyQuestion(models.Model):
    """A question; ``options`` as for demographic questions (choice questions only).

    With ``condition_question`` the question is shown only if that earlier question was
    answered with ``condition_value`` (an option value, or 1–5 for a Likert question).
    """

    section = models.ForeignKey(SurveySection, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("Art"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    required = models.BooleanField(_("Antwort erforderlich"), default=False)
    options = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)
    number_min = models.IntegerField(_("kleinste Zahl"), null=True, blank=True)
    number_max = models.IntegerField(_("größte Zahl"), null=True, blank=True)
    condition_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
        verbose_name=_("nur zeigen, wenn Frage"),
    )
    condition_value = models.CharField(_("… so beantwortet wurde"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def values(self) -> list[str]:
        if self.kind == QuestionKind.LIKERT:
            return [str(i) for i in range(1, 6)]
        return [option["value"] for option in self.options]

    @property
    def labels(self) -> list[str]:
        if self.kind == QuestionKind.LIKERT:
            return [str(label) for label in LIKERT_LABELS]
        return [option["label"] for option in self.options]


class SurveyResponse(models.Model):
    """Answers of one participant: a draft while they go (``draft_key`` = keyed hash of the
    random token in their cookie), then submitted. ``answers``: {question id: value}."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)
    demographics = models.JSONField(default=dict)
    section_index = models.PositiveSmallIntegerField(default=0)
    submitted = models.BooleanField(default=False)
    draft_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Only while a draft, to delete abandoned drafts; cleared on submission (no timestamps on
    # submitted responses, see the module docstring).
    draft_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        indexes = [models.Index(fields=["survey", "submitted"], name="survey_response_state")]

    def __str__(self) -> str:
        return "Antwortbogen"


# --- Archived results ------------------------------------------------------------------------
class ResultsArchiveError(Conflict):
    """An archive is written once and then frozen, like an audit entry."""

    code = "results_archive_frozen"
    default_message = _("Archivierte Ergebnisse lassen sich nicht ändern.")


class ResultsArchive(models.Model):
    """The final results of a weighting or survey, frozen before its phase is deleted.

    Deliberately no foreign key to the phase or process: the archive outlives both. It holds
    only what is anonymous already: the result table (small groups suppressed) and the
    individual ballots or answers as exported (no free text, demographics coarsened). Like an
    audit entry, it cannot be changed once written.
    """

    phase_id = models.PositiveIntegerField(_("Phase Nr."), db_index=True)
    kind = models.CharField(_("Art"), max_length=20)
    process_title = models.CharField(_("Verfahren"), max_length=200)
    phase_title = models.CharField(_("Phase"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    ballots = models.PositiveIntegerField(_("Stimmzettel bzw. Antwortbögen"))
    results = models.JSONField(_("Ergebnisse"))  # {"headers": [...], "rows": [[...], ...]}
    records = models.JSONField(_("Einzelne Stimmen (anonymisiert)"))  # same shape
    archived_at = models.DateTimeField(_("archiviert am"), auto_now_add=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("archiviert von"),
    )

    class Meta:
        verbose_name = _("Archivierte Ergebnisse")
        verbose_name_plural = _("Archivierte Ergebnisse")
        ordering = ["-archived_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.process_title}: {self.phase_title}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ResultsArchiveError
        super().save(*args, **kwargs)


class PendingResponse(models.Model):
    """A submitted survey response in the ballot box (see ``PendingBallot``); the mixer moves
    it into ``SurveyResponse``. Drafts never come here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pending_responses")
    answers = models.JSONField(default=dict)
    demographics = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("Antwortbogen in der Urne")
        verbose_name_plural = _("Antwortbögen in der Urne")

    def __str__(self) -> str:
        return "Antwortbogen in der Urne"


# --- Access grants ---------------------------------------------------------------------------
class AccessGrant(models.Model):
    """What a browser proved for a phase (a confirmed e-mail, an OIDC login, a checked code),
    kept on the server for a short time instead of in a cookie.

    The cookie holds only a random token. The row holds a keyed hash of the token and the
    proof sealed with the token itself (``identity.seal``): the database alone, even with the
    secret key, does not reveal the proof, and the cookie alone is no code and no identity
    hash. Deleted on use, on expiry and by the purge of the phase."""

    phase = models.ForeignKey("participation.Phase", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sealed = models.TextField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Zugangsnachweis")
        verbose_name_plural = _("Zugangsnachweise")

    def __str__(self) -> str:
        return "Zugangsnachweis"
