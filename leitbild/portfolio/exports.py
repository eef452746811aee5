"""Exports of the implementation concept, for staff.

The portfolio list goes through the one export mechanism (``core.exports``). The financing
plan is a workbook the Kämmerei continues to work with: one sheet per view, amounts as numbers
with a euro format, every sum a formula (so changed cells recompute), text neutralised like
every other export (``safe_cell``). No personal data: projects, units and money only.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from leitbild.core.exports import safe_cell

from .selectors import FinancingPlan, project_finance

EURO = '#,##0.00 "€"'


class Formula(str):
    """A formula we wrote ourselves; every other text is neutralised by ``safe_cell``."""


def _cell(value):
    if isinstance(value, Formula):
        return str(value)
    return safe_cell(value) if isinstance(value, str) else value


def portfolio_rows(projects) -> tuple[list[str], list[list]]:
    headers = [
        _("Nr."),
        _("Titel"),
        _("Stand"),
        _("Rang"),
        _("Federführung"),
        _("Ziele"),
        _("Handlungsfelder"),
        _("Beginn"),
        _("Dauer (Monate)"),
        _("Kosten gesamt (€)"),
        _("Förderprogramm"),
        _("Förderung (€)"),
        _("Drittmittel (€)"),
        _("Eigenanteil (€)"),
        _("Ideen"),
        _("öffentlich"),
    ]
    rows = []
    for project in projects:
        finance = project_finance(project)
        links = list(project.goal_links.all())
        rows.append(
            [
                project.pk,
                project.title,
                project.get_stage_display(),
                project.priority,
                str(project.lead_unit or ""),
                ", ".join(f"{g.goal.code} ({g.get_strength_display()})" for g in links),
                ", ".join(dict.fromkeys(g.goal.field.code for g in links)),
                project.starts_on.isoformat() if project.starts_on else "",
                project.duration_months,
                finance.total,
                str(finance.programme or ""),
                finance.total_programme,
                finance.total_third_party,
                finance.total_own,
                project.idea_count,
                _("ja") if project.is_public else _("nein"),
            ]
        )
    return headers, rows


def _sheet(
    workbook: Workbook,
    title: str,
    headers: list[str],
    rows: list[list],
    *,
    sum_row: bool = True,
    first_money_column: int = 2,
):
    """A sheet with a bold header, money cells formatted, and a row and a column of sums."""
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    last_row = len(rows) + 1
    last_col = len(headers)
    if sum_row and rows:
        sheet.append(
            [_cell(_("Summe"))]
            + [
                Formula(f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{last_row})")
                if c >= first_money_column
                else None
                for c in range(2, last_col + 1)
            ]
        )
        sheet.cell(row=last_row + 1, column=1).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=first_money_column, max_col=last_col):
        for cell in row:
            cell.number_format = EURO
    sheet.column_dimensions["A"].width = 40
    return sheet


def financing_xlsx(plan: FinancingPlan) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    year_headers = [str(y) for y in plan.years]
    n = len(plan.years)

    def with_total(label, values, row_number):
        # The yearly cells are numbers; the total of the row is a formula over them.
        first, last = get_column_letter(2), get_column_letter(1 + n)
        return [label, *values, Formula(f"=SUM({first}{row_number}:{last}{row_number})")]

    source_rows = [
        with_total(label, [float(v) for v in values], i + 2)
        for i, (label, values, _total) in enumerate(plan.source_rows())
    ]
    _sheet(workbook, _("Nach Quelle"), [_("Quelle"), *year_headers, _("Gesamt")], source_rows)
    field_rows = [
        with_total(label, [float(v) for v in values], i + 2)
        for i, (label, values, _total) in enumerate(plan.field_rows())
    ]
    _sheet(
        workbook,
        _("Nach Handlungsfeld"),
        [_("Handlungsfeld"), *year_headers, _("Gesamt")],
        field_rows,
    )
    project_rows = []
    for finance in plan.projects:
        for year, cost, eligible, share, third, own in finance.rows():
            project_rows.append(
                [
                    finance.project.title,
                    year,
                    float(cost),
                    float(eligible),
                    float(share),
                    float(third),
                    float(own),
                    str(finance.programme or ""),
                ]
            )
    sheet = _sheet(
        workbook,
        _("Projekte"),
        [
            _("Projekt"),
            _("Jahr"),
            _("Kosten"),
            _("förderfähig"),
            _("Förderung"),
            _("Drittmittel"),
            _("Eigenanteil"),
            _("Förderprogramm"),
        ],
        project_rows,
        first_money_column=3,
    )
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "0"
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "General"
    if project_rows:  # the sum row has no sum of years or programme names
        sheet.cell(row=len(project_rows) + 2, column=2).value = None
        sheet.cell(row=len(project_rows) + 2, column=8).value = None
    budget_rows = []
    for i, (year, own, budget, _over) in enumerate(plan.own_rows()):
        row = i + 2
        budget_rows.append(
            [
                str(year),
                float(own),
                float(budget) if budget is not None else None,
                Formula(f'=IF(C{row}="","",C{row}-B{row})'),
            ]
        )
    _sheet(
        workbook,
        _("Eigenanteil und Haushalt"),
        [_("Jahr"), _("Eigenanteil"), _("Haushaltsmittel"), _("Spielraum")],
        budget_rows,
        sum_row=False,
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- A prioritisation round ------------------------------------------------------------------


def _plain_sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe_cell(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    sheet.column_dimensions["A"].width = 40
    return sheet


def round_xlsx(prioritisation_round) -> bytes:
    """A round for staff: scores per assessor, aggregation, ranking, portfolio.

    Assessors appear as "Bewertung 1, 2, …" (in the order they first scored), never by name or
    address: the workbook is passed around, and who gave which points is not needed to
    follow the result."""
    import numpy as np

    from . import ranking_selectors as sel
    from .models import RoundDecision, Score

    workbook = Workbook()
    workbook.remove(workbook.active)
    inputs = sel.round_inputs(prioritisation_round)
    scores = list(
        Score.objects.filter(round=prioritisation_round)
        .select_related("project", "criterion")
        .order_by("assessor_id", "project__title", "criterion__order", "criterion__pk")
    )
    pseudonym: dict[int, str] = {}
    for score in scores:
        pseudonym.setdefault(score.assessor_id, _("Bewertung %(n)d") % {"n": len(pseudonym) + 1})
    _plain_sheet(
        workbook,
        _("Bewertungen"),
        [_("Bewertende Person"), _("Projekt"), _("Kriterium"), _("Punkte"), _("Begründung")],
        [
            [pseudonym[s.assessor_id], s.project.title, s.criterion.title, s.value, s.justification]
            for s in scores
        ],
    )
    aggregation = []
    for i, project in enumerate(inputs.projects):
        for j, criterion in enumerate(inputs.criteria):
            column = inputs.scores[:, i, j] if inputs.scores.shape[0] else np.array([])
            given = column[~np.isnan(column)]
            aggregation.append(
                [
                    project.title,
                    criterion.title,
                    criterion.get_kind_display(),
                    len(given),
                    round(float(given.mean()), 3) if len(given) else None,
                    round(float(np.median(given)), 3) if len(given) else None,
                    float(given.max() - given.min()) if len(given) else None,
                ]
            )
    _plain_sheet(
        workbook,
        _("Aggregation"),
        [
            _("Projekt"),
            _("Kriterium"),
            _("Art"),
            _("Anzahl Werte"),
            _("Mittelwert"),
            _("Median"),
            _("Spannweite"),
        ],
        aggregation,
    )
    results = prioritisation_round.results or {}
    _plain_sheet(
        workbook,
        _("Gewichte"),
        [_("Kriterium"), _("Gewicht (Prozent)"), _("mehr ist besser")],
        [
            [c["title"], round(c["weight"] * 100, 2), _("ja") if c["benefit"] else _("nein")]
            for c in results.get("criteria", [])
        ],
    )
    top_k = results.get("top_k", 0)
    _plain_sheet(
        workbook,
        _("Rangfolge"),
        [
            _("Rang"),
            _("Projekt"),
            _("Wert"),
            _("Rang mindestens"),
            _("Rang höchstens"),
            _("Wahrscheinlichkeit unter den ersten %(k)d") % {"k": top_k},
            _("Erwarteter Rang"),
            _("robust"),
        ],
        [
            [
                p["rank"],
                p["title"],
                p["value"],
                p["interval"][0],
                p["interval"][1],
                p["top_k"],
                p["expected_rank"],
                _("ja") if p["robust"] else _("nein"),
            ]
            for p in results.get("projects", [])
        ],
    )
    portfolio = results.get("portfolio") or {}
    years = portfolio.get("years", [])
    optimal = set(portfolio.get("optimal", {}).get("selected", []))
    greedy = set(portfolio.get("greedy", {}).get("selected", []))
    robust = {p["id"]: p for p in (prioritisation_round.robust or {}).get("projects", [])}
    decisions = {d.project_id: d for d in RoundDecision.objects.filter(round=prioritisation_round)}
    portfolio_rows = []
    for p in results.get("projects", []):
        costs = portfolio.get("costs", {}).get(str(p["id"]), [None] * len(years))
        decision = decisions.get(p["id"])
        portfolio_rows.append(
            [
                p["title"],
                *costs,
                _("ja") if p["id"] in optimal else _("nein"),
                _("ja") if p["id"] in greedy else _("nein"),
                robust.get(p["id"], {}).get("share"),
                sel.robust_label(robust.get(p["id"], {}).get("class", "")),
                "" if decision is None else (_("ja") if decision.prioritised else _("nein")),
                decision.justification if decision else "",
            ]
        )
    sheet = _plain_sheet(
        workbook,
        _("Portfolio"),
        [
            _("Projekt"),
            *[_("Eigenanteil %(year)s") % {"year": y} for y in years],
            _("im optimalen Portfolio"),
            _("nach Rangfolge"),
            _("Anteil robuster Portfolios"),
            _("Einordnung"),
            _("priorisiert"),
            _("Begründung"),
        ],
        portfolio_rows,
    )
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=1 + len(years)):
        for cell in row:
            cell.number_format = EURO
    if years:
        sheet.append([_("Haushaltsmittel"), *portfolio.get("budgets", [])])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
