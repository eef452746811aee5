"""Formatting of estimates in German for the results pages."""

from django import template

from leitbild.core.charts import format_number, format_percent

from ..models import Method, Mode

register = template.Library()


def _percent(method: str) -> bool:
    return method in (Method.PICK, "share")


@register.simple_tag
def estimate(value, method: str = "share") -> str:
    if value is None:
        return "–"
    return format_percent(value.value) if _percent(method) else format_number(value.value, 2)


@register.simple_tag
def interval(value, method: str = "share") -> str:
    if value is None or value.low is None or value.high is None:
        return "–"
    if _percent(method):
        return f"{format_number(value.low * 100)}–{format_percent(value.high)}"
    return f"{format_number(value.low, 2)}–{format_number(value.high, 2)}"


@register.filter
def number(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return format_number(float(value), int(decimals))


@register.filter
def mode_label(mode: str) -> str:
    return str(Mode(mode).label) if mode in Mode.values else mode
