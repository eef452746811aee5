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
from leitbild.core.links import invalid_link
from leitbild.core.permissions import public_view

from . import identity, oidc, selectors, services
from .forms import BallotForm, CodeForm, EmailForm
from .models import Mode, QuestionKind
from .presentation import survey_page_demographics, survey_page_items
from .responses import (
    survey_export_response,
    survey_results_response,
    weighting_export_response,
    weighting_results_response,
)

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
    return services.proven_hash(_proof(request, phase))


def _cookie_age(phase) -> int:
    remaining = int((phase.ends_at - timezone.now()).total_seconds())
    return max(60, min(remaining + ONE_DAY, ONE_YEAR))


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
def _page_context(consultation, **extra) -> dict:
    """What the participation pages of a weighting or survey all show."""
    phase = consultation.phase
    now = timezone.now()
    return {
        "phase": phase,
        "process": phase.process,
        "is_open": phase.is_open(now),
        "upcoming": phase.starts_at > now,
        "results_public": selectors.results_public(consultation, now=now),
        **extra,
    }


def _access(request, phase, *, code: str = "") -> services.Access:
    """What this request shows about who takes part; ``services`` decide what counts."""
    return services.Access(
        proof=_proof(request, phase),
        browser_token=_signed(request, identity.BROWSER_COOKIE),
        code=code,
    )


def _identity_used(request, response, phase, who: services.Identity | None) -> None:
    """Once a participation counts: delete the grant that proved it, keep a new browser token."""
    if who is None:
        return
    if who.grant_spent:
        _grant_used(request, response, phase)
    if who.new_browser_token:
        _set_signed(response, identity.BROWSER_COOKIE, who.new_browser_token, max_age=ONE_YEAR)


def _ballot_throttled(request, weighting, *, need_code: bool, changing: bool) -> bool:
    if need_code and _limited(request, "refused", count=False):
        return True
    return weighting.mode == Mode.OPEN and not changing and _limited(request, "open_ballot")


