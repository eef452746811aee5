"""The council's decision on a version: never dated in the future, and correctable afterwards
by the Ratsbüro or Administration with a reason that the audit log keeps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role
from leitbild.strategy import services
from leitbild.strategy.models import StrategyVersion

from .conftest import adopt

pytestmark = pytest.mark.django_db
Status = StrategyVersion.Status


@pytest.fixture
def version(framework, editor):
    return services.draft_freeze(actor=editor, strategy=framework)


@pytest.fixture
def adopted(version):
    return adopt(version, on=datetime.date(2024, 3, 21))


@pytest.fixture
def council_office(make_user):
    return make_user("ratsbuero@stadt.example", roles=[Role.COUNCIL_OFFICE])


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def _decision_url(version) -> str:
    return reverse(
        "strategy:council_version_decision", args=[version.strategy.slug, version.number]
    )


def test_adopting_refuses_a_decision_dated_in_the_future(version, editor):
    services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)

    with pytest.raises(ValidationError) as exc:
        services.version_set_status(
            actor=editor,
            version=version,
            status=Status.ADOPTED,
            decided_on=_tomorrow(),
            decision_reference="DS 2030/0001",
        )
    assert "in der Zukunft" in exc.value.message_dict["decided_on"][0]
    version.refresh_from_db()
    assert (version.status, version.decided_on) == (Status.CONSULTATION, None)


def test_a_decision_taken_today_is_accepted(version, editor):
    services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)
    services.version_set_status(
        actor=editor,
        version=version,
        status=Status.ADOPTED,
        decided_on=timezone.localdate(),
        decision_reference="DS 2026/0001",
    )
    version.refresh_from_db()
    assert version.status == Status.ADOPTED


def test_the_status_form_shows_the_message_next_to_the_date_and_keeps_the_input(
    client, editor, version
):
    services.version_set_status(actor=editor, version=version, status=Status.CONSULTATION)
    client.force_login(editor)
    url = reverse("strategy:staff_version", args=[version.strategy.slug, version.number])

    response = client.post(
        url, {"status": "adopted", "decided_on": "2030-01-01", "decision_reference": "DS 1/2030"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    error = page.split('id="id_decided_on_error"', 1)[1].split("</p>", 1)[0]
    assert "in der Zukunft" in error
    assert 'value="2030-01-01"' in page and 'value="DS 1/2030"' in page
    version.refresh_from_db()
    assert version.status == Status.CONSULTATION


def test_the_ratsbuero_corrects_the_decision_with_an_audited_reason(
    client, council_office, adopted
):
    client.force_login(council_office)
    url = _decision_url(adopted)
    page = client.get(url).content.decode()
    assert f'value="{adopted.decided_on:%Y-%m-%d}"' in page

    response = client.post(
        url,
        {
            "decided_on": "2024-03-14",
            "decision_reference": " DS 2024/0399 ",
            "reason": "Datum aus der Niederschrift übernommen",
        },
    )

    assert response.status_code == 302
    adopted.refresh_from_db()
    assert adopted.decided_on == datetime.date(2024, 3, 14)
    assert adopted.decision_reference == "DS 2024/0399"
    assert adopted.status == Status.ADOPTED
    entry = AuditEntry.objects.get(action="strategy.version.decision")
    assert entry.actor == council_office
    assert entry.before["decided_on"] != entry.after["decided_on"]
    assert entry.after["reason"] == "Datum aus der Niederschrift übernommen"
    assert "Der Beschluss wurde korrigiert" in client.get(url).content.decode()


def test_a_correction_dated_in_the_future_is_refused_next_to_the_date(
    client, council_office, adopted
):
    client.force_login(council_office)
    before = (adopted.decided_on, adopted.decision_reference)

    response = client.post(
        _decision_url(adopted),
        {"decided_on": f"{_tomorrow():%Y-%m-%d}", "decision_reference": "DS 9", "reason": "neu"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    error = page.split('id="id_decided_on_error"', 1)[1].split("</p>", 1)[0]
    assert "in der Zukunft" in error
    assert 'value="DS 9"' in page
    adopted.refresh_from_db()
    assert (adopted.decided_on, adopted.decision_reference) == before
    assert not AuditEntry.objects.filter(action="strategy.version.decision").exists()


def test_a_correction_needs_a_reason(client, council_office, adopted):
    client.force_login(council_office)

    response = client.post(
        _decision_url(adopted),
        {"decided_on": "2024-03-14", "decision_reference": "DS 9", "reason": " "},
    )

    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.version_decision_correct(
            actor=council_office,
            version=adopted,
            decided_on=datetime.date(2024, 3, 14),
            decision_reference="DS 9",
            reason=" ",
        )
    assert set(exc.value.message_dict) == {"reason"}
    adopted.refresh_from_db()
    assert adopted.decided_on == datetime.date(2024, 3, 21)


def test_an_unchanged_decision_is_not_recorded_as_a_correction(council_office, adopted):
    with pytest.raises(ValidationError):
        services.version_decision_correct(
            actor=council_office,
            version=adopted,
            decided_on=adopted.decided_on,
            decision_reference=adopted.decision_reference,
            reason="nur geprüft",
        )


def test_a_version_never_adopted_has_no_decision_to_correct(client, council_office, version):
    client.force_login(council_office)
    assert client.get(_decision_url(version)).status_code == 404


def test_an_editor_without_the_role_cannot_correct_the_decision(client, editor, adopted):
    client.force_login(editor)
    before = (adopted.decided_on, adopted.decision_reference)

    response = client.post(
        _decision_url(adopted),
        {"decided_on": "2024-01-01", "decision_reference": "DS 1", "reason": "weil"},
    )

    assert response.status_code == 403
    adopted.refresh_from_db()
    assert (adopted.decided_on, adopted.decision_reference) == before
    version_page = reverse("strategy:staff_version", args=[adopted.strategy.slug, adopted.number])
    assert "Beschluss korrigieren" not in client.get(version_page).content.decode()


def test_administration_corrects_from_the_version_page(client, make_user, adopted):
    admin = make_user("admin@stadt.example", roles=[Role.ADMIN])
    client.force_login(admin)
    version_page = reverse("strategy:staff_version", args=[adopted.strategy.slug, adopted.number])
    assert f'action="{_decision_url(adopted)}"' in client.get(version_page).content.decode()
    public = reverse("strategy:version_detail", args=[adopted.strategy.slug, adopted.number])
    assert _decision_url(adopted) in client.get(public).content.decode()

    client.post(
        _decision_url(adopted),
        {"decided_on": "2024-03-01", "decision_reference": "DS 7", "reason": "Tippfehler"},
    )

    adopted.refresh_from_db()
    assert adopted.decided_on == datetime.date(2024, 3, 1)
