"""Pages of the idea call. Views translate HTTP only: rules are in ``rules`` and ``services``,
reads in ``selectors``. Find a page by its URL name in ``urls.py``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from leitbild.core import cookies, security
from leitbild.core.fields import parse_key
from leitbild.core.forms import add_service_errors
from leitbild.core.links import invalid_link
from leitbild.core.pagecache import cache_public_page
from leitbild.core.permissions import public_view

from . import rules, selectors, services, spam
from .exports import ideas_export_response
from .forms import CommentForm, IdeaSubmitForm, ReportForm, SupportEmailForm
from .models import PUBLIC_LIST_STATUSES, Comment, IdeaSource, IdeaStatus, Phase
from .phases import phases_ready

PAGE_SIZE = 20
VISITOR_COOKIE_AGE = 365 * 24 * 3600


def _process_or_404(slug: str):
    process = selectors.process_get(slug=slug)
    if process is None:
        raise Http404
    return process


def _public_idea_or_404(pk: int, process):
    """A public idea of ``process`` that was not merged into another."""
    idea = selectors.idea_get_public(pk=pk, process=process)
    if idea is None or idea.merged_into_id is not None:
        raise Http404
    return idea


def _phase_context(process) -> dict:
    now = timezone.now()
    ideas_phase = rules.open_phase(process, kind=Phase.Kind.IDEAS, now=now)
    idea_phases = [p for p in process.phases.all() if p.kind == Phase.Kind.IDEAS]
    upcoming = next((p for p in idea_phases if p.starts_at > now), None)
    ended = [p for p in idea_phases if p.ends_at <= now]
    return {
        "process": process,
        "idea_call_open": ideas_phase is not None,
        "ideas_phase": ideas_phase,
        "upcoming_phase": upcoming,
        "ended_phase": ended[-1] if ended and ideas_phase is None else None,
        "map_tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "map_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }


def _visitor_token(request) -> tuple[str, bool]:
    """The random visitor token from the signed cookie, or a new one (True = new)."""
    return cookies.browser_token(request, spam.VISITOR_COOKIE, salt=spam.VISITOR_COOKIE_SALT)


def _first_visit_token(request) -> str:
    """The visitor token of a browser that sends no visitor cookie yet, derived from what all
    its requests share: the CSRF cookie (set with the idea page's form), else the client's
    address. So a first visit's double click, or fifty concurrent ones, counts once, and a
    client that drops cookies cannot mint a new visitor per request."""
    basis = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not isinstance(basis, str) or not 16 <= len(basis) <= 64:
        basis = "client:" + security.client_key(request)
    return spam.keyed_hash(basis, purpose="first-visit")[:43]


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _idea_rows(ideas) -> list:
    """The ideas of a list with what ``_idea_item.html`` shows worked out once per page, not in
    the template per row: the link (one ``reverse`` per page), the status and source labels
    (``get_FOO_display`` rebuilds its dict of lazy labels on every call) and the counters'
    plural forms (with the GeoJSON changes measured: ~41 → ~30 ms per uncached list page)."""
    rows = list(ideas)
    statuses = {value: str(label) for value, label in IdeaStatus.choices}
    sources = {value: str(label) for value, label in IdeaSource.choices}
    urls: dict[str, tuple[str, str]] = {}
    for idea in rows:
        slug = idea.process.slug
        if slug not in urls:
            urls[slug] = selectors.idea_url_parts(slug)
        head, tail = urls[slug]
        idea.url = f"{head}{idea.pk}{tail}"
        idea.status_label = statuses.get(idea.status, idea.status)
        idea.source_text = (
            idea.source_label
            if idea.source == IdeaSource.WORKSHOP
            else sources.get(idea.source, idea.source)
        )
        idea.support_label = ngettext(
            "%(n)s Unterstützung", "%(n)s Unterstützungen", idea.support_count
        ) % {"n": idea.support_count}
        idea.comment_label = ngettext("%(n)s Kommentar", "%(n)s Kommentare", idea.comment_count) % {
            "n": idea.comment_count
        }
    return rows


def _idea_pages_version(request, slug: str) -> str | None:
    return selectors.ideas_version(slug=slug)


# --- Public pages ---------------------------------------------------------------------------
@public_view
def process_list(request):
    processes = list(selectors.process_list_public())
    return render(request, "participation/process_list.html", {"processes": processes})


@public_view
def process_detail(request, slug: str):
    process = _process_or_404(slug)
    context = _phase_context(process)
    context["idea_total"] = selectors.ideas_public(process=process).count()
    context["ready_phases"] = phases_ready(process.phases.all())
    context["top_ideas"] = _idea_rows(
        selectors.idea_list(process=process, flt=selectors.IdeaFilter(sort="unterstuetzung"))[:3]
    )
    return render(request, "participation/process_detail.html", context)


@public_view
@cache_public_page(version=_idea_pages_version, timeout=selectors.CACHE_SECONDS)
def idea_list(request, slug: str):
    """The same for every visitor without a session, so whole pages are cached until an idea,
    the process, a phase or a field of action changes (``selectors.ideas_version``), and at
    most until the next phase starts or ends, which changes the notice and the buttons."""
    process = _process_or_404(slug)
    flt = selectors.IdeaFilter.from_params(request.GET)
    ideas = selectors.idea_list(process=process, flt=flt).defer("description")
    page = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("seite"))
    page.object_list = _idea_rows(page.object_list)
    context = _phase_context(process)
    context.update(
        {
            "page_obj": page,
            "flt": flt,
            "action_fields": selectors.process_fields(process),
            "statuses": [(s, IdeaStatus(s).label) for s in PUBLIC_LIST_STATUSES],
            "sources": IdeaSource.choices,
            "sorts": [
                ("neueste", _("neueste zuerst")),
                ("unterstuetzung", _("meiste Unterstützung")),
                ("diskussion", _("meiste Kommentare")),
            ],
        }
    )
    response = render(request, "participation/idea_list.html", context)
    change = selectors.next_phase_change(process)
    if change is not None:
        response.page_cache_timeout = (change - timezone.now()).total_seconds()
    return response


@public_view
def idea_map(request, slug: str):
    process = _process_or_404(slug)
    return render(request, "participation/idea_map.html", _phase_context(process))


@public_view
def idea_detail(request, slug: str, pk: int, comment_form=None, status: int = 200):
    process = _process_or_404(slug)
    idea = selectors.idea_get_public(pk=pk, process=process)
    if idea is None:
        raise Http404
    if idea.merged_into_id is not None:
        target = selectors.idea_merge_target(idea)
        return HttpResponsePermanentRedirect(
            reverse("participation:idea_detail", args=[target.process.slug, target.pk])
        )
    context = _phase_context(process)
    token, new_visitor = _visitor_token(request)
    context.update(
        {
            "idea": idea,
            "history": selectors.idea_status_history(idea),
            "comments": selectors.idea_comments(idea),
            "may_support": rules.may_support(idea),
            "may_comment": rules.may_comment(idea),
            # A visitor without the cookie has supported nothing yet: no query for them.
            "supported": not new_visitor and selectors.idea_supported_by(idea=idea, token=token),
            "comment_form": comment_form or CommentForm(),
        }
    )
    return render(request, "participation/idea_detail.html", context, status=status)


def _idea_call_closed(request, context):
    if request.method == "POST":
        messages.error(
            request,
            _(
                "Der Ideenaufruf ist beendet oder noch nicht geöffnet. "
                "Ihre Idee wurde nicht gespeichert."
            ),
        )
    return render(
        request,
        "participation/idea_submit_closed.html",
        context,
        status=403 if request.method == "POST" else 200,
    )


def _idea_submitted(request, idea):
    if idea.is_public:
        messages.success(request, _("Vielen Dank! Ihre Idee ist veröffentlicht."))
        return redirect("participation:idea_detail", idea.process.slug, idea.pk)
    messages.success(
        request,
        _("Vielen Dank! Ihre Idee wird veröffentlicht, sobald die Moderation sie geprüft hat."),
    )
    return redirect("participation:process_detail", idea.process.slug)


@public_view
def idea_submit(request, slug: str):
    process = _process_or_404(slug)
    context = _phase_context(process)
    if not context["idea_call_open"]:
        return _idea_call_closed(request, context)
    sent = request.method == "POST"  # bound even when empty: errors can then be added
    form = IdeaSubmitForm(
        request.POST if sent else None,
        request.FILES if sent else None,
        process=process,
        similar_url=reverse("participation:idea_similar", args=[slug]),
    )
    if request.method == "POST":
        if spam.post_rate_limited(request, "submit"):
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen gerade sehr viele Einreichungen. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
        elif form.is_valid():
            try:
                idea = services.idea_submit(process=process, **form.submission())
            except services.NotAllowed as exc:
                messages.error(request, str(exc))
                return render(request, "participation/idea_submit_closed.html", context, status=403)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _idea_submitted(request, idea)
    context.update({"form": form, "altcha_url": reverse("participation:altcha_challenge")})
    return render(request, "participation/idea_submit.html", context)


@public_view
@require_GET
def idea_similar(request, slug: str):
    process = _process_or_404(slug)
    title = request.GET.get("title", "")
    ideas = []
    if (
        isinstance(title, str)
        and len(title.strip()) >= 4
        and not spam.rate_limited(request, "similar")
    ):
        ideas = selectors.ideas_similar(process=process, title=title[:200])
    return render(request, "participation/_similar.html", {"ideas": ideas, "process": process})


def _support_answer(request, idea, counted: bool | None, text: str):
    """The support button region for htmx, else a message and the idea page."""
    if _is_htmx(request):
        idea.refresh_from_db(fields=["support_count"])
        context = {
            "idea": idea,
            "process": idea.process,
            "supported": counted is not False,
            "may_support": rules.may_support(idea),
            "support_message": text,
            "support_refused": counted is False,
        }
        return render(request, "participation/_support.html", context)
    level = {True: messages.SUCCESS, None: messages.INFO, False: messages.ERROR}[counted]
    messages.add_message(request, level, text)
    return redirect(
        reverse("participation:idea_detail", args=[idea.process.slug, idea.pk]) + "#unterstuetzung"
    )


@public_view
@require_POST
def idea_support(request, slug: str, pk: int):
    process = _process_or_404(slug)
    idea = _public_idea_or_404(pk, process)
    if process.support_requires_verified_email:
        return redirect("participation:support_email", process.slug, idea.pk)
    token, new = _visitor_token(request)
    if new:
        token = _first_visit_token(request)
    counted, text = services.idea_support_from_browser(
        idea=idea, token=token, limited=spam.rate_limited(request, "support")
    )
    response = _support_answer(request, idea, counted, text)
    if new:
        cookies.signed_set(
            response,
            spam.VISITOR_COOKIE,
            token,
            salt=spam.VISITOR_COOKIE_SALT,
            max_age=VISITOR_COOKIE_AGE,
            request=request,
        )
    return response


@public_view
def support_email(request, slug: str, pk: int):
    process = _process_or_404(slug)
    idea = _public_idea_or_404(pk, process)
    form = SupportEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if spam.rate_limited(request, "support"):
            form.add_error(None, _("Zu viele Anfragen. Bitte versuchen Sie es später."))
        else:
            try:
                services.support_email_request(idea=idea, email=form.cleaned_data["email"])
            except services.NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Wir haben Ihnen einen Link geschickt. Ihre "
                        "Unterstützung zählt, sobald Sie ihn öffnen."
                    ),
                )
                return redirect("participation:idea_detail", process.slug, idea.pk)
    return render(
        request,
        "participation/support_email.html",
        {"process": process, "idea": idea, "form": form},
    )


@public_view
def support_confirm(request, token: str):
    data = services.support_email_token_read(token)
    idea = selectors.idea_get_public(pk=data[0]) if data else None
    if idea is None or idea.merged_into_id is not None:
        return invalid_link(request)
    if request.method == "POST":
        try:
            created = services.idea_support(idea=idea, visitor=data[1])
        except services.NotAllowed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Danke für Ihre Unterstützung!")
                if created
                else _("Sie unterstützen diese Idee bereits."),
            )
        return redirect("participation:idea_detail", idea.process.slug, idea.pk)
    return render(request, "participation/support_confirm.html", {"idea": idea})


def _comment_save(form, idea) -> Comment | None:
    """The comment of a valid ``form``, or None with the reason added to the form."""
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        # A hidden one is refused by the service, with its reason.
        parent = selectors.comment_get(idea=idea, pk=data["parent"], visible_only=False)
        if parent is None:
            form.add_error(None, _("Der Kommentar, auf den Sie antworten, gibt es nicht mehr."))
            return None
    try:
        return services.comment_add(
            idea=idea,
            text=data["text"],
            author_name=data.get("author_name", ""),
            parent=parent,
            premoderate=form.without_altcha,
        )
    except services.NotAllowed as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@public_view
@require_POST
def comment_create(request, slug: str, pk: int):
    process = _process_or_404(slug)
    idea = _public_idea_or_404(pk, process)
    form = CommentForm(request.POST)
    comment = None
    if spam.post_rate_limited(request, "comment"):
        form.add_error(
            None,
            _("Zu viele Kommentare in kurzer Zeit. Bitte versuchen Sie es später noch einmal."),
        )
    elif form.is_valid():
        comment = _comment_save(form, idea)
    if comment is None:
        return idea_detail(request, slug, pk, comment_form=form, status=400)
    if comment.state == Comment.State.VISIBLE:
        messages.success(request, _("Danke, Ihr Kommentar ist veröffentlicht."))
    else:
        messages.success(
            request, _("Danke! Ihr Kommentar erscheint nach der Prüfung durch die Moderation.")
        )
    return redirect(
        reverse("participation:idea_detail", args=[process.slug, idea.pk])
        + f"#kommentar-{comment.pk}"
    )


@public_view
def report_create(request, slug: str, pk: int):
    process = _process_or_404(slug)
    idea = _public_idea_or_404(pk, process)
    comment = None
    if comment_id := request.POST.get("comment") or request.GET.get("kommentar"):
        comment = selectors.comment_get(idea=idea, pk=parse_key(comment_id))
        if comment is None:
            raise Http404
    form = ReportForm(request.POST or None, initial={"comment": comment.pk if comment else None})
    if request.method == "POST":
        if spam.rate_limited(request, "report"):
            form.add_error(None, _("Zu viele Meldungen in kurzer Zeit."))
        elif form.is_valid():
            try:
                services.report_create(
                    idea=idea,
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data.get("text", ""),
                )
            except (services.NotAllowed, ValidationError) as exc:
                form.add_error(None, str(exc.messages[0] if hasattr(exc, "messages") else exc))
            else:
                messages.success(
                    request, _("Danke für Ihre Meldung. Die Moderation sieht sie sich an.")
                )
                return redirect("participation:idea_detail", process.slug, idea.pk)
    context = {"process": process, "idea": idea, "comment": comment, "form": form}
    return render(request, "participation/report.html", context)


@public_view
def contact_confirm(request, token: str):
    """Double opt-in. GET only shows a button, so that link scanners confirm nothing."""
    if selectors.submitter_by_token(token) is None:
        return invalid_link(request)
    if request.method == "POST":
        submitter = services.submitter_confirm(token=token)
        if submitter is None:
            return invalid_link(request)
        messages.success(
            request, _("Danke! Wir schreiben Ihnen, wenn sich der Status Ihrer Idee ändert.")
        )
        return redirect("participation:process_detail", submitter.process.slug)
    return render(request, "participation/contact_confirm.html", {"token": token})


@public_view
@never_cache
@require_GET
def altcha_challenge(request):
    if spam.rate_limited(request, "challenge"):
        return JsonResponse({"error": "too many requests"}, status=429)
    return JsonResponse(spam.altcha_challenge())


@public_view
@require_GET
def idea_export(request, slug: str, fmt: str):
    """Open data: the published ideas of a process, without personal data."""
    process = _process_or_404(slug)
    return ideas_export_response(selectors.ideas_public(process=process), process=process, fmt=fmt)
