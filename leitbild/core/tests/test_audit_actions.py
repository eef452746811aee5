"""Audit actions are registered enumerations with translated labels, and the audit log shows
the labels.

``core.audit.audit_record`` refuses an unregistered action; the source walk below also checks
that every call passes an enumeration member, not a string that happens to match.
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import models
from django.utils.translation import gettext_lazy

from leitbild.accounts.audit import AccountAction
from leitbild.consultation.audit import ConsultationAction
from leitbild.core import audit
from leitbild.core.audit import CoreAction, action_label, audit_record, audited_save
from leitbild.core.models import AuditEntry, Page
from leitbild.participation.audit import STATUS_ACTIONS, ParticipationAction
from leitbild.participation.services import TRANSITIONS
from leitbild.portfolio.audit import STAGE_ACTIONS, PortfolioAction
from leitbild.portfolio.models import Stage
from leitbild.strategy.audit import StrategyAction

PACKAGE = Path(__file__).resolve().parents[2]
# The apps whose every audit call passes an enumeration member: all that audit.
CONVERTED_APPS = ("core", "strategy", "accounts", "participation", "consultation", "portfolio")
ENUMS = {
    cls.__name__: cls
    for cls in (
        CoreAction,
        StrategyAction,
        AccountAction,
        ParticipationAction,
        ConsultationAction,
        PortfolioAction,
    )
}
AUDIT_CALLS = {"audit_record", "audited_save"}


def test_every_action_of_every_app_is_registered_with_a_label():
    registered = audit.registered_actions()
    for enum in ENUMS.values():
        for member in enum:
            assert member.value in registered, member
            assert action_label(member.value) == str(member.label) != member.value


def test_an_old_or_unknown_action_is_shown_as_it_is():
    assert action_label("etwas.altes") == "etwas.altes"


def test_audit_record_refuses_an_unregistered_action(db):
    with pytest.raises(ValueError, match="not registered"):
        audit_record(actor=None, action="gibt.es.nicht", object_type="x")
    audit_record(actor=None, action=CoreAction.PAGE_UPDATE, object_type="x")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["page.update"]


def test_the_mappings_cover_every_status_and_stage():
    targets = set().union(*TRANSITIONS.values())
    assert targets <= set(STATUS_ACTIONS)
    assert set(STAGE_ACTIONS) == set(Stage.values)


# --- The source walk ------------------------------------------------------------------------


def _modules():
    for app in CONVERTED_APPS:
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            yield path


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def _assignments(function: ast.AST, name: str) -> list[ast.expr]:
    return [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]


def _values(node: ast.expr, *, function, module, where: str) -> set[str]:
    """The action values an expression can have; fails on anything but enum members, a
    choice between them, or a lookup in a module-level mapping of them."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        enum = ENUMS.get(node.value.id)
        assert enum is not None, f"{where}: {node.value.id} is no registered action enum"
        return {enum[node.attr].value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, function=function, module=module, where=where) | _values(
            node.orelse, function=function, module=module, where=where
        )
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        mapping = getattr(module, node.value.id)
        assert all(isinstance(v, models.TextChoices) for v in mapping.values()), where
        return {v.value for v in mapping.values()}
    if isinstance(node, ast.Name):
        parameters = {a.arg for a in (*function.args.args, *function.args.kwonlyargs)}
        if node.id in parameters:
            return set()  # handed through: the callers are checked
        found = _assignments(function, node.id)
        assert found, f"{where}: cannot tell what {node.id} is"
        return set().union(
            *(_values(v, function=function, module=module, where=where) for v in found)
        )
    raise AssertionError(f"{where}: the action is not an enumeration member: {ast.unparse(node)}")


def test_every_action_the_converted_apps_record_is_a_registered_member():
    registered = audit.registered_actions()
    seen: set[str] = set()
    calls = 0
    for path in _modules():
        tree = ast.parse(path.read_text())
        module = None
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                if name not in AUDIT_CALLS:
                    continue
                action = next((k.value for k in call.keywords if k.arg == "action"), None)
                where = f"{path.relative_to(PACKAGE)}:{call.lineno}"
                assert action is not None, f"{where}: {name} without action="
                module = module or importlib.import_module(_module_name(path))
                values = _values(action, function=function, module=module, where=where)
                assert values <= set(registered), f"{where}: {values - set(registered)}"
                seen |= values
                calls += 1
    assert calls > 40  # the walk found the services
    assert {"strategy.goal.update", "idea.status.removed", "portfolio.budget.update"} <= seen


# --- The one audited save -------------------------------------------------------------------


@pytest.fixture
def page(db):
    return Page.objects.create(slug="impressum", title="Impressum", body="alt")


def test_audited_save_records_before_and_after(page, make_user):
    actor = make_user(roles=["admin"])
    before = audit.snapshot(page)
    audited_save(
        actor=actor,
        obj=page,
        action=CoreAction.PAGE_UPDATE,
        before=before,
        values={"body": "neu"},
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "page.update" and entry.actor == actor
    assert entry.before["body"] == "alt" and entry.after["body"] == "neu"
    assert Page.objects.get().body == "neu"


def test_audited_save_writes_nothing_for_invalid_input(page):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audited_save(
            actor=None,
            obj=page,
            action=CoreAction.PAGE_UPDATE,
            before=audit.snapshot(page),
            values={"title": ""},
        )
    assert not AuditEntry.objects.exists()
    assert Page.objects.get().title == "Impressum"


# --- The audit log page ---------------------------------------------------------------------


def test_the_audit_log_shows_readable_labels_and_filters_by_action(admin_client, page):
    audited_save(
        actor=None,
        obj=page,
        action=CoreAction.PAGE_UPDATE,
        before=audit.snapshot(page),
        values={"body": "neu"},
    )
    audit_record(actor=None, action=ParticipationAction.EMAIL_BLOCK, object_type="x")
    html = admin_client.get("/verwaltung/protokoll/").content.decode()
    assert "Rechtliche Seite geändert" in html and "E-Mail-Adresse gesperrt" in html
    assert ">page.update<" not in html
    filtered = admin_client.get("/verwaltung/protokoll/?aktion=page.update").content.decode()
    rows = filtered.split("<tbody", 1)[1]
    assert "Rechtliche Seite geändert" in rows and "E-Mail-Adresse gesperrt" not in rows
    by_type = admin_client.get("/verwaltung/protokoll/?typ=core.Page").content.decode()
    rows = by_type.split("<tbody", 1)[1]
    assert "Rechtliche Seite geändert" in rows and "E-Mail-Adresse gesperrt" not in rows
    # An action nobody registered filters nothing away instead of failing.
    assert admin_client.get("/verwaltung/protokoll/?aktion=gibt.es.nicht").status_code == 200


class _Sample(models.TextChoices):
    # A label whose English translation is in the catalogue already.
    SAMPLE = "test.sample", gettext_lazy("Änderungsprotokoll")


def test_the_audit_log_shows_the_label_in_the_visitors_language(
    admin_client, settings, monkeypatch, db
):
    monkeypatch.setattr(audit, "_ACTIONS", dict(audit._ACTIONS))
    audit.register_actions(_Sample)
    audit_record(actor=None, action=_Sample.SAMPLE, object_type="x")
    german = admin_client.get("/verwaltung/protokoll/").content.decode()
    assert '<td class="kern-table__cell">Änderungsprotokoll</td>' in german
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = admin_client.get("/verwaltung/protokoll/").content.decode()
    assert '<td class="kern-table__cell">Audit log</td>' in english
    assert ">test.sample<" not in english
