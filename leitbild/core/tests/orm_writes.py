"""Find ORM writes in a module's source: the demo loaders must write only through services.

A write is a call of ``.create``, ``.bulk_create``, ``.bulk_update``, ``.get_or_create``,
``.update_or_create``, ``.update``, ``.save`` or ``.delete`` on anything (a manager, a queryset
or a model instance); a call of a service (``services.idea_submit(...)``) is not. Reported as
``(line, source of the call)``, so an allow-list can name each justified exception.
"""

import ast
from pathlib import Path

WRITES = frozenset(
    {
        "create",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "update",
        "save",
        "delete",
    }
)


def orm_writes(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            found.append((node.lineno, ast.get_source_segment(source, node) or ""))
    return sorted(found)


def module_orm_writes(module) -> list[tuple[int, str]]:
    return orm_writes(Path(module.__file__).read_text(encoding="utf-8"))
