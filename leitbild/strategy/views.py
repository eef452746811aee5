"""Pages of the strategic framework: public pages under /strategie/, staff pages under
/strategie/verwaltung/ (url names ``staff_…``, and ``council_…`` for the Ratsbüro). Views only
translate HTTP; the rules are in ``services.py`` and ``selectors.py``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitbild.core.exports import attachment
from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role, has_role

from . import forms, selectors, services
from .diff import framework_diff
from .exchange import (
    MAX_FILE_BYTES,
    FrameworkFileError,
    dump_framework_file,
    parse_framework_file,
)
from .models import ActionField, Goal, Indicator, Leitlinie, Strategy, StrategyVersion
from .panels import strategy_panels, version_panels

editor_view = staff_view(Role.EDITOR)


# --- Public pages -------------------------------------------------------------------------------


@public_view
def overview(request):
    state = selectors.public_state()
    version = state.main
    return render(
        request,
        "strategy/overview.html",
        {
            "state": state,
            "version": version,
            "framework": version.snapshot if version else None,
            "files": selectors.version_documents([version])[version.pk] if version else {},
            "panels": strategy_panels(version.strategy) if version else [],
        },
    )


@public_view
def version_detail(request, slug: str, number: int):
    version = selectors.version_get(slug=slug, number=number, public=True)
    if version is None:
        raise Http404
    return render(
        request,
        "strategy/version_detail.html",
        {
            "version": version,
            "framework": version.snapshot,
            "files": selectors.version_documents([version])[version.pk],
            # The Ratsbüro has no other way to this version's decision than its public page.
            "may_correct_decision": version.decided_on is not None
            and has_role(request.user, Role.COUNCIL_OFFICE),
            "may_prepare_paper": has_role(request.user, Role.COUNCIL_OFFICE, Role.EDITOR),
            "panels": version_panels(version),
        },
    )


def _field_page(request, version: StrategyVersion | None, code: str):
    field = selectors.snapshot_field(version.snapshot, code=code) if version else None
    if field is None:
        raise Http404
    return render(request, "strategy/field_detail.html", {"version": version, "field": field})


@public_view
def field_detail(request, code: str):
    """The field as the public sees it now; a stable address for links from other pages."""
    return _field_page(request, selectors.public_state().main, code)


@public_view
def version_field(request, slug: str, number: int, code: str):
    return _field_page(request, selectors.version_get(slug=slug, number=number, public=True), code)


def _compare_form(request, versions: list[StrategyVersion], *, with_draft: bool = False):
    numbers = [v.number for v in versions]
    data = request.GET if "von" in request.GET or "mit" in request.GET else None
    if data is None and len(numbers) >= 2:
        data = {"von": numbers[1], "mit": numbers[0]}
    elif data is None and with_draft and numbers:
        data = {"von": numbers[0], "mit": 0}
    return forms.CompareForm(data, numbers=numbers, with_draft=with_draft)


@public_view
def history(request, slug: str):
    strategy = get_object_or_404(Strategy, slug=slug)
    versions = list(selectors.version_list(strategy=strategy, public=True))
    if not versions:
        raise Http404
    previous = [v.number for v in versions[1:]] + [None]  # newest first
    return render(
        request,
        "strategy/history.html",
        {
            "strategy": strategy,
            "versions": versions,
            "rows": list(zip(versions, previous, strict=True)),
            "compare_form": _compare_form(request, versions),
        },
    )


@public_view
def compare(request, slug: str):
    strategy = get_object_or_404(Strategy, slug=slug)
    versions = list(selectors.version_list(strategy=strategy, public=True))
    if not versions:
        raise Http404
    form = _compare_form(request, versions)
    context = {"strategy": strategy, "compare_form": form, "versions": versions}
    if form.is_bound and form.is_valid():
        old, new = selectors.version_pair(
            strategy=strategy,
            numbers=(form.cleaned_data["von"], form.cleaned_data["mit"]),
            public=True,
        )
        context.update(old=old, new=new, diff=framework_diff(old.snapshot, new.snapshot))
    return render(
        request,
        "strategy/compare.html",
        context,
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- Staff: strategies --------------------------------------------------------------------------


def _strategy(slug: str) -> Strategy:
    return get_object_or_404(Strategy, slug=slug)


def _item_form_page(
    request, *, form, strategy, title: str, back: str, save, done, submit: str = ""
):
    """GET shows ``form``; a valid POST calls ``save(**cleaned_data)`` and redirects to
    ``done(saved_item)``. Invalid input comes back with the errors at their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            item = save(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(done(item))
    return render(
        request,
        "strategy/staff/form.html",
        {
            "form": form,
            "strategy": strategy,
            "title": title,
            "back": back,
            "submit": submit,
        },
    )


def _strategy_url(strategy: Strategy, anchor: str = "") -> str:
    url = reverse("strategy:staff_strategy", args=[strategy.slug])
    return f"{url}#{anchor}" if anchor else url


def _field_url(field: ActionField, anchor: str = "") -> str:
    url = reverse("strategy:staff_field", args=[field.strategy.slug, field.pk])
    return f"{url}#{anchor}" if anchor else url


@editor_view
def staff_index(request):
    return render(
        request,
        "strategy/staff/index.html",
        {
            "strategies": selectors.strategy_list(),
        },
    )


@editor_view
def staff_strategy_create(request):
    return _item_form_page(
        request,
        form=forms.StrategyCreateForm(request.POST or None),
        strategy=None,
        title=_("Neue Strategie anlegen"),
        back=reverse("strategy:staff_index"),
        submit=_("Strategie anlegen"),
        save=lambda **data: services.strategy_create(actor=request.user, **data),
        done=lambda strategy: reverse("strategy:staff_strategy", args=[strategy.slug]),
    )


@editor_view
def staff_strategy(request, slug: str):
    strategy = _strategy(slug)
    versions = list(selectors.version_list(strategy=strategy))
    return render(
        request,
        "strategy/staff/strategy.html",
        {
            "strategy": strategy,
            "leitlinien": strategy.leitlinien.all(),
            "fields": selectors.draft_fields(strategy=strategy),
            "versions": versions,
            "freeze_form": forms.FreezeForm(),
            "compare_form": _compare_form(request, versions, with_draft=True) if versions else None,
        },
    )


@editor_view
def staff_strategy_edit(request, slug: str):
    strategy = _strategy(slug)
    form = forms.StrategyForm(
        request.POST or None,
        initial={"title": strategy.title, "edition": strategy.edition, "summary": strategy.summary},
    )
    return _item_form_page(
        request,
        form=form,
        strategy=strategy,
        title=_("Angaben zur Strategie bearbeiten"),
        back=_strategy_url(strategy),
        save=lambda **data: services.strategy_update(actor=request.user, strategy=strategy, **data),
        done=_strategy_url,
    )


# --- Staff: draft items -------------------------------------------------------------------------


@editor_view
def staff_leitlinie_create(request, slug: str):
    strategy = _strategy(slug)
    return _item_form_page(
        request,
        form=forms.LeitlinieForm(request.POST or None),
        strategy=strategy,
        title=_("Leitlinie hinzufügen"),
        back=_strategy_url(strategy, "leitlinien"),
        save=lambda **data: services.leitlinie_create(
            actor=request.user, strategy=strategy, **data
        ),
        done=lambda item: _strategy_url(strategy, f"leitlinie-{item.pk}"),
    )


@editor_view
def staff_leitlinie_edit(request, slug: str, pk: int):
    strategy = _strategy(slug)
    item = get_object_or_404(Leitlinie, pk=pk, strategy=strategy)
    form = forms.LeitlinieForm(
        request.POST or None, initial={"title": item.title, "text": item.text}
    )
    return _item_form_page(
        request,
        form=form,
        strategy=strategy,
        title=_("Leitlinie „%(title)s“ bearbeiten") % {"title": item.title},
        back=_strategy_url(strategy, "leitlinien"),
        save=lambda **data: services.leitlinie_update(actor=request.user, leitlinie=item, **data),
        done=lambda item: _strategy_url(strategy, f"leitlinie-{item.pk}"),
    )


@editor_view
def staff_field_create(request, slug: str):
    strategy = _strategy(slug)
    return _item_form_page(
        request,
        form=forms.FieldForm(request.POST or None),
        strategy=strategy,
        title=_("Handlungsfeld hinzufügen"),
        back=_strategy_url(strategy, "handlungsfelder"),
        save=lambda **data: services.field_create(actor=request.user, strategy=strategy, **data),
        done=_field_url,
    )  # on to the new field's goals


@editor_view
def staff_field(request, slug: str, pk: int):
    strategy = _strategy(slug)
    field = get_object_or_404(
        ActionField.objects.select_related("strategy"), pk=pk, strategy=strategy
    )
    return render(
        request,
        "strategy/staff/field.html",
        {
            "strategy": strategy,
            "field": field,
            "goals": selectors.draft_field_goals(field=field),
        },
    )


@editor_view
def staff_field_edit(request, slug: str, pk: int):
    strategy = _strategy(slug)
    field = get_object_or_404(
        ActionField.objects.select_related("strategy"), pk=pk, strategy=strategy
    )
    form = forms.FieldForm(
        request.POST or None,
        initial={
            "code": field.code,
            "name": field.name,
            "description": field.description,
            "colour": field.colour,
            "icon": field.icon,
        },
    )
    return _item_form_page(
        request,
        form=form,
        strategy=strategy,
        title=_("Handlungsfeld „%(name)s“ bearbeiten") % {"name": field.name},
        back=_field_url(field),
        save=lambda **data: services.field_update(actor=request.user, field=field, **data),
        done=_field_url,
    )


@editor_view
def staff_goal_create(request, slug: str, field_pk: int):
    strategy = _strategy(slug)
    field = get_object_or_404(
        ActionField.objects.select_related("strategy"), pk=field_pk, strategy=strategy
    )
    return _item_form_page(
        request,
        form=forms.GoalForm(request.POST or None),
        strategy=strategy,
        title=_("Ziel im Handlungsfeld „%(name)s“ hinzufügen") % {"name": field.name},
        back=_field_url(field),
        save=lambda **data: services.goal_create(actor=request.user, field=field, **data),
        done=lambda goal: _field_url(field, f"ziel-{goal.pk}"),
    )


@editor_view
def staff_goal_edit(request, slug: str, pk: int):
    strategy = _strategy(slug)
    goal = get_object_or_404(
        Goal.objects.select_related("field__strategy", "strategy"), pk=pk, strategy=strategy
    )
    form = forms.GoalForm(
        request.POST or None,
        initial={
            "code": goal.code,
            "title": goal.title,
            "description": goal.description,
            "charter_principles": goal.charter_principles,
            "sdgs": goal.sdgs,
        },
    )
    return _item_form_page(
        request,
        form=form,
        strategy=strategy,
        title=_("Ziel %(code)s bearbeiten") % {"code": goal.code},
        back=_field_url(goal.field, f"ziel-{goal.pk}"),
        save=lambda **data: services.goal_update(actor=request.user, goal=goal, **data),
        done=lambda goal: _field_url(goal.field, f"ziel-{goal.pk}"),
    )


@editor_view
def staff_indicator_create(request, slug: str, goal_pk: int):
    strategy = _strategy(slug)
    goal = get_object_or_404(
        Goal.objects.select_related("field__strategy"), pk=goal_pk, strategy=strategy
    )
    return _item_form_page(
        request,
        form=forms.IndicatorForm(request.POST or None),
        strategy=strategy,
        title=_("Indikator für Ziel %(code)s hinzufügen") % {"code": goal.code},
        back=_field_url(goal.field, f"ziel-{goal.pk}"),
        save=lambda **data: services.indicator_create(actor=request.user, goal=goal, **data),
        done=lambda _item: _field_url(goal.field, f"ziel-{goal.pk}"),
    )


@editor_view
def staff_indicator_edit(request, slug: str, pk: int):
    strategy = _strategy(slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal__field__strategy"), pk=pk, goal__strategy=strategy
    )
    initial = {name: getattr(indicator, name) for name in forms.IndicatorForm.base_fields}
    for name in ("baseline_value", "target_value"):  # 12.500 → 12,5
        initial[name] = initial[name].normalize() if initial[name] is not None else None
    form = forms.IndicatorForm(request.POST or None, initial=initial)
    return _item_form_page(
        request,
        form=form,
        strategy=strategy,
        title=_("Indikator „%(name)s“ bearbeiten") % {"name": indicator.name},
        back=_field_url(indicator.goal.field, f"ziel-{indicator.goal_id}"),
        save=lambda **data: services.indicator_update(
            actor=request.user, indicator=indicator, **data
        ),
        done=lambda _item: _field_url(indicator.goal.field, f"ziel-{indicator.goal_id}"),
    )


# Delete and move are the same for every kind of draft item; the URL names the kind.
KINDS = {"leitlinien": Leitlinie, "felder": ActionField, "ziele": Goal, "indikatoren": Indicator}


def _draft_item(strategy: Strategy, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    if model is Indicator:
        return get_object_or_404(
            Indicator.objects.select_related("goal__field__strategy"),
            pk=pk,
            goal__strategy=strategy,
        )
    related = ["field__strategy"] if model is Goal else []
    return get_object_or_404(model.objects.select_related(*related), pk=pk, strategy=strategy)


def _after_item_url(strategy: Strategy, item, *, anchor_self: bool) -> str:
    if isinstance(item, Indicator):
        return _field_url(item.goal.field, f"ziel-{item.goal_id}")
    if isinstance(item, Goal):
        return _field_url(item.field, f"ziel-{item.pk}" if anchor_self else "ziele")
    if isinstance(item, ActionField):
        return _strategy_url(strategy, f"feld-{item.pk}" if anchor_self else "handlungsfelder")
    return _strategy_url(strategy, f"leitlinie-{item.pk}" if anchor_self else "leitlinien")


@editor_view
def staff_item_delete(request, slug: str, kind: str, pk: int):
    strategy = _strategy(slug)
    item = _draft_item(strategy, kind, pk)
    back = _after_item_url(strategy, item, anchor_self=True)
    error = None
    if request.method == "POST":
        try:
            services.draft_item_delete(actor=request.user, item=item)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("„%(item)s“ wurde gelöscht.") % {"item": item})
            return redirect(_after_item_url(strategy, item, anchor_self=False))
    return render(
        request,
        "strategy/staff/confirm_delete.html",
        {
            "strategy": strategy,
            "item": item,
            "kind": item._meta.verbose_name,
            "back": back,
            "error": error,
        },
    )


@editor_view
@require_POST
def staff_item_move(request, slug: str, kind: str, pk: int):
    strategy = _strategy(slug)
    item = _draft_item(strategy, kind, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.draft_item_move(actor=request.user, item=item, direction=direction)
    else:
        messages.error(request, _("Nichts verschoben: unbekannte Richtung."))
    return redirect(_after_item_url(strategy, item, anchor_self=True))


# --- Staff: versions ----------------------------------------------------------------------------


@editor_view
@require_POST
def staff_freeze(request, slug: str):
    strategy = _strategy(slug)
    form = forms.FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect(_strategy_url(strategy, "versionen"))
    try:
        version = services.draft_freeze(
            actor=request.user, strategy=strategy, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_strategy_url(strategy, "versionen"))
    messages.success(
        request,
        _("Der Arbeitsstand wurde als Version %(number)s eingefroren.")
        % {"number": version.number},
    )
    return redirect("strategy:staff_version", slug=strategy.slug, number=version.number)


@editor_view
def staff_version(request, slug: str, number: int):
    version = selectors.version_get(slug=slug, number=number)
    if version is None:
        raise Http404
    statuses = services.version_next_statuses(version=version)
    form = forms.VersionStatusForm(request.POST or None, statuses=statuses)
    if request.method == "POST" and statuses and form.is_valid():
        try:
            services.version_set_status(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Status wurde geändert."))
            return redirect("strategy:staff_version", slug=slug, number=number)
    return render(
        request,
        "strategy/staff/version.html",
        {
            "strategy": version.strategy,
            "version": version,
            "framework": version.snapshot,
            "form": form if statuses else None,
            "asks_decision": StrategyVersion.Status.ADOPTED in statuses,
            "decision_form": _decision_form(request, version),
        },
    )


def _decision_form(request, version: StrategyVersion, data=None):
    """The form correcting an adopted version's decision, for those who may (else None)."""
    if version.decided_on is None or not has_role(request.user, Role.COUNCIL_OFFICE):
        return None
    initial = {"decided_on": version.decided_on, "decision_reference": version.decision_reference}
    return forms.VersionDecisionForm(data, initial=initial)


@staff_view(Role.COUNCIL_OFFICE)
def council_version_decision(request, slug: str, number: int):
    """The Ratsbüro (or Administration) corrects the date or reference of the decision."""
    version = selectors.version_get(slug=slug, number=number)
    if version is None:
        raise Http404
    form = _decision_form(request, version, request.POST or None)
    if form is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            services.version_decision_correct(
                actor=request.user, version=version, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Beschluss wurde korrigiert."))
            return redirect("strategy:council_version_decision", slug=slug, number=number)
    return render(
        request,
        "strategy/staff/version_decision.html",
        {"strategy": version.strategy, "version": version, "form": form},
    )


@editor_view
def staff_compare(request, slug: str):
    strategy = _strategy(slug)
    versions = list(selectors.version_list(strategy=strategy))
    form = _compare_form(request, versions, with_draft=True)
    context = {"strategy": strategy, "compare_form": form, "versions": versions}
    if form.is_bound and form.is_valid():
        numbers = (form.cleaned_data["von"], form.cleaned_data["mit"])
        old, new = selectors.version_pair(strategy=strategy, numbers=numbers)
        draft = selectors.draft_snapshot(strategy=strategy) if 0 in numbers else None
        context.update(
            old=old,
            new=new,
            diff=framework_diff(old.snapshot if old else draft, new.snapshot if new else draft),
        )
    return render(request, "strategy/staff/compare.html", context)


# --- Staff: exchange ----------------------------------------------------------------------------


@editor_view
def staff_export(request, slug: str):
    strategy = _strategy(slug)
    version = None
    if request.GET.get("version"):
        try:
            number = int(request.GET["version"])
        except ValueError:
            raise Http404 from None
        version = get_object_or_404(StrategyVersion, strategy=strategy, number=number)
    text = dump_framework_file(selectors.framework_file_data(strategy=strategy, version=version))
    suffix = f"-version-{version.number}" if version else ""
    return attachment(text, fmt="json", name=f"{strategy.slug}{suffix}")


@editor_view
def staff_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            # One byte more than allowed is enough for the parser to say "too large".
            file = parse_framework_file(form.cleaned_data["file"].read(MAX_FILE_BYTES + 1))
            strategy = services.framework_import(
                actor=request.user,
                file=file,
                slug=form.cleaned_data["slug"] or None,
                title=form.cleaned_data["title"] or None,
            )
        except FrameworkFileError as exc:
            problems = exc.problems
            form.add_error(
                "file",
                _(
                    "Die Datei wurde nicht importiert; nichts wurde geändert. "
                    "Bitte beheben Sie die unten genannten Probleme."
                ),
            )
        else:
            messages.success(
                request,
                _("Der Rahmen wurde als Strategie „%(title)s“ importiert.")
                % {"title": strategy.title},
            )
            return redirect("strategy:staff_strategy", slug=strategy.slug)
    return render(request, "strategy/staff/import.html", {"form": form, "problems": problems})
