"""Every kind of phase has one owner app; only the owner deletes or re-purposes its phases."""

import pytest

from leitbild.participation import phases
from leitbild.participation.models import Phase


def test_every_phase_kind_has_one_owner():
    assert phases.registered_kinds() == {
        Phase.Kind.IDEAS: "participation",
        Phase.Kind.INFORMATION: "participation",
        Phase.Kind.WEIGHTING: "consultation",
        Phase.Kind.SURVEY: "consultation",
    }


def test_a_kind_cannot_get_a_second_owner():
    with pytest.raises(ValueError, match="already owned"):
        phases.register_phase_kind(Phase.Kind.WEIGHTING, "participation")


def test_the_owner_may_and_others_may_not():
    weighting = Phase(kind=Phase.Kind.WEIGHTING)
    assert (
        phases.phase_change_refusal(phase=weighting, action=phases.DELETE, app="consultation")
        is None
    )
    assert phases.phase_change_refusal(phase=weighting, action=phases.DELETE, app="participation")
    assert phases.phase_change_refusal(
        phase=weighting, action=phases.CHANGE_KIND, app="participation"
    )


def test_an_unregistered_kind_is_refused_to_everyone():
    assert phases.phase_change_refusal(
        phase=Phase(kind="unbekannt"), action=phases.DELETE, app="participation"
    )
