"""Public pages of the e-mail subscriptions to a project's progress reports.

Every link from an e-mail whose token is unknown, spent or expired answers with the one
404 page of ``core.links.invalid_link``.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leitbild.core import security
from leitbild.core.links import invalid_link
from leitbild.core.permissions import public_view

from . import progress_selectors, subscription_services
from .subscription_forms import SubscriptionForm

# (requests, seconds) per client; LEITBILD_MONITORING_RATE_LIMITS overrides.
RATE_LIMITS = {"subscribe": (10, 3600)}


def _limited(request, action: str) -> bool:
    limits = getattr(settings, "LEITBILD_MONITORING_RATE_LIMITS", {})
    allowed, window = limits.get(action, RATE_LIMITS[action])
    return security.rate_limited(request, f"monitoring:{action}", allowed=allowed, window=window)


def _message(request, project, title: str, text: str):
    context = {"project": project, "title": title, "text": text}
    return render(request, "monitoring/subscriptions/message.html", context)


@public_view
def subscription_request(request, pk: int):
    if request.method != "POST":
        return redirect(reverse("monitoring:progress_project", args=[pk]) + "#abo")
    progress = progress_selectors.project_progress(pk=pk)
    if progress is None:
        raise Http404
    form = SubscriptionForm(request.POST)
    if form.is_valid() and _limited(request, "subscribe"):
        form.add_error(None, _("Zu viele Anfragen. Bitte versuchen Sie es später."))
    if not form.is_valid():
        context = {
            "progress": progress,
            "project": progress.project,
            "today": timezone.localdate(),
            "subscription_form": form,
            "unconfirmed_days": subscription_services.UNCONFIRMED_DAYS,
        }
        return render(request, "monitoring/progress/project.html", context)
    subscription_services.subscription_request(
        project=progress.project, email=form.cleaned_data["email"]
    )
    text = _(
        "Wir haben Ihnen einen Link geschickt, falls die Adresse noch nicht angemeldet ist. "
        "Erst wenn Sie ihn öffnen, erhalten Sie die Berichte."
    )
    return _message(request, progress.project, _("Bitte sehen Sie in Ihr Postfach"), text)


@public_view
@require_GET
def subscription_confirm(request, token: str):
    subscription = subscription_services.subscription_confirm(token=token)
    if subscription is None:
        return invalid_link(request)
    text = _("Sie erhalten ab jetzt jeden neuen Fortschrittsbericht dieses Projekts per E-Mail.")
    return _message(request, subscription.project, _("Abonnement bestätigt"), text)


@public_view
def subscription_unsubscribe(request, token: str):
    subscription = subscription_services.subscription_for_unsubscribe(token)
    if subscription is None:
        return invalid_link(request)
    project = subscription.project
    if request.method == "POST":
        subscription_services.subscription_delete(subscription=subscription)
        text = _("Sie erhalten keine Berichte mehr. Ihre E-Mail-Adresse ist gelöscht.")
        return _message(request, project, _("Abonnement abbestellt"), text)
    return render(request, "monitoring/subscriptions/unsubscribe.html", {"project": project})
