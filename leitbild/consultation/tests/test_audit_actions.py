"""Consultation's audit actions are an enumeration, registered with readable labels."""

import ast
from pathlib import Path

from leitbild.consultation.audit import ConsultationAction
from leitbild.core.audit import action_label, registered_actions

APP = Path(__file__).resolve().parent.parent


def test_every_consultation_action_is_registered_with_its_label():
    known = registered_actions()
    for member in ConsultationAction:
        assert member.value.startswith("consultation.")
        assert member.value in known
        assert action_label(member.value) == str(member.label) != member.value


def test_every_audit_record_call_passes_a_member_of_the_enumeration():
    calls = 0
    for path in APP.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                action = next(k.value for k in node.keywords if k.arg == "action")
                assert isinstance(action, ast.Attribute), f"{path.name}:{node.lineno}"
                assert getattr(action.value, "id", "") == "ConsultationAction"
                assert action.attr in ConsultationAction.__members__
                calls += 1
    assert calls == len(ConsultationAction)
