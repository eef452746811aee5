"""Template helpers for reading snapshots (plain JSON) on the strategy pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from ..models import CharterPrinciple, Indicator, StrategyVersion

register = template.Library()


@register.filter
def decimal_de(value: str | None) -> str:
    """A decimal ("12.5" from a snapshot, or a Decimal) in the reader's notation ("12,5"),
    without trailing zeros."""
    if value is None or value == "":
        return "–"
    try:
        return number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=True)
    except (InvalidOperation, TypeError):
        return str(value)


@register.filter
def charter_label(code: str) -> str:
    try:
        return str(CharterPrinciple(code).label)
    except ValueError:
        return code


@register.filter
def direction_label(code: str) -> str:
    try:
        return str(Indicator.Direction(code).label)
    except ValueError:
        return code


@register.filter
def status_badge(status: str) -> str:
    """The KERN badge modifier for a version status."""
    badges: dict[str, str] = {
        StrategyVersion.Status.DRAFT: "info",
        StrategyVersion.Status.CONSULTATION: "warning",
        StrategyVersion.Status.ADOPTED: "success",
        StrategyVersion.Status.SUPERSEDED: "danger",
    }
    return badges.get(status, "info")
