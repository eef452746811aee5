from django import template

register = template.Library()

_BADGES = {
    "submitted": "kern-badge--info",
    "published": "kern-badge--info",
    "in_review": "kern-badge--warning",
    "accepted": "kern-badge--success",
    "rejected": "kern-badge--danger",
    "removed": "kern-badge--danger",
}


@register.filter
def status_badge(status: str) -> str:
    """The KERN badge modifier for an idea status."""
    return _BADGES.get(status, "kern-badge--info")
