"""Staff pages of the council office (Ratsbüro): the council paper of a strategy version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role
from leitbild.strategy import selectors as strategy_selectors

from . import forms, paper, selectors, services
from .models import Amendment, ConsultationStep

council_view = staff_view(Role.COUNCIL_OFFICE, Role.EDITOR)


@council_view
def paper_page(request, slug: str, number: int):
    """Edit the texts, then generate PDF and DOCX in the background."""
    version = _version(slug, number)
    form = forms.PaperForm(request.POST or None, initial=paper.texts(version))
    if request.method == "POST" and form.is_valid():
        services.paper_texts_save(actor=request.user, version=version, texts=form.cleaned_data)
        progress = services.paper_generate_start(actor=request.user, version=version)
        return redirect("core:progress_detail", pk=progress.pk)
    files = strategy_selectors.version_documents([version])[version.pk]
    return render(
        request,
        "council/paper.html",
        {
            "version": version,
            "strategy": version.strategy,
            "form": form,
            "files": {k: v for k, v in files.items() if k[0] == "council_paper"},
            "financial": paper.financial_text(version),
        },
    )


office_view = staff_view(Role.COUNCIL_OFFICE)


@office_view
def index(request):
    """The Ratsbüro's start: every strategy version with its consultation sequence."""
    return render(request, "council/index.html", {"versions": selectors.versions_overview()})


@office_view
def bodies(request):
    form = forms.BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Das Gremium wurde gespeichert."))
            return redirect("council:bodies")
    return render(request, "council/bodies.html", {"form": form, "bodies": selectors.bodies()})


def _version(slug: str, number: int):
    version = strategy_selectors.version_get(slug=slug, number=number)
    if version is None:
        raise Http404
    return version


def _steps_page(request, version, *, form=None, amendment_form=None):
    """The consultation sequence of a version with its two forms (one of them refused)."""
    targets = selectors.amendment_targets(version)
    return render(
        request,
        "council/steps.html",
        {
            "version": version,
            "form": form or forms.StepForm(),
            "steps": selectors.steps(version),
            "amendments": selectors.amendments(version),
            "amendment_form": amendment_form or forms.AmendmentForm(targets=targets),
        },
    )


@office_view
def steps(request, slug: str, number: int):
    version = _version(slug, number)
    form = forms.StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_record(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Beratungsschritt wurde eingetragen."))
            return redirect("council:steps", slug=slug, number=number)
    return _steps_page(request, version, form=form)


@office_view
@require_POST
def amendment_create(request, slug: str, number: int):
    version = _version(slug, number)
    form = forms.AmendmentForm(request.POST, targets=selectors.amendment_targets(version))
    if not form.is_valid():
        return _steps_page(request, version, amendment_form=form)
    services.amendment_record(actor=request.user, version=version, **form.values())
    messages.success(request, _("Der Änderungsantrag wurde eingetragen."))
    return redirect("council:steps", slug=slug, number=number)


@staff_view(Role.EDITOR, Role.COUNCIL_OFFICE)
@require_POST
def amendment_done(request, pk: int):
    amendment = get_object_or_404(Amendment.objects.select_related("version__strategy"), pk=pk)
    services.amendment_done(actor=request.user, amendment=amendment, done=True)
    messages.success(request, _("Als eingearbeitet markiert."))
    return redirect("strategy:staff_strategy", slug=amendment.version.strategy.slug)


@office_view
def step_edit(request, pk: int):
    step = get_object_or_404(ConsultationStep.objects.select_related("version__strategy"), pk=pk)
    version = step.version
    back = redirect("council:steps", slug=version.strategy.slug, number=version.number)
    if request.method == "POST" and request.POST.get("loeschen"):
        services.step_delete(actor=request.user, step=step)
        messages.success(request, _("Der Beratungsschritt wurde gelöscht."))
        return back
    form = forms.StepForm(request.POST or None, initial=selectors.step_initial(step))
    if request.method == "POST" and form.is_valid():
        try:
            services.step_record(
                actor=request.user, version=version, step=step, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Beratungsschritt wurde gespeichert."))
            return back
    return render(request, "council/step_edit.html", {"step": step, "form": form})
