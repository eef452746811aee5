"""Template helpers of the implementation concept; also used by the strategy's and the idea
call's public pages to list the projects of a goal or an idea."""

from django import template

from .. import selectors
from ..models import CostType

register = template.Library()


@register.filter
def euro(value) -> str:
    return selectors.money(value)


@register.filter
def cost_type_labels(values) -> str:
    labels = dict(CostType.choices)
    return ", ".join(str(labels.get(v, v)) for v in values)


@register.simple_tag
def idea_projects(idea):
    """The public projects an idea went into (one query)."""
    return selectors.idea_projects(idea=idea)


@register.simple_tag(takes_context=True)
def goal_projects(context, goals: list[dict], goal_id: int):
    """Public projects of one goal of a snapshot field. The projects of all ``goals`` are read
    in one query on the first call and kept on the request for the other goals."""
    request = context.get("request")
    key = tuple(g["id"] for g in goals)
    memo = getattr(request, "_portfolio_goal_projects", {}) if request else {}
    if key not in memo:
        memo[key] = selectors.projects_by_goal(goal_ids=list(key))
        if request is not None:
            request._portfolio_goal_projects = memo
    return memo[key].get(goal_id, [])


@register.simple_tag
def idea_projects_staff(idea):
    """Every project an idea went into, public or not (staff pages)."""
    from ..models import Project

    return list(Project.objects.filter(idea_links__idea=idea).order_by("title").only("pk", "title"))


@register.simple_tag
def may_edit_portfolio(user) -> bool:
    from leitbild.core.roles import Role, has_role

    return has_role(user, Role.EDITOR)
