"""Public pages of weighting and surveys under /mitmachen/. Views translate HTTP only: rules
are in ``services``, reads in ``selectors``. Find a page by its URL name in ``urls.py``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from leitbild.core import cookies, security
from leitbild.core.exports import export_response
from leitbild.core.permissions import public_view

from . import identity, oidc, selectors, services
from .exports import (
    ballot_table,
    response_table,
    survey_result_table,
    weighting_result_table,
)
from .forms import BallotForm, CodeForm, EmailForm
from .models import Ballot, Mode, PendingBallot, QuestionKind
from .presentation import survey_view, weighting_view
from .questionnaire import check_answers, visible_questions

ONE_DAY = 24 * 3600
ONE_YEAR = 365 * ONE_DAY

# (attempts, seconds) per client: generous for households sharing an address, tight for
# scripts guessing codes. Only refused attempts count for codes, so a school class typing
# valid codes behind one address is never blocked.
RATE_LIMITS = {
    "open_ballot": (30, 3600),
    "refused": (20, 3600),
    "email": (10, 3600),
}


def _limited(request, action: str, *, count: bool = True) -> bool:
    limits = getattr(settings, "LEITBILD_CONSULTATION_RATE_LIMITS", {})
    allowed, window = limits.get(action, RATE_LIMITS[action])
    return security.rate_limited(
        request, f"consultation:{action}", allowed=allowed, window=window, count=count
    )


def _signed(request, name: str) -> str:
    return cookies.signed_read(request, name, salt=identity.COOKIE_SALT)


def _set_signed(response, name: str, value: str, *, max_age: int) -> None:
    cookies.signed_set(response, name, value, salt=identity.COOKIE_SALT, max_age=max_age)


def _phase_cookie(template: str, phase) -> str:
    return identity.cookie_name(template, phase.pk)


def _proof(request, phase) -> str:
    """What this browser proved for the phase ("hash:…", "code:…") or "". The cookie holds
    only the random token of an ``AccessGrant``; read once per request."""
    cache = request.__dict__.setdefault("_lb_proofs", {})
    if phase.pk not in cache:
        token = _signed(request, _phase_cookie(identity.IDENTITY_COOKIE, phase))
        cache[phase.pk] = selectors.access_proof(phase=phase, token=token) if token else ""
    return cache[phase.pk]


def _grant(response, phase, proof: str, *, max_age: int) -> None:
    token = services.access_grant(phase=phase, proof=proof, max_age=max_age)
    _set_signed(response, _phase_cookie(identity.IDENTITY_COOKIE, phase), token, max_age=max_age)


def _grant_used(request, response, phase) -> None:
    """Delete the grant and its cookie once the participation is recorded."""
    services.access_revoke(token=_signed(request, _phase_cookie(identity.IDENTITY_COOKIE, phase)))
    response.delete_cookie(_phase_cookie(identity.IDENTITY_COOKIE, phase))


def _verified_identity(request, phase) -> str:
    """The e-mail or OIDC identity hash this browser proved for the phase, or ""."""
    value = _proof(request, phase)
    return value[5:] if value.startswith("hash:") else ""


def _cookie_age(phase) -> int:
    remaining = int((phase.ends_at - timezone.now()).total_seconds())
    return max(60, min(remaining + ONE_DAY, ONE_YEAR))


def _browser_token(request) -> tuple[str, bool]:
    return cookies.browser_token(request, identity.BROWSER_COOKIE, salt=identity.COOKIE_SALT)


def _weighting_or_404(pk: int):
    weighting = selectors.weighting_get(phase_id=pk)
    if weighting is None:
        raise Http404
    return weighting


def _survey_or_404(pk: int):
    survey = selectors.survey_get(phase_id=pk)
    if survey is None:
        raise Http404
    return survey


def _access_context(request, consultation) -> dict:
    """What the page needs to let the visitor prove who they are in this mode."""
    phase = consultation.phase
    mode = consultation.mode
    verified = _verified_identity(request, phase)
    return {
        "mode": mode,
        "verified": bool(verified) or mode in (Mode.OPEN, Mode.CODES),
        "email_form": EmailForm() if mode == Mode.EMAIL and not verified else None,
        "oidc_available": mode == Mode.OIDC and oidc.oidc_configured(),
    }


# --- Overview --------------------------------------------------------------------------------
@public_view
def index(request):
    now = timezone.now()
    entries = []
    for phase in selectors.public_phases():
        consultation = selectors.configuration(phase)
        entries.append(
            {
                "phase": phase,
                "consultation": consultation,
                "open": phase.is_open(now),
                "results": selectors.results_public(consultation, now=now),
            }
        )
    return render(request, "consultation/index.html", {"entries": entries})


# --- Ballots ---------------------------------------------------------------------------------
@public_view
@never_cache
def ballot(request, pk: int):
    weighting = _weighting_or_404(pk)
    phase = weighting.phase
    now = timezone.now()
    fields = selectors.ballot_fields(weighting)
    questions = selectors.demographic_questions(phase.pk)
    context = {
        "weighting": weighting,
        "phase": phase,
        "process": phase.process,
        "is_open": phase.is_open(now),
        "upcoming": phase.starts_at > now,
        "results_public": selectors.results_public(weighting, now=now),
    }
    if not context["is_open"] or len(fields) < 2:
        return render(request, "consultation/ballot_closed.html", context)
    token = _signed(request, _phase_cookie(identity.BALLOT_COOKIE, phase))
    existing = (
        selectors.ballot_for_token(weighting=weighting, token=token)
        if weighting.allow_changes
        else None
    )
    context.update(_access_context(request, weighting))
    need_code = weighting.mode == Mode.CODES and existing is None
    refused = False
    browser_token, new_browser = _browser_token(request)
    if request.method == "POST":
        form = BallotForm(
            request.POST,
            weighting=weighting,
            fields=fields,
            questions=questions,
            need_code=need_code,
        )
        if need_code and _limited(request, "refused", count=False):
            refused = True
        elif weighting.mode == Mode.OPEN and existing is None and _limited(request, "open_ballot"):
            refused = True
        elif form.is_valid():
            try:
                if existing is not None:
                    services.ballot_change(
                        weighting=weighting,
                        token=token,
                        choices=form.ballot(),
                        demographics=form.demographics(),
                    )
                    new_token = token
                else:
                    identity_hash = ""
                    if weighting.mode == Mode.OPEN:
                        identity_hash = selectors.identity_hash_for(
                            phase=phase,
                            candidates=identity.browser_identity_candidates(browser_token),
                        )
                    elif weighting.mode in (Mode.EMAIL, Mode.OIDC):
                        identity_hash = _verified_identity(request, phase)
                    new_token = services.ballot_cast(
                        weighting=weighting,
                        choices=form.ballot(),
                        demographics=form.demographics(),
                        code=form.cleaned_data.get("code", ""),
                        identity_hash=identity_hash,
                        preloaded=(fields, questions),
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            except services.ParticipationRefused:
                refused = True
                if need_code:
                    _limited(request, "refused")
            else:
                response = redirect("consultation:ballot_done", pk=phase.pk)
                if existing is None and weighting.mode in (Mode.EMAIL, Mode.OIDC):
                    _grant_used(request, response, phase)
                if new_token:
                    _set_signed(
                        response,
                        _phase_cookie(identity.BALLOT_COOKIE, phase),
                        new_token,
                        max_age=_cookie_age(phase),
                    )
                if weighting.mode == Mode.OPEN and new_browser:
                    _set_signed(response, identity.BROWSER_COOKIE, browser_token, max_age=ONE_YEAR)
                return response
    else:
        initial = {}
        if existing is not None:
            initial = _ballot_initial(existing, weighting)
        form = BallotForm(
            initial=initial,
            weighting=weighting,
            fields=fields,
            questions=questions,
            need_code=need_code,
        )
    context.update(
        {
            "form": form,
            "refused": refused,
            "existing": existing,
            "refusal": services.REFUSAL,
            "fields": fields,
        }
    )
    status = 200
    if request.method == "POST":
        status = 403 if refused else 400
    return render(request, "consultation/ballot.html", context, status=status)


def _ballot_initial(ballot: Ballot | PendingBallot, weighting) -> dict:
    from .models import Method

    initial = {f"angabe_{key}": value for key, value in ballot.demographics.items()}
    if weighting.method == Method.PICK:
        initial["auswahl"] = list(ballot.choices)
    else:
        prefix = {Method.POINTS: "punkte_", Method.RANK: "platz_", Method.RATE: "bewertung_"}[
            weighting.method
        ]
        initial.update({prefix + key: value for key, value in ballot.choices.items()})
    return initial


@public_view
@require_GET
def ballot_done(request, pk: int):
    weighting = _weighting_or_404(pk)
    return render(
        request,
        "consultation/ballot_done.html",
        {
            "weighting": weighting,
            "phase": weighting.phase,
            "process": weighting.phase.process,
            "results_public": selectors.results_public(weighting),
        },
    )


# --- E-mail confirmation -----------------------------------------------------------------------
@public_view
@require_POST
def email_request(request, pk: int):
    phase = selectors.phase_get(pk=pk)
    consultation = selectors.configuration(phase) if phase else None
    if consultation is None or consultation.mode != Mode.EMAIL:
        raise Http404
    form = EmailForm(request.POST)
    back = _participate_url(phase)
    if not form.is_valid():
        return render(
            request,
            "consultation/message.html",
            {
                "title": _("E-Mail-Adresse prüfen"),
                "phase": phase,
                "back": back,
                "text": _("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
            },
            status=400,
        )
    if not _limited(request, "email") and phase.is_open(timezone.now()):
        services.email_identity_request(phase=phase, email=form.cleaned_data["email"])
    return render(
        request,
        "consultation/message.html",
        {
            "title": _("Bitte sehen Sie in Ihr Postfach"),
            "phase": phase,
            "back": back,
            "text": _(
                "Wenn die Adresse teilnehmen kann, haben wir Ihnen einen Link geschickt. "
                "Öffnen Sie ihn in diesem Browser, um fortzufahren."
            ),
        },
    )


def _participate_url(phase) -> str:
    name = "consultation:ballot" if phase.kind == "weighting" else "consultation:survey"
    return reverse(name, args=[phase.pk])


@public_view
@require_GET
def email_confirm(request, token: str):
    found = services.email_identity_confirm(token=token)
    if found is None:
        return render(
            request,
            "consultation/message.html",
            {
                "title": _("Link ungültig"),
                "text": _(
                    "Dieser Link ist ungültig oder abgelaufen. Fordern Sie bitte einen neuen an."
                ),
            },
            status=404,
        )
    response = redirect(_participate_url(found.phase))
    _grant(response, found.phase, "hash:" + found.email_hash, max_age=ONE_DAY)
    return response


# --- OpenID Connect ------------------------------------------------------------------------------
def _oidc_redirect_uri() -> str:
    return settings.SITE_URL + reverse("consultation:oidc_callback")


@public_view
@require_POST
def oidc_start(request, pk: int):
    phase = selectors.phase_get(pk=pk)
    consultation = selectors.configuration(phase) if phase else None
    if consultation is None or consultation.mode != Mode.OIDC or not oidc.oidc_configured():
        raise Http404
    try:
        url, state = oidc.login_start(phase_id=phase.pk, redirect_uri=_oidc_redirect_uri())
    except oidc.OidcError:
        return _oidc_failed(request)
    response = redirect(url)
    import json

    _set_signed(response, identity.OIDC_COOKIE, json.dumps(state), max_age=600)
    return response


def _oidc_failed(request, phase=None):
    return render(
        request,
        "consultation/message.html",
        {
            "title": _("Anmeldung fehlgeschlagen"),
            "phase": phase,
            "back": _participate_url(phase) if phase else "",
            "text": _("Die Anmeldung hat nicht geklappt. Bitte versuchen Sie es noch einmal."),
        },
        status=400,
    )


@public_view
@require_GET
def oidc_callback(request):
    import json
    import logging

    raw = _signed(request, identity.OIDC_COOKIE)
    try:
        stored = json.loads(raw) if raw else {}
    except ValueError:
        stored = {}
    phase = (
        selectors.phase_get(pk=stored.get("phase", 0))
        if isinstance(stored.get("phase"), int)
        else None
    )
    if phase is None or not oidc.oidc_configured():
        return _oidc_failed(request)
    try:
        identity_hash = oidc.login_finish(
            stored=stored, params=request.GET, redirect_uri=_oidc_redirect_uri()
        )
    except oidc.OidcError as error:
        logging.getLogger(__name__).warning("oidc login failed: %s", error)
        return _oidc_failed(request, phase)
    response = redirect(_participate_url(phase))
    response.delete_cookie(identity.OIDC_COOKIE)
    _grant(response, phase, "hash:" + identity_hash, max_age=ONE_DAY)
    return response


# --- Surveys -----------------------------------------------------------------------------------
def _draft(request, survey):
    token = _signed(request, _phase_cookie(identity.DRAFT_COOKIE, survey.phase))
    return token, services.survey_draft_get(survey=survey, token=token)


def _pages(survey, sections, demographics) -> int:
    return len(sections) + (1 if demographics else 0)


@public_view
@never_cache
def survey(request, pk: int):
    survey = _survey_or_404(pk)
    phase = survey.phase
    now = timezone.now()
    sections = selectors.survey_structure(survey)
    context = {
        "survey": survey,
        "phase": phase,
        "process": phase.process,
        "sections": sections,
        "is_open": phase.is_open(now),
        "upcoming": phase.starts_at > now,
        "results_public": selectors.results_public(survey, now=now),
        "refusal": services.REFUSAL,
        "refused": False,
    }
    if not context["is_open"] or not sections:
        return render(request, "consultation/survey_closed.html", context)
    _token, draft = _draft(request, survey)
    context.update(_access_context(request, survey))
    context["draft"] = draft
    code_form = CodeForm(request.POST or None) if survey.mode == Mode.CODES else None
    context["code_form"] = code_form
    if request.method == "POST":
        if draft is not None:
            return redirect("consultation:survey_section", pk=phase.pk, index=draft.section_index)
        proof = ""
        if survey.mode == Mode.CODES:
            if (
                code_form.is_valid()
                and not _limited(request, "refused", count=False)
                and (services.code_check(phase=phase, code=code_form.cleaned_data["code"]))
            ):
                proof = "code:" + code_form.cleaned_data["code"]
            else:
                _limited(request, "refused")
                context["refused"] = True
                return render(request, "consultation/survey_start.html", context, status=403)
        elif survey.mode in (Mode.EMAIL, Mode.OIDC):
            if not _verified_identity(request, phase):
                return redirect("consultation:survey", pk=phase.pk)
        draft, token = services.survey_draft_start(survey=survey)
        response = redirect("consultation:survey_section", pk=phase.pk, index=0)
        _set_signed(
            response, _phase_cookie(identity.DRAFT_COOKIE, phase), token, max_age=_cookie_age(phase)
        )
        if proof:
            _grant(response, phase, proof, max_age=_cookie_age(phase))
        return response
    return render(request, "consultation/survey_start.html", context)


def _raw_answers(post, questions) -> dict[str, object]:
    raw: dict[str, object] = {}
    for question in questions:
        name = f"frage_{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            raw[str(question.pk)] = post.getlist(name)
        else:
            raw[str(question.pk)] = post.get(name, "")
    return raw


@public_view
@never_cache
def survey_section(request, pk: int, index: int):
    survey = _survey_or_404(pk)
    phase = survey.phase
    if not phase.is_open(timezone.now()):
        return redirect("consultation:survey", pk=phase.pk)
    token, draft = _draft(request, survey)
    if draft is None:
        return redirect("consultation:survey", pk=phase.pk)
    sections = selectors.survey_structure(survey)
    demographics = selectors.demographic_questions(phase.pk)
    pages = _pages(survey, sections, demographics)
    if not 0 <= index < pages:
        raise Http404
    all_questions = [q for section in sections for q in section.questions.all()]
    on_demographics = index == len(sections)
    section = None if on_demographics else sections[index]
    section_questions = [] if section is None else list(section.questions.all())
    errors: dict[int, str] = {}
    raw: dict[str, object] = {}
    messages: list[str] = []
    refused = False
    answers = dict(draft.answers)
    demographic_answers = dict(draft.demographics)
    if request.method == "POST":
        action = request.POST.get("aktion", "weiter")
        raw = _raw_answers(request.POST, section_questions)
        demo_raw = (
            {q.key: request.POST.get(f"angabe_{q.key}", "") for q in demographics}
            if on_demographics
            else None
        )
        errors = services.survey_draft_save(
            survey=survey,
            response=draft,
            questions=section_questions,
            raw=raw,
            section_index=index,
            demographics=demo_raw,
        )
        if action == "zwischenspeichern":
            return HttpResponse(status=204)
        answers, demographic_answers = dict(draft.answers), dict(draft.demographics)
        if not errors and action == "zurueck" and index > 0:
            return redirect("consultation:survey_section", pk=phase.pk, index=index - 1)
        if not errors and action != "zurueck":
            shown_here = [
                q for q in visible_questions(all_questions, answers) if q in section_questions
            ]
            errors = check_answers(shown_here, raw_for(answers, shown_here), require=True).errors
        if not errors and action == "weiter" and index + 1 < pages:
            return redirect("consultation:survey_section", pk=phase.pk, index=index + 1)
        if not errors and action == "absenden":
            proof = _proof(request, phase)
            code = proof[5:] if proof.startswith("code:") else ""
            identity_hash = proof[5:] if proof.startswith("hash:") else ""
            browser_token, new_browser = _browser_token(request)
            if survey.mode == Mode.OPEN:
                identity_hash = selectors.identity_hash_for(
                    phase=phase, candidates=identity.browser_identity_candidates(browser_token)
                )
            try:
                services.survey_submit(
                    survey=survey, token=token, code=code, identity_hash=identity_hash
                )
            except ValidationError as exc:
                messages = exc.messages
            except services.ParticipationRefused:
                refused = True
            else:
                response = redirect("consultation:survey_done", pk=phase.pk)
                response.delete_cookie(_phase_cookie(identity.DRAFT_COOKIE, phase))
                _grant_used(request, response, phase)
                if survey.mode == Mode.OPEN and new_browser:
                    _set_signed(response, identity.BROWSER_COOKIE, browser_token, max_age=ONE_YEAR)
                return response
    shown = {q.pk for q in visible_questions(all_questions, answers)}
    items = []
    for question in section_questions:
        # Questions depending on an earlier section are decided here; those depending on a
        # question of this section are shown (JS hides them) and dropped on saving if unmet.
        condition = question.condition_question
        if (
            condition is not None
            and condition.section_id != question.section_id
            and (question.pk not in shown)
        ):
            continue
        answer = answers.get(str(question.pk))
        if question.pk in errors and request.method == "POST":
            answer = raw.get(str(question.pk))  # keep what was typed, even if invalid
        condition_label = ""
        if condition is not None:
            condition_label = dict(zip(condition.values, condition.labels, strict=True)).get(
                question.condition_value, question.condition_value
            )
        items.append(
            {
                "question": question,
                "answer": answer,
                "condition_label": condition_label,
                "error": errors.get(question.pk),
                "choices": list(zip(question.values, question.labels, strict=True)),
            }
        )
    status = 200 if request.method == "GET" or not (errors or messages or refused) else 400
    if refused:
        status = 403
    return render(
        request,
        "consultation/survey_section.html",
        {
            "survey": survey,
            "phase": phase,
            "process": phase.process,
            "section": section,
            "index": index,
            "pages": pages,
            "step": index + 1,
            "items": items,
            "demographics": [
                {
                    "question": q,
                    "answer": demographic_answers.get(q.key, ""),
                    "choices": list(zip(q.values, q.labels, strict=True)),
                }
                for q in demographics
            ]
            if on_demographics
            else [],
            "is_last": index == pages - 1,
            "errors": errors,
            "messages_list": messages,
            "refused": refused,
            "refusal": services.REFUSAL,
            "sections": sections,
            "on_demographics": on_demographics,
        },
        status=status,
    )


def raw_for(answers: dict, questions) -> dict:
    return {str(q.pk): answers.get(str(q.pk)) for q in questions}


@public_view
@require_GET
def survey_done(request, pk: int):
    survey = _survey_or_404(pk)
    return render(
        request,
        "consultation/survey_done.html",
        {
            "survey": survey,
            "phase": survey.phase,
            "process": survey.phase.process,
            "results_public": selectors.results_public(survey),
        },
    )


# --- Results -----------------------------------------------------------------------------------
def _results_params(request) -> tuple[bool, str]:
    weighted = request.GET.get("gewichtet") in ("1", "true", "ja")
    by = request.GET.get("nach", "")
    return weighted, by if isinstance(by, str) and len(by) <= 40 else ""


def weighting_results_response(request, weighting, *, staff: bool):
    weighted, by = _results_params(request)
    results = selectors.weighting_results(weighting=weighting, weighted=weighted, by=by)
    context = weighting_view(results) | {
        "weighting": weighting,
        "phase": weighting.phase,
        "process": weighting.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(weighting),
    }
    return render(request, "consultation/weighting_results.html", context)


def survey_results_response(request, survey, *, staff: bool):
    weighted, by = _results_params(request)
    results = selectors.survey_results(survey=survey, weighted=weighted, by=by, with_texts=staff)
    context = survey_view(results) | {
        "survey": survey,
        "phase": survey.phase,
        "process": survey.phase.process,
        "staff": staff,
        "by": by,
        "weighted_requested": weighted,
        "public": selectors.results_public(survey),
    }
    return render(request, "consultation/survey_results.html", context)


@public_view
@require_GET
def weighting_results(request, pk: int):
    weighting = _weighting_or_404(pk)
    if not selectors.results_public(weighting):
        return render(
            request,
            "consultation/results_hidden.html",
            {"phase": weighting.phase, "process": weighting.phase.process},
        )
    return weighting_results_response(request, weighting, staff=False)


@public_view
@require_GET
def survey_results(request, pk: int):
    survey = _survey_or_404(pk)
    if not selectors.results_public(survey):
        return render(
            request,
            "consultation/results_hidden.html",
            {"phase": survey.phase, "process": survey.phase.process},
        )
    return survey_results_response(request, survey, staff=False)


def weighting_export_response(weighting, *, what: str, fmt: str) -> HttpResponse:
    weighted = what == "ergebnisse"
    results = selectors.weighting_results(weighting=weighting, all_breakdowns=weighted)
    if what == "ergebnisse":
        headers, rows = weighting_result_table(results)
    elif what == "stimmzettel":
        ballots = [] if results.suppressed else selectors.ballot_rows(weighting)
        headers, rows = ballot_table(results, ballots)
    else:
        raise Http404
    return export_response(headers, rows, fmt=fmt, name=f"gewichtung-{weighting.phase_id}-{what}")


def survey_export_response(survey, *, what: str, fmt: str) -> HttpResponse:
    if what == "ergebnisse":
        parts = [selectors.survey_results(survey=survey)]
        parts += [
            selectors.survey_results(survey=survey, by=q.key)
            for q in selectors.demographic_questions(survey.phase_id)
        ]
        headers, rows = survey_result_table(parts[0])
        for part in parts[1:]:
            _h, more = survey_result_table(part)
            rows += [[f"{part.by.text}: {row[0]}", *row[1:]] for row in more if row[0] != _("alle")]
    elif what == "antworten":
        results = selectors.survey_results(survey=survey)
        responses = [] if results.suppressed else selectors.response_rows(survey)
        headers, rows = response_table(results, responses)
    else:
        raise Http404
    return export_response(headers, rows, fmt=fmt, name=f"umfrage-{survey.phase_id}-{what}")


@public_view
@require_GET
def weighting_export(request, pk: int, what: str, fmt: str):
    weighting = _weighting_or_404(pk)
    if not selectors.results_public(weighting):
        raise Http404
    return weighting_export_response(weighting, what=what, fmt=fmt)


@public_view
@require_GET
def survey_export(request, pk: int, what: str, fmt: str):
    survey = _survey_or_404(pk)
    if not selectors.results_public(survey):
        raise Http404
    return survey_export_response(survey, what=what, fmt=fmt)
