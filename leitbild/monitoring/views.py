"""Pages of the indicator monitoring: the public Umsetzungsmonitor's indicators and the
Strategie-Redaktion's pages for measurements."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitbild.core.forms import add_service_errors
from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role

from . import charts, forms, selectors, services

# The Strategie-Redaktion keeps the indicators (baselines and targets) and so their values.
editor_view = staff_view(Role.EDITOR)


@public_view
def indicator_list(request):
    found = selectors.public_indicators()
    return render(
        request,
        "monitoring/indicator_list.html",
        {"found": found, "counts": found.counts(), "rule": selectors.rule_text()},
    )


@public_view
def indicator_detail(request, pk: int):
    found = selectors.public_indicator(pk=pk)
    if found is None:
        raise Http404
    group, status = found
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "group": group,
            "status": status,
            "chart": charts.trend_chart(status),
            "rule": selectors.rule_text(),
        },
    )


@editor_view
def staff_indicators(request):
    state = request.GET.get("zustand", "")
    return render(
        request,
        "monitoring/staff/indicators.html",
        {
            "strategies": selectors.staff_indicators(),
            "state": state if state in selectors.State.values else "",
            "states": selectors.State.choices,
        },
    )


@editor_view
def staff_indicator(request, pk: int):
    found = selectors.staff_indicator(pk=pk)
    if found is None:
        raise Http404
    indicator, status = found
    form = forms.MeasurementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_record(
                actor=request.user, indicator=indicator, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Messwert wurde eingetragen."))
            return redirect("monitoring:staff_indicator", pk=pk)
    return render(
        request,
        "monitoring/staff/indicator.html",
        {"indicator": indicator, "status": status, "form": form},
    )


@editor_view
def staff_measurement_delete(request, pk: int):
    """GET asks, POST deletes (works without JavaScript)."""
    measurement = selectors.measurement_get(pk=pk)
    if measurement is None:
        raise Http404
    if request.method == "POST":
        services.measurement_delete(actor=request.user, measurement=measurement)
        messages.success(request, _("Der Messwert wurde gelöscht."))
        return redirect("monitoring:staff_indicator", pk=measurement.indicator_id)
    return render(request, "monitoring/staff/delete.html", {"measurement": measurement})


@editor_view
def staff_import(request):
    sent = request.method == "POST"
    form = forms.ImportForm(request.POST if sent else None, request.FILES if sent else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.content()
        try:
            created = services.measurements_import_csv(actor=request.user, data=data)
        except services.CsvImportError as exc:
            problems = exc.problems
            # Keep what was sent: a file cannot be put back into its field, its text can.
            if len(data) <= services.MAX_CSV_BYTES:
                form = forms.ImportForm(initial={"text": data.decode("utf-8-sig", "replace")})
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)d Messwert wurde importiert.",
                    "%(count)d Messwerte wurden importiert.",
                    count,
                )
                % {"count": count},
            )
            return redirect("monitoring:staff_indicators")
    return render(request, "monitoring/staff/import.html", {"form": form, "problems": problems})
