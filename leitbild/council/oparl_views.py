"""Staff pages of the Ratsbüro for the council information system (OParl): the endpoint,
the sync with its progress and last outcome, and the links of versions to their papers."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.fields import query_text
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role
from leitbild.strategy.models import StrategyVersion

from . import forms, selectors, services
from .models import PaperLink

office_view = staff_view(Role.COUNCIL_OFFICE)


def _versions():
    return StrategyVersion.objects.select_related("strategy").order_by("strategy__title", "number")


def _page(request, *, source_form=None, link_form=None, status=200):
    source = selectors.oparl_source()
    query = query_text(request.GET.get("suche"), max_length=100)
    context = {
        "source": source,
        "counts": selectors.oparl_counts(source),
        "links": selectors.paper_links(source),
        "query": query,
        "found": selectors.papers_search(source, query),
        "versions": _versions(),
        "source_form": source_form
        or forms.OParlSourceForm(
            initial={
                "system_url": source.system_url if source else settings.LEITBILD_OPARL_ENDPOINT
            }
        ),
        "link_form": link_form or forms.PaperLinkForm(versions=_versions()),
    }
    return render(request, "council/oparl.html", context, status=status)


@office_view
def oparl(request):
    """GET: the page (with a search of synchronised papers); POST: the endpoint."""
    if request.method != "POST":
        return _page(request)
    form = forms.OParlSourceForm(request.POST)
    if form.is_valid():
        try:
            services.oparl_source_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der OParl-Endpunkt wurde geprüft und gespeichert."))
            return redirect("council:oparl")
    return _page(request, source_form=form)


@office_view
@require_POST
def oparl_sync(request):
    source = selectors.oparl_source()
    if source is None:
        messages.error(request, _("Stellen Sie zuerst den OParl-Endpunkt ein."))
        return redirect("council:oparl")
    full = request.POST.get("vollstaendig") == "1"
    progress = services.oparl_sync_start(actor=request.user, source=source, full=full)
    return redirect("core:progress_detail", pk=progress.pk)


@office_view
@require_POST
def oparl_link(request):
    """Links a version by the reference typed in, or by a paper picked from the search."""
    form = forms.PaperLinkForm(request.POST, versions=_versions())
    paper = None
    if request.POST.get("paper"):
        pk = request.POST["paper"]
        paper = selectors.paper_get(selectors.oparl_source(), int(pk)) if pk.isdigit() else None
        form = forms.PaperLinkForm(
            {**request.POST.dict(), "reference": paper.reference if paper else ""},
            versions=_versions(),
        )
    if form.is_valid():
        try:
            services.paper_link_save(actor=request.user, paper=paper, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Version wurde mit der Vorlage verknüpft."))
            return redirect("council:oparl")
    return _page(request, link_form=form)


@office_view
@require_POST
def oparl_unlink(request, pk: int):
    link = PaperLink.objects.filter(pk=pk).first()
    if link is None:  # e.g. the button pressed twice
        messages.info(request, _("Diese Verknüpfung ist schon aufgehoben."))
    else:
        services.paper_link_delete(actor=request.user, link=link)
        messages.success(request, _("Die Verknüpfung wurde aufgehoben."))
    return redirect("council:oparl")
