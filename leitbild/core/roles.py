"""The staff roles. One permission check for the whole project: ``has_role``.

In core because permissions, the staff pages and every app check roles; the accounts app
stores who holds which role (``accounts.models.RoleAssignment``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration")
    EDITOR = "editor", _("Strategie-Redaktion")
    MODERATOR = "moderator", _("Moderation")
    ASSESSOR = "assessor", _("Bewertung")
    COUNCIL_OFFICE = "council_office", _("Ratsbüro")
    # Staff of a unit that leads projects: report the progress of their unit's projects
    # (membership: ``portfolio.OrgUnit.members``).
    PROJECT_TEAM = "project_team", _("Projektteam")


def has_role(user, *roles: str) -> bool:
    """True if the user is an active staff member holding one of ``roles``.

    Administration may do everything that any staff role may do.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    held = user.roles
    return Role.ADMIN in held or any(role in held for role in roles)
