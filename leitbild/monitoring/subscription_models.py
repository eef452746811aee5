"""E-mail subscriptions to a project's progress reports (double opt-in).

The address is kept only to send the project's new progress reports, and only once its owner
confirmed it with the link we sent. Unconfirmed requests are deleted after
``subscription_services.UNCONFIRMED_DAYS`` days (``subscriptions_purge``); unsubscribing
deletes the row. The confirmation token is stored as a keyed hash only; the unsubscribe link
is signed (``subscription_services.unsubscribe_token``), so nothing to look it up by is kept.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ProgressSubscription"]


class ProgressSubscription(models.Model):
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="progress_subscriptions"
    )
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email"], name="unique_progress_subscription"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.pk}"
