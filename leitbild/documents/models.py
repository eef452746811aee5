"""Generated documents and the texts the Strategie-Redaktion writes for them.

A generated file belongs to a *subject*, a key its app chooses (``strategy-version:12``), so
that ``documents`` knows no domain model; the app that owns the subject decides who may
download it. Files lie in ``LEITBILD_PRIVATE_DIR/documents`` and are served by views that
check publication, never from MEDIA.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategiedokument")
    COUNCIL_PAPER = "council_paper", _("Beschlussvorlage")
    MONITORING_REPORT = "monitoring_report", _("Umsetzungsbericht")
    PROJECT_REPORT = "project_report", _("Sachstandsbericht für den Fördergeber")


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class GeneratedDocument(models.Model):
    subject = models.CharField(max_length=100)
    kind = models.CharField(_("Art"), max_length=20, choices=DocumentKind.choices)
    format = models.CharField(_("Format"), max_length=10, choices=DocumentFormat.choices)
    filename = models.CharField(max_length=200)  # offered to whoever downloads it
    stored_as = models.CharField(max_length=250)  # in the private folder; carries the checksum
    sha256 = models.CharField(_("SHA-256-Prüfsumme"), max_length=64)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    pages = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)
    generated_at = models.DateTimeField(_("erzeugt am"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("erzeugtes Dokument")
        verbose_name_plural = _("erzeugte Dokumente")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "format"], name="documents_one_file_per_format"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class DocumentText(models.Model):
    """A section of a document as the Redaktion arranged it: its place, whether it is
    included, and its introduction (for the foreword: its whole text)."""

    scope = models.CharField(max_length=100)  # e.g. "strategy:3": one arrangement per strategy
    key = models.CharField(max_length=50)
    position = models.PositiveIntegerField(_("Position"), default=0)
    included = models.BooleanField(_("aufnehmen"), default=True)
    text = models.TextField(_("Einleitung"), blank=True, max_length=20_000)

    class Meta:
        verbose_name = _("Dokumentabschnitt")
        verbose_name_plural = _("Dokumentabschnitte")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="documents_one_text_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
