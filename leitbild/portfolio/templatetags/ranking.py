"""Numbers of the ranking pages in German notation."""

from django import template

from leitbild.core.charts import format_number, format_percent

register = template.Library()


@register.filter
def share(value, decimals: int = 0) -> str:
    """A probability or share in [0, 1] as a percentage: 0.953 → 95 %."""
    if value is None or value == "":
        return "–"
    return format_percent(float(value), int(decimals))


@register.filter
def weight_percent(value) -> str:
    """A weight (fraction) in percent with one decimal: 0.125 → 12,5."""
    if value is None or value == "":
        return "–"
    return format_number(float(value) * 100, 1)


@register.filter
def decimal(value, decimals: int = 3) -> str:
    if value is None or value == "":
        return "–"
    return format_number(float(value), int(decimals))


@register.filter
def index(sequence, i):
    try:
        return sequence[int(i)]
    except (IndexError, TypeError, ValueError, KeyError):
        return None


@register.filter
def zip_budgets(years, budgets):
    return list(zip(years, budgets, strict=False))


@register.filter
def euros(value) -> str:
    """Whole euros with German separators, also for the floats of a stored result."""
    from decimal import Decimal

    from ..selectors import money

    if value is None or value == "":
        return "–"
    return money(Decimal(str(value)))
