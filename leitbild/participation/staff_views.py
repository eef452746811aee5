"""Staff pages of the idea call under /beteiligung/verwaltung/ (URL names ``staff_…``).

Moderation works the queue; Moderation and Strategy editors configure processes and phases.
Every write goes through a service that records an audit entry.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.fields import query_text
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role

from . import phases, selectors, services
from .exports import ideas_export_response
from .forms import (
    CommentModerationForm,
    IdeaEditForm,
    MergeForm,
    NoteForm,
    OfflineIdeaForm,
    PhaseForm,
    ProcessForm,
    ReasonTemplateForm,
    StatusForm,
    WorkshopForm,
)
from .models import Comment, Idea, IdeaStatus, Phase, Process, ReasonTemplate, Report, Workshop

moderator = staff_view(Role.MODERATOR)
configurer = staff_view(Role.MODERATOR, Role.EDITOR)


def _process(slug: str) -> Process:
    process = selectors.process_get(slug=slug)
    if process is None:
        raise Http404
    return process


def _idea(pk: int) -> Idea:
    idea = selectors.staff_idea_get(pk=pk)
    if idea is None:
        raise Http404
    return idea


@configurer
def staff_index(request):
    return render(
        request,
        "participation/staff/index.html",
        {"processes": list(selectors.staff_process_overview())},
    )


@configurer
def staff_process_create(request):
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        process = services.process_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Das Verfahren wurde angelegt. Legen Sie nun die Phasen an."))
        return redirect("participation:staff_process_edit", process.slug)
    return render(request, "participation/staff/process_form.html", {"form": form})


@configurer
def staff_process_edit(request, slug: str):
    process = _process(slug)
    form = ProcessForm(request.POST or None, instance=Process.objects.get(pk=process.pk))
    if request.method == "POST" and form.is_valid():
        process = services.process_save(actor=request.user, process=process, **form.cleaned_data)
        messages.success(request, _("Das Verfahren wurde gespeichert."))
        return redirect("participation:staff_process_edit", process.slug)
    return render(
        request,
        "participation/staff/process_form.html",
        {
            "form": form,
            "process": process,
            "phases": list(process.phases.all()),
            "workshops": list(selectors.workshops(process=process)),
        },
    )


@configurer
def staff_phase_create(request, slug: str):
    process = _process(slug)
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_save(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Phase wurde angelegt."))
            return redirect("participation:staff_process_edit", process.slug)
    return render(
        request, "participation/staff/phase_form.html", {"form": form, "process": process}
    )


@configurer
def staff_phase_edit(request, pk: int):
    phase = get_object_or_404(Phase.objects.select_related("process"), pk=pk)
    process = phase.process
    # Weighting and survey phases belong to consultation: not deleted or re-purposed here.
    delete_refusal = phases.phase_change_refusal(
        phase=phase, action=phases.DELETE, app=services.APP
    )
    kind_refusal = phases.phase_change_refusal(
        phase=phase, action=phases.CHANGE_KIND, app=services.APP
    )
    if request.method == "POST" and request.POST.get("loeschen"):
        try:
            services.phase_delete(actor=request.user, phase=phase)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("participation:staff_phase_edit", phase.pk)
        messages.success(request, _("Die Phase wurde gelöscht."))
        return redirect("participation:staff_process_edit", process.slug)
    form = PhaseForm(request.POST or None, instance=Phase.objects.get(pk=phase.pk))
    if kind_refusal:
        form.fields["kind"].disabled = True
        form.fields["kind"].help_text = kind_refusal
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_save(
                actor=request.user, process=process, phase=phase, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Phase wurde gespeichert."))
            return redirect("participation:staff_process_edit", process.slug)
    return render(
        request,
        "participation/staff/phase_form.html",
        {"form": form, "process": process, "phase": phase, "delete_refusal": delete_refusal},
    )


@configurer
def staff_workshop_create(request, slug: str):
    process = _process(slug)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.workshop_save(actor=request.user, process=process, **form.cleaned_data)
        messages.success(request, _("Der Workshop wurde angelegt."))
        return redirect("participation:staff_process_edit", process.slug)
    return render(
        request, "participation/staff/workshop_form.html", {"form": form, "process": process}
    )


@configurer
def staff_workshop_edit(request, pk: int):
    workshop = get_object_or_404(Workshop.objects.select_related("process"), pk=pk)
    form = WorkshopForm(request.POST or None, instance=Workshop.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.workshop_save(
            actor=request.user, process=workshop.process, workshop=workshop, **form.cleaned_data
        )
        messages.success(request, _("Der Workshop wurde gespeichert."))
        return redirect("participation:staff_process_edit", workshop.process.slug)
    return render(
        request,
        "participation/staff/workshop_form.html",
        {"form": form, "process": workshop.process, "workshop": workshop},
    )


@moderator
def staff_queue(request, slug: str):
    process = _process(slug)
    context = {"process": process, **selectors.staff_queue(process=process)}
    return render(request, "participation/staff/queue.html", context)


@moderator
def staff_idea_list(request, slug: str):
    process = _process(slug)
    flt = selectors.IdeaFilter.from_params(request.GET)
    status = request.GET.get("status", "")
    page = Paginator(selectors.staff_ideas(process=process, flt=flt, status=status), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "participation/staff/idea_list.html",
        {
            "process": process,
            "page_obj": page,
            "flt": flt,
            "status": status,
            "statuses": IdeaStatus.choices,
        },
    )


@moderator
def staff_idea_create(request, slug: str):
    """Ideas that arrived offline: postcards, the citizens' office, workshops."""
    process = _process(slug)
    form = OfflineIdeaForm(request.POST or None, request.FILES or None, process=process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_submit(
                process=process,
                title=data["title"],
                description=data["description"],
                fields=data["action_fields"],
                lat=data.get("lat"),
                lon=data.get("lon"),
                address=data.get("address", ""),
                photo=data.get("photo"),
                photo_description=data.get("photo_description", ""),
                source=data["source"],
                workshop=data.get("workshop"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Idee Nr. %(pk)s wurde erfasst.") % {"pk": idea.pk})
            if request.POST.get("weitere"):
                return redirect("participation:staff_idea_create", process.slug)
            return redirect("participation:staff_idea", idea.pk)
    return render(
        request, "participation/staff/idea_create.html", {"form": form, "process": process}
    )


@moderator
def staff_idea(request, pk: int):
    idea = _idea(pk)
    return render(
        request,
        "participation/staff/idea_detail.html",
        {
            "idea": idea,
            "process": idea.process,
            "comments": selectors.staff_idea_comments(idea),
            "reports": selectors.staff_idea_reports(idea),
            "status_form": StatusForm(),
            "merge_form": MergeForm(),
            "block_form": NoteForm(),
            "templates": list(selectors.reason_templates()),
            "is_blocked": selectors.email_is_blocked(idea),
        },
    )


@moderator
@require_POST
def staff_idea_approve(request, pk: int):
    idea = _idea(pk)
    try:
        services.idea_approve(actor=request.user, idea=idea)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Die Idee „%(t)s“ wurde freigegeben.") % {"t": idea.title})
    if request.POST.get("weiter") == "queue":
        return redirect("participation:staff_queue", idea.process.slug)
    return redirect("participation:staff_idea", idea.pk)


@moderator
def staff_idea_status(request, pk: int):
    idea = _idea(pk)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_status_set(
                actor=request.user,
                idea=idea,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Status wurde geändert."))
            return redirect("participation:staff_idea", idea.pk)
    return render(
        request,
        "participation/staff/status_form.html",
        {
            "idea": idea,
            "process": idea.process,
            "form": form,
            "templates": list(selectors.reason_templates()),
        },
    )


@moderator
def staff_idea_edit(request, pk: int):
    idea = _idea(pk)
    initial = {
        "title": idea.title,
        "description": idea.description,
        "action_fields": list(idea.fields.all()),
        "address": idea.address,
        "note": idea.moderation_note,
    }
    form = IdeaEditForm(request.POST or None, initial=initial, process=idea.process)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_edit(
                actor=request.user,
                idea=idea,
                title=data["title"],
                description=data["description"],
                fields=data["action_fields"],
                address=data.get("address", ""),
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Die Idee wurde bearbeitet. Auf der Seite steht nun "
                    "„bearbeitet durch Moderation“."
                ),
            )
            return redirect("participation:staff_idea", idea.pk)
    return render(
        request,
        "participation/staff/idea_edit.html",
        {"idea": idea, "process": idea.process, "form": form},
    )


@moderator
def staff_idea_merge(request, pk: int):
    idea = _idea(pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        into = Idea.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("Eine Idee mit dieser Nummer gibt es nicht."))
        else:
            try:
                services.idea_merge(actor=request.user, idea=idea, into=into)
            except ValidationError as exc:
                form.add_error("into", exc)
            else:
                messages.success(
                    request, _("Die Idee wurde mit Nr. %(pk)s zusammengeführt.") % {"pk": into.pk}
                )
                return redirect("participation:staff_idea", into.pk)
    q = query_text(request.GET.get("suche", ""))
    return render(
        request,
        "participation/staff/idea_merge.html",
        {
            "idea": idea,
            "process": idea.process,
            "form": form,
            "q": q,
            "candidates": list(selectors.merge_candidates(idea=idea, q=q)),
        },
    )


@moderator
@require_POST
def staff_email_block(request, pk: int):
    idea = _idea(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.email_block(
                actor=request.user, idea=idea, note=form.cleaned_data.get("note", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die E-Mail-Adresse ist gesperrt."))
    return redirect("participation:staff_idea", idea.pk)


@moderator
@require_POST
def staff_comment_moderate(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("idea__process"), pk=pk)
    form = CommentModerationForm(request.POST)
    if form.is_valid():
        visible = form.cleaned_data["action"] == "show"
        services.comment_moderate(
            actor=request.user,
            comment=comment,
            visible=visible,
            reason=form.cleaned_data.get("reason", ""),
        )
        messages.success(
            request,
            _("Der Kommentar ist freigegeben.")
            if visible
            else _("Der Kommentar ist ausgeblendet."),
        )
    if request.POST.get("weiter") == "queue":
        return redirect("participation:staff_queue", comment.idea.process.slug)
    return redirect("participation:staff_idea", comment.idea_id)


@moderator
@require_POST
def staff_report_resolve(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("idea__process"), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.report_resolve(
            actor=request.user, report=report, resolution=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("Die Meldung ist erledigt."))
    if request.POST.get("weiter") == "queue":
        return redirect("participation:staff_queue", report.idea.process.slug)
    return redirect("participation:staff_idea", report.idea_id)


@moderator
def staff_reason_templates(request):
    form = ReasonTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reason_template_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Der Textbaustein wurde angelegt."))
        return redirect("participation:staff_reason_templates")
    return render(
        request,
        "participation/staff/reason_templates.html",
        {"form": form, "templates": list(selectors.reason_templates())},
    )


@moderator
def staff_reason_template_edit(request, pk: int):
    template = get_object_or_404(ReasonTemplate, pk=pk)
    form = ReasonTemplateForm(request.POST or None, instance=ReasonTemplate.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.reason_template_save(actor=request.user, template=template, **form.cleaned_data)
        messages.success(request, _("Der Textbaustein wurde gespeichert."))
        return redirect("participation:staff_reason_templates")
    return render(
        request,
        "participation/staff/reason_template_form.html",
        {"form": form, "template": template},
    )


@moderator
def staff_export(request, slug: str, fmt: str):
    """All ideas that are not merged or removed, including those still awaiting moderation."""
    process = _process(slug)
    qs = Idea.objects.filter(process=process, merged_into__isnull=True).exclude(
        status=IdeaStatus.REMOVED
    )
    return ideas_export_response(qs, process=process, fmt=fmt)
