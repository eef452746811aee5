"""Which identity counts for which mode: one service decides, for ballots and surveys alike."""

import pytest

from leitbild.consultation import identity, services
from leitbild.consultation.models import Participation
from leitbild.consultation.services import Access
from leitbild.core.errors import NotAllowed

TOKEN = "b" * 32


def test_open_mode_counts_the_browser_and_gives_a_new_browser_a_token(make_weighting):
    phase = make_weighting(mode="open").phase
    known = services.participation_identity(
        phase=phase, mode="open", access=Access(browser_token=TOKEN, proof="hash:x", code="C")
    )
    assert known.identity_hash == identity.browser_identity(TOKEN)
    assert (known.code, known.new_browser_token, known.grant_spent) == ("", "", False)
    for cookie in ("", "zu-kurz", "x" * 65):
        fresh = services.participation_identity(
            phase=phase, mode="open", access=Access(browser_token=cookie)
        )
        assert 20 <= len(fresh.new_browser_token) <= 64
        assert fresh.identity_hash == identity.browser_identity(fresh.new_browser_token)


def test_open_mode_keeps_the_hash_a_browser_took_part_under_before_a_key_rotation(
    make_weighting, settings
):
    phase = make_weighting(mode="open").phase
    old = identity.browser_identity(TOKEN)
    Participation.objects.create(phase=phase, identity_hash=old)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    who = services.participation_identity(
        phase=phase, mode="open", access=Access(browser_token=TOKEN)
    )
    assert who.identity_hash == old


def test_codes_mode_counts_the_typed_code_else_the_one_proven_at_the_start(make_weighting):
    phase = make_weighting(mode="codes").phase
    typed = services.participation_identity(
        phase=phase, mode="codes", access=Access(proof="code:ALT", code="NEU", browser_token=TOKEN)
    )
    assert (typed.code, typed.identity_hash, typed.grant_spent) == ("NEU", "", False)
    proven = services.participation_identity(
        phase=phase, mode="codes", access=Access(proof="code:ALT")
    )
    assert (proven.code, proven.grant_spent) == ("ALT", True)
    nothing = services.participation_identity(
        phase=phase, mode="codes", access=Access(proof="hash:abc")
    )
    assert (nothing.code, nothing.identity_hash, nothing.grant_spent) == ("", "", False)


@pytest.mark.parametrize("mode", ["email", "oidc"])
def test_email_and_oidc_count_the_proven_hash_and_spend_its_grant(make_weighting, mode):
    phase = make_weighting(mode="open").phase
    who = services.participation_identity(
        phase=phase, mode=mode, access=Access(proof="hash:abc", code="C", browser_token=TOKEN)
    )
    assert (who.identity_hash, who.code, who.grant_spent, who.new_browser_token) == (
        "abc",
        "",
        True,
        "",
    )
    unproven = services.participation_identity(
        phase=phase, mode=mode, access=Access(proof="code:C")
    )
    assert unproven.identity_hash == ""


def test_an_unproven_identity_is_refused_by_the_claim_after_the_ballot_is_checked(
    make_weighting, fields
):
    weighting = make_weighting("pick", mode="email", pick_k=2)
    with pytest.raises(services.ParticipationRefused) as refused:
        services.ballot_submit(weighting=weighting, choices=[fields[0].pk], access=Access())
    assert isinstance(refused.value, NotAllowed)
    assert refused.value.code == "participation_refused"
    assert refused.value.status == 403
    assert str(refused.value) == str(services.REFUSAL)
    assert not Participation.objects.exists()


def test_ballot_submit_casts_for_the_identity_of_the_mode_and_says_what_to_keep(
    make_weighting, fields
):
    weighting = make_weighting("pick", mode="email", pick_k=2, allow_changes=True)
    receipt = services.ballot_submit(
        weighting=weighting, choices=[fields[0].pk], access=Access(proof="hash:abc")
    )
    assert Participation.objects.get().identity_hash == "abc"
    assert receipt.identity.grant_spent and receipt.change_token
    changed = services.ballot_submit(
        weighting=weighting,
        choices=[fields[1].pk],
        access=Access(),
        change_token=receipt.change_token,
        changing=True,
    )
    assert changed.identity is None and changed.change_token == receipt.change_token
    assert Participation.objects.count() == 1