def _ballot_post(request, form, *, token: str, existing):
    """Cast or change the ballot: a redirect once it counts, else whether it was refused."""
    weighting, phase = form.weighting, form.weighting.phase
    need_code = "code" in form.fields
    if _ballot_throttled(request, weighting, need_code=need_code, changing=existing is not None):
        return True
    if not form.is_valid():
        return False
    try:
        receipt = services.ballot_submit(
            weighting=weighting,
            choices=form.ballot(),
            demographics=form.demographics(),
            access=_access(request, phase, code=form.cleaned_data.get("code", "")),
            change_token=token,
            changing=existing is not None,
            preloaded=(form.action_fields, form.questions),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    except services.ParticipationRefused:
        if need_code:
            _limited(request, "refused")
        return True
    response = redirect("consultation:ballot_done", pk=phase.pk)
    _identity_used(request, response, phase, receipt.identity)
    if receipt.change_token:
        cookie = _phase_cookie(identity.BALLOT_COOKIE, phase)
        _set_signed(response, cookie, receipt.change_token, max_age=_cookie_age(phase))
    return response


def _ballot_to_change(request, weighting):
    """The change token in this browser's cookie and the ballot it proves (None: none)."""
    token = _signed(request, _phase_cookie(identity.BALLOT_COOKIE, weighting.phase))
    if not weighting.allow_changes:
        return token, None
    return token, selectors.ballot_for_token(weighting=weighting, token=token)


@public_view
@never_cache
def ballot(request, pk: int):
    weighting = _weighting_or_404(pk)
    fields = selectors.ballot_fields(weighting)
    questions = selectors.demographic_questions(weighting.phase_id)
    context = _page_context(weighting, weighting=weighting)
    if not context["is_open"] or len(fields) < 2:
        return render(request, "consultation/ballot_closed.html", context)
    token, existing = _ballot_to_change(request, weighting)
    context.update(_access_context(request, weighting))
    posted = request.method == "POST"
    form = BallotForm(
        request.POST if posted else None,
        initial=BallotForm.initial_for(existing, weighting),
        weighting=weighting,
        fields=fields,
        questions=questions,
        need_code=weighting.mode == Mode.CODES and existing is None,
    )
    refused = _ballot_post(request, form, token=token, existing=existing) if posted else False
    if isinstance(refused, HttpResponse):
        return refused
    context.update(
        form=form, refused=refused, existing=existing, refusal=services.REFUSAL, fields=fields
    )
    status = (403 if refused else 400) if posted else 200
    return render(request, "consultation/ballot.html", context, status=status)


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
        return invalid_link(request)
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
        logging.getLogger(__name__).warning("oidc login failed: %s", error.reason)
        return _oidc_failed(request, phase)
    response = redirect(_participate_url(phase))
    response.delete_cookie(identity.OIDC_COOKIE)
    _grant(response, phase, "hash:" + identity_hash, max_age=ONE_DAY)
    return response


# --- Surveys -----------------------------------------------------------------------------------
def _draft(request, survey):
    token = _signed(request, _phase_cookie(identity.DRAFT_COOKIE, survey.phase))
    return token, services.survey_draft_get(survey=survey, token=token)


def _survey_begin(request, survey, code_form, context):
    """Start a draft for a visitor who may take part (a code is checked, not yet claimed)."""
    phase = survey.phase
    try:
        code = ""
        if code_form is not None:
            if not code_form.is_valid() or _limited(request, "refused", count=False):
                raise services.ParticipationRefused
            code = code_form.cleaned_data["code"]
        start = services.survey_start(survey=survey, access=_access(request, phase, code=code))
    except services.ParticipationRefused:
        _limited(request, "refused")
        context["refused"] = True
        return render(request, "consultation/survey_start.html", context, status=403)
    if start is None:  # not yet confirmed by e-mail or login: the start page asks for it
        return redirect("consultation:survey", pk=phase.pk)
    response = redirect("consultation:survey_section", pk=phase.pk, index=0)
    cookie = _phase_cookie(identity.DRAFT_COOKIE, phase)
    _set_signed(response, cookie, start.draft_token, max_age=_cookie_age(phase))
    if start.proof:
        _grant(response, phase, start.proof, max_age=_cookie_age(phase))
    return response


@public_view
@never_cache
def survey(request, pk: int):
    survey = _survey_or_404(pk)
    phase = survey.phase
    sections = selectors.survey_structure(survey)
    context = _page_context(
        survey, survey=survey, sections=sections, refusal=services.REFUSAL, refused=False
    )
    if not context["is_open"] or not sections:
        return render(request, "consultation/survey_closed.html", context)
    _token, draft = _draft(request, survey)
    context.update(_access_context(request, survey))
    context["draft"] = draft
    code_form = CodeForm(request.POST or None) if survey.mode == Mode.CODES else None
    context["code_form"] = code_form
    if request.method != "POST":
        return render(request, "consultation/survey_start.html", context)
    if draft is not None:
        return redirect("consultation:survey_section", pk=phase.pk, index=draft.section_index)
    return _survey_begin(request, survey, code_form, context)


def _raw_answers(post, questions) -> dict[str, object]:
    raw: dict[str, object] = {}
    for question in questions:
        name = f"frage_{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            raw[str(question.pk)] = post.getlist(name)
        else:
            raw[str(question.pk)] = post.get(name, "")
    return raw


def _raw_demographics(post, page) -> dict[str, object] | None:
    if not page.on_demographics:
        return None
    return {q.key: post.get(f"angabe_{q.key}", "") for q in page.demographics}


def _survey_submit(request, survey, token: str):
    """Submit the questionnaire: a redirect once it counts, else (messages, refused)."""
    phase = survey.phase
    try:
        who = services.survey_finish(survey=survey, token=token, access=_access(request, phase))
    except ValidationError as exc:
        return exc.messages, False
    except services.ParticipationRefused:
        return [], True
    response = redirect("consultation:survey_done", pk=phase.pk)
    response.delete_cookie(_phase_cookie(identity.DRAFT_COOKIE, phase))
    _identity_used(request, response, phase, who)
    return response


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
    page = selectors.survey_page(survey=survey, index=index)
    if page is None:
        raise Http404
    raw: dict[str, object] = {}
    errors: dict[int, str] = {}
    messages: list[str] = []
    refused = False
    if request.method == "POST":
        raw = _raw_answers(request.POST, page.questions)
        step = services.survey_step(
            survey=survey,
            response=draft,
            page=page,
            action=request.POST.get("aktion", "weiter"),
            raw=raw,
            demographics=_raw_demographics(request.POST, page),
        )
        if step.next == step.AUTOSAVED:
            return HttpResponse(status=204)
        if step.next == step.SECTION:
            return redirect("consultation:survey_section", pk=phase.pk, index=step.index)
        errors = step.errors
        if step.next == step.SUBMIT:
            submitted = _survey_submit(request, survey, token)
            if isinstance(submitted, HttpResponse):
                return submitted
            messages, refused = submitted
    return _survey_page(request, survey, page, draft, errors, raw, messages, refused)


def _survey_page(request, survey, page, draft, errors, raw, messages, refused):
    status = 403 if refused else 400 if errors or messages else 200
    return render(
        request,
        "consultation/survey_section.html",
        {
            "survey": survey,
            "phase": survey.phase,
            "process": survey.phase.process,
            "section": page.section,
            "index": page.index,
            "pages": page.pages,
            "step": page.index + 1,
            "items": survey_page_items(page, draft.answers, errors=errors, typed=raw),
            "demographics": survey_page_demographics(page, draft.demographics),
            "is_last": page.is_last,
            "errors": errors,
            "messages_list": messages,
            "refused": refused,
            "refusal": services.REFUSAL,
            "sections": page.sections,
            "on_demographics": page.on_demographics,
        },
        status=status,
    )


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
