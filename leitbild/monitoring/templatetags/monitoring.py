from decimal import Decimal

from django import template

from leitbild.core.charts import format_number, format_percent

register = template.Library()

STATE_BADGES = {
    "on_track": "kern-badge--success",
    "at_risk": "kern-badge--warning",
    "off_track": "kern-badge--danger",
    "not_assessed": "kern-badge--info",
}


@register.filter
def measure(value: Decimal | None) -> str:
    """A measured value in the reader's notation, with as many decimals as it has (≤ 3)."""
    if value is None:
        return "–"
    decimals = min(3, max(0, -Decimal(value).normalize().as_tuple().exponent))  # type: ignore[operator]
    return format_number(float(value), decimals)


@register.filter
def progress(value: float | None) -> str:
    return "–" if value is None else format_percent(value / 100, 0)


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(str(state), "kern-badge--info")
