"""Consultation's layers: thin views, no view importing a view, selectors and models below
services and statistics."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent
VIEW_MODULES = ("views.py", "staff_views.py")
MAX_VIEW_LINES = 40


def _tree(name: str) -> ast.Module:
    return ast.parse((APP / name).read_text())


def _imported(name: str) -> set[str]:
    """Every module a module of the app imports (anywhere, also inside functions)."""
    found: set[str] = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}".replace("..", ".") for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_every_view_function_is_short(module):
    too_long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in _tree(module).body
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    }
    assert too_long == {}


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_views_module_imports_another(module):
    other = {m[:-3] for m in VIEW_MODULES} - {module[:-3]}
    for name in _imported(module):
        assert not any(name.rstrip(".").endswith(o) for o in other), name


def test_selectors_do_not_import_services():
    assert not any("services" in name for name in _imported("selectors.py"))


def test_models_do_not_import_statistics_or_services():
    imported = _imported("models.py")
    assert not any("statistics" in name or "services" in name for name in imported)
