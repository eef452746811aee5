"""Staff pages of weighting and surveys under /mitmachen/verwaltung/ (URL names ``staff_…``).

The Strategie-Redaktion (and Administration) configures phases, builds questionnaires,
generates codes, enters population targets and publishes results. Every write goes through a
service that records an audit entry.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.errors import Refusal
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role, has_role
from leitbild.participation.models import Phase

from . import archive, selectors, services
from .forms import (
    CodesForm,
    DemographicQuestionForm,
    PhaseDeleteForm,
    PublishForm,
    PurgeForm,
    QuestionForm,
    ScheduleForm,
    SectionForm,
    SummaryForm,
    SurveyForm,
    TargetForm,
    WeightingForm,
)
from .models import (
    CodeBatch,
    DemographicQuestion,
    PopulationTarget,
    SurveyQuestion,
    SurveySection,
)
from .responses import (
    export_response,
    survey_export_response,
    survey_results_response,
    weighting_export_response,
    weighting_results_response,
)

editor = staff_view(Role.EDITOR)
LETTERS_IN_REQUEST = 50  # more letters are rendered in the background (≈0.1 s each)


def _phase(pk: int) -> Phase:
    phase = selectors.phase_get(pk=pk)
    if phase is None:
        raise Http404
    return phase


def _context(phase: Phase, **extra) -> dict:
    return {
        "phase": phase,
        "process": phase.process,
        "consultation": selectors.configuration(phase),
        **extra,
    }


@editor
def staff_index(request):
    now = timezone.now()
    return render(
        request,
        "consultation/staff/index.html",
        {
            "phases": [
                {"phase": p, "consultation": selectors.configuration(p), "open": p.is_open(now)}
                for p in selectors.consultation_phases()
            ],
            "now": now,
        },
    )


def _configure(actor, phase: Phase, data: dict) -> None:
    if phase.kind == Phase.Kind.WEIGHTING:
        data = data | {"fields": list(data["fields"].order_by("order", "pk"))}
        services.weighting_configure(actor=actor, phase=phase, **data)
    else:
        services.survey_configure(actor=actor, phase=phase, **data)


@editor
def staff_phase(request, pk: int):
    """Configure the weighting or survey of a phase (created on first save)."""
    phase = _phase(pk)
    consultation = selectors.configuration(phase)
    is_weighting = phase.kind == Phase.Kind.WEIGHTING
    if is_weighting:
        initial = WeightingForm.initial_for(consultation, phase)
        form = WeightingForm(request.POST or None, phase=phase, initial=initial)
    else:
        form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            _configure(request.user, phase, dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Einstellungen wurden gespeichert."))
            return redirect("consultation:staff_phase", pk=phase.pk)
    return render(
        request,
        "consultation/staff/phase.html",
        _context(
            phase,
            form=form,
            schedule=ScheduleForm(initial=ScheduleForm.initial_for(phase)),
            is_weighting=is_weighting,
            locked=services.phase_is_locked(phase),
            codes=selectors.code_counts(phase),
            demographics=selectors.demographic_questions(phase.pk),
        ),
    )


@editor
@require_POST
def staff_phase_schedule(request, pk: int):
    phase = _phase(pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        services.phase_schedule(actor=request.user, phase=phase, **form.cleaned_data)
        messages.success(request, _("Beginn und Ende wurden gespeichert."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("consultation:staff_phase", pk=phase.pk)


@editor
@require_POST
def staff_publish(request, pk: int):
    phase = _phase(pk)
    consultation = selectors.configuration(phase)
    form = PublishForm(request.POST)
    if consultation is not None and form.is_valid():
        services.results_publish(
            actor=request.user, consultation=consultation, published=form.cleaned_data["published"]
        )
        messages.success(
            request,
            _("Die Ergebnisse sind veröffentlicht.")
            if form.cleaned_data["published"]
            else _("Die Ergebnisse sind nicht mehr vorab veröffentlicht."),
        )
    return redirect("consultation:staff_phase", pk=phase.pk)


@staff_view(Role.EDITOR, Role.MODERATOR)
def staff_summary(request, pk: int):
    """The plain-language summary of the results ("Was die Stadt daraus macht")."""
    phase = _phase(pk)
    consultation = selectors.configuration(phase)
    if consultation is None:
        raise Http404
    form = SummaryForm(request.POST or None, initial={"summary": consultation.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.results_summary_save(
                actor=request.user, consultation=consultation, summary=form.cleaned_data["summary"]
            )
        except Refusal as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Zusammenfassung ist gespeichert."))
            return redirect("consultation:staff_summary", pk=phase.pk)
    status = 400 if form.errors else 200
    context = _context(
        phase,
        form=form,
        public=selectors.results_public(consultation),
        may_configure=has_role(request.user, Role.EDITOR),
    )
    return render(request, "consultation/staff/summary.html", context, status=status)


# --- Demographic questions and targets ---------------------------------------------------------
@editor
def staff_demographics(request, pk: int):
    phase = _phase(pk)
    form = DemographicQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.demographic_question_save(actor=request.user, phase=phase, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Frage wurde angelegt."))
            return redirect("consultation:staff_demographics", pk=phase.pk)
    return render(
        request,
        "consultation/staff/demographics.html",
        _context(
            phase,
            form=form,
            questions=selectors.demographic_questions(phase.pk),
            locked=services.phase_is_locked(phase),
        ),
    )


@editor
def staff_demographic_edit(request, pk: int):
    question = get_object_or_404(
        DemographicQuestion.objects.select_related("phase__process"), pk=pk
    )
    phase = question.phase
    if request.method == "POST" and request.POST.get("loeschen"):
        try:
            services.demographic_question_delete(actor=request.user, question=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("consultation:staff_demographic_edit", pk=question.pk)
        messages.success(request, _("Die Frage wurde gelöscht."))
        return redirect("consultation:staff_demographics", pk=phase.pk)
    form = DemographicQuestionForm(
        request.POST or None,
        initial={
            "text": question.text,
            "key": question.key,
            "options": question.options,
            "position": question.position,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.demographic_question_save(
                actor=request.user, phase=phase, question=question, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Frage wurde gespeichert."))
            return redirect("consultation:staff_demographics", pk=phase.pk)
    return render(
        request,
        "consultation/staff/demographic_form.html",
        _context(phase, form=form, question=question),
    )


def _target_form(request, phase: Phase, first, second):
    """The shares form for the chosen question(s); saved if posted and valid: then a redirect."""
    categories = services.target_categories(first, second)
    saved = selectors.population_target(phase=phase, question=first, second=second)
    posted = request.method == "POST"
    form = TargetForm(
        request.POST if posted else None,
        categories=categories,
        initial=TargetForm.initial_for(saved, categories),
    )
    if not (posted and form.is_valid()):
        return form
    try:
        services.population_target_save(
            actor=request.user,
            phase=phase,
            question=first,
            second_question=second,
            shares=form.shares(),
            source=form.cleaned_data["source"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form
    messages.success(request, _("Die Zielanteile wurden gespeichert."))
    return redirect("consultation:staff_targets", pk=phase.pk)


@editor
def staff_targets(request, pk: int):
    """Population shares: choose a question (or two, for a combined target), then enter."""
    phase = _phase(pk)
    questions = selectors.demographic_questions(phase.pk)
    source = request.POST if request.method == "POST" else request.GET
    first, second = selectors.target_questions(
        questions, first=source.get("frage", ""), second=source.get("kombiniert", "")
    )
    form = None
    if first is not None:
        form = _target_form(request, phase, first, second)
        if isinstance(form, HttpResponse):
            return form
    elif request.method == "POST":
        messages.error(request, _("Bitte wählen Sie eine Frage."))
    return render(
        request,
        "consultation/staff/targets.html",
        _context(
            phase,
            questions=questions,
            form=form,
            first=first,
            second=second,
            targets=selectors.population_targets(phase),
        ),
    )


@editor
@require_POST
def staff_target_delete(request, pk: int):
    target = get_object_or_404(PopulationTarget, pk=pk)
    phase_id = target.phase_id
    if request.POST.get("loeschen"):
        services.population_target_delete(actor=request.user, target=target)
        messages.success(request, _("Die Zielanteile wurden gelöscht."))
    return redirect("consultation:staff_targets", pk=phase_id)


# --- Codes -------------------------------------------------------------------------------------
@editor
def staff_codes(request, pk: int):
    phase = _phase(pk)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.codes_generate(
                actor=request.user, phase=phase, count=form.cleaned_data["count"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(n)d Codes wurden erzeugt. Laden Sie die Datei "
                    "herunter und löschen Sie sie nach dem Druck."
                )
                % {"n": batch.count},
            )
            return redirect("consultation:staff_codes", pk=phase.pk)
    return render(
        request,
        "consultation/staff/codes.html",
        _context(
            phase,
            form=form,
            batches=selectors.code_batches(phase),
            counts=selectors.code_counts(phase),
            letters_in_request=LETTERS_IN_REQUEST,
        ),
    )


@editor
def staff_code_download(request, pk: int, fmt: str):
    batch = get_object_or_404(CodeBatch, pk=pk)
    if fmt not in ("csv", "pdf"):
        raise Http404
    path = services.batch_file(batch, fmt)
    if not path.is_file():
        raise Http404
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/pdf"
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        content_type=content_type,
        filename=f"teilnahmecodes-{batch.phase_id}-{batch.pk}.{fmt}",
    )
    response["Cache-Control"] = "no-store"
    return response


@editor
@require_POST
def staff_code_letters(request, pk: int):
    """Render the letters: in the request for a few, as a background task for many."""
    batch = get_object_or_404(CodeBatch, pk=pk)
    if not services.batch_file(batch, "csv").is_file():
        messages.error(request, _("Die Codes dieser Serie wurden bereits gelöscht."))
        return redirect("consultation:staff_codes", pk=batch.phase_id)
    if batch.count <= LETTERS_IN_REQUEST:
        services.codes_letters_build(batch=batch)
        messages.success(request, _("Die Briefe sind fertig."))
        return redirect("consultation:staff_codes", pk=batch.phase_id)
    from leitbild.core.progress import progress_start

    from .tasks import letters_task

    progress = progress_start(
        label=_("Briefe mit Teilnahmecodes erstellen"),
        started_by=request.user,
        task=letters_task,
        args=(batch.pk,),
    )
    return redirect("core:progress_detail", pk=progress.pk)


@editor
@require_POST
def staff_code_files_delete(request, pk: int):
    batch = get_object_or_404(CodeBatch, pk=pk)
    if request.POST.get("loeschen"):
        services.codes_files_delete(actor=request.user, batch=batch)
        messages.success(request, _("Die Dateien mit den Codes wurden gelöscht."))
    return redirect("consultation:staff_codes", pk=batch.phase_id)


# --- Results and data --------------------------------------------------------------------------
@editor
def staff_results(request, pk: int):
    phase = _phase(pk)
    consultation = selectors.configuration(phase)
    if consultation is None:
        messages.error(request, _("Diese Phase ist noch nicht eingerichtet."))
        return redirect("consultation:staff_phase", pk=phase.pk)
    if phase.kind == Phase.Kind.WEIGHTING:
        return weighting_results_response(request, consultation, staff=True)
    return survey_results_response(request, consultation, staff=True)


@editor
def staff_export(request, pk: int, what: str, fmt: str):
    phase = _phase(pk)
    consultation = selectors.configuration(phase)
    if consultation is None:
        raise Http404
    if phase.kind == Phase.Kind.WEIGHTING:
        return weighting_export_response(consultation, what=what, fmt=fmt)
    return survey_export_response(consultation, what=what, fmt=fmt)


@editor
def staff_purge(request, pk: int):
    phase = _phase(pk)
    form = PurgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        counts = services.personal_data_purge(actor=request.user, phase=phase)
        messages.success(
            request,
            _(
                "Gelöscht: %(p)d Teilnahmen, %(c)d Codes, %(e)d "
                "E-Mail-Prüfwerte, %(d)d unvollständige Antwortbögen."
            )
            % {
                "p": counts["participations"],
                "c": counts["codes"],
                "e": counts["email_identities"],
                "d": counts["drafts"],
            },
        )
        return redirect("consultation:staff_phase", pk=phase.pk)
    return render(request, "consultation/staff/purge.html", _context(phase, form=form))


# --- Questionnaire builder ---------------------------------------------------------------------
def _survey(phase: Phase):
    consultation = selectors.configuration(phase)
    if phase.kind != Phase.Kind.SURVEY or consultation is None:
        raise Http404
    return consultation


@editor
def staff_questionnaire(request, pk: int):
    phase = _phase(pk)
    survey = _survey(phase)
    sections = selectors.survey_structure(survey)
    form = SectionForm(request.POST or None, initial={"position": len(sections)})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_section_save(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Abschnitt wurde angelegt."))
            return redirect("consultation:staff_questionnaire", pk=phase.pk)
    return render(
        request,
        "consultation/staff/questionnaire.html",
        _context(phase, survey=survey, sections=sections, form=form, locked=survey.is_locked),
    )


@editor
def staff_section_edit(request, pk: int):
    section = get_object_or_404(
        SurveySection.objects.select_related("survey__phase__process"), pk=pk
    )
    phase = section.survey.phase
    if request.method == "POST" and request.POST.get("loeschen"):
        try:
            services.survey_section_delete(actor=request.user, section=section)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Der Abschnitt wurde gelöscht."))
        return redirect("consultation:staff_questionnaire", pk=phase.pk)
    form = SectionForm(
        request.POST or None,
        initial={
            "title": section.title,
            "description": section.description,
            "position": section.position,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_section_save(
                actor=request.user, survey=section.survey, section=section, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Abschnitt wurde gespeichert."))
            return redirect("consultation:staff_questionnaire", pk=phase.pk)
    return render(
        request, "consultation/staff/section_form.html", _context(phase, form=form, section=section)
    )


def _question_form_page(request, *, section: SurveySection, question: SurveyQuestion | None):
    phase = section.survey.phase
    initial = QuestionForm.initial_for(question, section)
    form = QuestionForm(
        request.POST or None, survey=section.survey, exclude=question, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_question_save(
                actor=request.user, section=section, question=question, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Frage wurde gespeichert."))
            return redirect("consultation:staff_questionnaire", pk=phase.pk)
    return render(
        request,
        "consultation/staff/question_form.html",
        _context(phase, form=form, section=section, question=question),
    )


@editor
def staff_question_create(request, pk: int):
    section = get_object_or_404(
        SurveySection.objects.select_related("survey__phase__process"), pk=pk
    )
    return _question_form_page(request, section=section, question=None)


@editor
def staff_question_edit(request, pk: int):
    question = get_object_or_404(
        SurveyQuestion.objects.select_related(
            "section__survey__phase__process", "condition_question"
        ),
        pk=pk,
    )
    if request.method == "POST" and request.POST.get("loeschen"):
        phase = question.section.survey.phase
        try:
            services.survey_question_delete(actor=request.user, question=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Die Frage wurde gelöscht."))
        return redirect("consultation:staff_questionnaire", pk=phase.pk)
    return _question_form_page(request, section=question.section, question=question)


# --- Archived results and deleting a phase -------------------------------------------------------
@editor
def staff_phase_delete(request, pk: int):
    """Delete a weighting or survey phase: once its results are archived, if it has any."""
    phase = _phase(pk)
    form = PhaseDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = archive.consultation_phase_delete(actor=request.user, phase=phase)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Die Phase wurde gelöscht: %(b)d Stimmen oder Antworten, %(p)d Teilnahmen, "
                    "%(c)d Codes, %(f)d Dateien mit Codes."
                )
                % {
                    "b": counts["ballots"] + counts["responses"],
                    "p": counts["participations"],
                    "c": counts["codes"],
                    "f": counts["files"],
                },
            )
            return redirect("consultation:staff_index")
    return render(
        request,
        "consultation/staff/phase_delete.html",
        _context(
            phase,
            form=form,
            ballots=selectors.phase_ballot_count(phase),
            archive=selectors.results_archive_latest(phase),
            ended=phase.ends_at <= timezone.now(),
        ),
    )


@editor
@require_POST
def staff_results_archive(request, pk: int):
    phase = _phase(pk)
    try:
        saved = archive.results_archive(actor=request.user, phase=phase)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Die Ergebnisse sind archiviert (%(n)d Stimmen oder Antworten).")
            % {"n": saved.ballots},
        )
    return redirect("consultation:staff_phase_delete", pk=phase.pk)


@editor
def staff_archives(request):
    return render(
        request, "consultation/staff/archives.html", {"archives": selectors.results_archives()}
    )


def _archive(pk: int):
    found = selectors.results_archive_get(pk=pk)
    if found is None:
        raise Http404
    return found


@editor
def staff_archive(request, pk: int):
    return render(request, "consultation/staff/archive.html", {"archive": _archive(pk)})


@editor
def staff_archive_export(request, pk: int, what: str, fmt: str):
    saved = _archive(pk)
    tables = {"ergebnisse": saved.results, "einzeln": saved.records}
    if what not in tables:
        raise Http404
    return export_response(
        tables[what]["headers"],
        tables[what]["rows"],
        fmt=fmt,
        name=f"archiv-{saved.phase_id}-{what}",
    )
