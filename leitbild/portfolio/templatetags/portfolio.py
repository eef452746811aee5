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


@register.simple_tag
def field_projects(field: dict):
    """Public projects per goal id of a snapshot field (one query)."""
    return selectors.projects_by_goal(goal_ids=[g["id"] for g in field.get("goals", [])])


@register.filter
def of_goal(projects_by_goal: dict, goal_id):
    return projects_by_goal.get(goal_id, [])
