"""The Strategie-Redaktion's pages for measurement sources fetched on a schedule: the list
with the last outcome, adding, changing and deleting a source, "Jetzt abrufen"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role

from . import feed_selectors, feed_services
from .feed_forms import FeedForm, interval_label

# The Strategie-Redaktion keeps the indicators and so where their values come from.
editor_view = staff_view(Role.EDITOR)


def _feed_or_404(pk: int):
    feed = feed_selectors.feed_get(pk=pk)
    if feed is None:
        raise Http404
    return feed


@editor_view
def feed_list(request):
    rows = [(feed, interval_label(feed.interval_hours)) for feed in feed_selectors.feeds()]
    return render(request, "monitoring/staff/feeds.html", {"rows": rows})


@editor_view
def feed_create(request):
    form = FeedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feed = feed_services.feed_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Die Datenquelle „{name}“ wurde angelegt.").format(name=feed.name)
            )
            return redirect("monitoring:feed_list")
    return render(request, "monitoring/staff/feed_form.html", {"form": form, "feed": None})


@editor_view
def feed_edit(request, pk: int):
    feed = _feed_or_404(pk)
    form = FeedForm.for_feed(feed, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feed_services.feed_update(actor=request.user, feed=feed, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Datenquelle wurde gespeichert."))
            return redirect("monitoring:feed_list")
    return render(request, "monitoring/staff/feed_form.html", {"form": form, "feed": feed})


@editor_view
def feed_delete(request, pk: int):
    """GET asks, POST deletes (works without JavaScript)."""
    feed = _feed_or_404(pk)
    if request.method == "POST":
        feed_services.feed_delete(actor=request.user, feed=feed)
        messages.success(request, _("Die Datenquelle wurde gelöscht."))
        return redirect("monitoring:feed_list")
    return render(request, "monitoring/staff/feed_delete.html", {"feed": feed})


@editor_view
@require_POST
def feed_run(request, pk: int):
    feed = _feed_or_404(pk)
    progress = feed_services.feed_run_start(actor=request.user, feed=feed)
    return redirect("core:progress_detail", pk=progress.pk)
