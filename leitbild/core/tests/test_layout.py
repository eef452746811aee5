"""The house rules of docs/architecture.md, checked on the source: the direction of imports
and thin views."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # leitbild/
FOUNDATION = {"core", "numerics"}
DOMAIN = {
    "accounts",
    "strategy",
    "participation",
    "consultation",
    "portfolio",
    "council",
    "monitoring",
    "documents",
}
MAX_VIEW_LINES = 40


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        yield relative, ast.parse(path.read_text(), filename=str(path))


def _area(relative: Path) -> str | None:
    return relative.parts[0] if len(relative.parts) > 1 else None


def _imported_areas(relative: Path, tree: ast.AST) -> set[str]:
    """The top-level packages under ``leitbild`` this module imports (absolute or relative)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(relative.parent.parts)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(["leitbild", *base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = [module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "leitbild" and len(parts) > 1:
                found.add(parts[1])
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for relative, tree in _modules():
        area = _area(relative)
        if area is None or "tests" in relative.parts:
            continue
        graph.setdefault(area, set()).update(_imported_areas(relative, tree) - {area})
    return graph


def test_core_and_numerics_never_import_a_domain_app():
    graph = _graph()
    offenders = {area: sorted(graph.get(area, set()) & DOMAIN) for area in FOUNDATION}
    assert offenders == {area: [] for area in FOUNDATION}


def test_numerics_imports_no_other_part_of_leitbild():
    assert _graph().get("numerics", set()) == set()


def test_the_apps_import_each_other_without_a_cycle():
    graph = _graph()
    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append([*visiting[visiting.index(node) :], node])
            return
        visiting.append(node)
        for target in sorted(graph.get(node, set())):
            visit(target)
        visiting.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []


def _views():
    for relative, tree in _modules():
        if "tests" in relative.parts or not relative.name.endswith("views.py"):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield f"{relative}:{node.name}", node.end_lineno - node.lineno + 1


def test_views_are_thin():
    """Views translate HTTP only; a view above 40 lines holds a decision that belongs in a
    service or selector."""
    long = {name: lines for name, lines in _views() if lines > MAX_VIEW_LINES}
    assert long == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from leitbild.strategy import selectors", {"strategy"}),
        ("from ..participation.models import Idea", {"participation"}),
        ("import leitbild.portfolio.models", {"portfolio"}),
        ("from .models import Page", {"core"}),
    ],
)
def test_the_import_reader_understands_every_form(source, expected):
    assert _imported_areas(Path("core/views.py"), ast.parse(source)) == expected


def _imported_modules(relative: Path, tree: ast.AST) -> set[str]:
    """The last part of every module name this module imports from its own app."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.module:
                names.add(node.module.split(".")[0])
            names.update(alias.name for alias in node.names)
    return names


def test_selectors_read_without_services_and_views_import_no_views():
    offenders = []
    for relative, tree in _modules():
        if "tests" in relative.parts:
            continue
        imported = _imported_modules(relative, tree)
        if "selectors" in relative.stem and any("services" in name for name in imported):
            offenders.append(str(relative))
        if relative.stem.endswith("views") and any(n.endswith("views") for n in imported):
            offenders.append(str(relative))
    assert offenders == []


@pytest.mark.parametrize(
    "source", ["from .views import ballot", "from . import views", "from .services import x"]
)
def test_the_layer_reader_sees_imports_within_an_app(source):
    names = _imported_modules(Path("consultation/staff_views.py"), ast.parse(source))
    assert names & {"views", "services"}
