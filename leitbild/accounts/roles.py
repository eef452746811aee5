"""Moved to ``leitbild.core.roles`` (core must not import an app); kept while branches merge."""

from leitbild.core.roles import Role, has_role

__all__ = ["Role", "has_role"]
