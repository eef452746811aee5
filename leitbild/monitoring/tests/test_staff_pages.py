"""The Strategie-Redaktion's pages: indicators with their state, a form per indicator,
deleting a value, CSV upload; 403 for other roles."""

import datetime

import pytest
from django.urls import reverse

from leitbild.core.inbox import staff_inbox
from leitbild.core.roles import Role
from leitbild.monitoring.models import Measurement

from .conftest import measure


@pytest.mark.parametrize("name", ["monitoring:staff_indicators", "monitoring:staff_import"])
def test_other_roles_are_refused(client_for, name):
    for role in (Role.MODERATOR, Role.ASSESSOR, Role.COUNCIL_OFFICE):
        assert client_for(role).get(reverse(name)).status_code == 403


def test_the_form_of_an_indicator_is_refused_to_a_moderator(client_for, indicator):
    url = reverse("monitoring:staff_indicator", args=[indicator.pk])

    response = client_for(Role.MODERATOR).post(url, {"value": "1", "measured_on": "2025-01-01"})

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_the_list_shows_each_indicator_with_its_state_and_latest_value(editor_client, indicator):
    measure(indicator, datetime.date(2025, 1, 1), 12)
    measure(indicator, datetime.date(2025, 6, 30), 14)

    page = editor_client.get(reverse("monitoring:staff_indicators")).content.decode()

    assert indicator.name in page
    assert "nicht auf Kurs" in page
    assert "14 (30.06.2025)" in page


def test_the_list_can_show_only_indicators_off_track(editor_client, indicator):
    measure(indicator, datetime.date(2025, 1, 1), 12)

    off = editor_client.get(reverse("monitoring:staff_indicators"), {"zustand": "off_track"})
    on = editor_client.get(reverse("monitoring:staff_indicators"), {"zustand": "on_track"})

    assert indicator.name in off.content.decode()
    assert indicator.name not in on.content.decode()


def test_a_measurement_is_added_through_the_form(editor_client, indicator):
    url = reverse("monitoring:staff_indicator", args=[indicator.pk])

    response = editor_client.post(
        url,
        {"value": "33,5", "measured_on": "2025-06-30", "source": "Zählung", "provisional": "on"},
        follow=True,
    )

    assert "Der Messwert wurde eingetragen." in response.content.decode()
    measurement = Measurement.objects.get()
    assert str(measurement.value) == "33.500" and measurement.provisional
    assert measurement.created_by is not None


def test_a_refused_measurement_reshows_the_form_with_the_message_and_the_input(
    editor_client, indicator
):
    url = reverse("monitoring:staff_indicator", args=[indicator.pk])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()

    response = editor_client.post(
        url, {"value": "zwölf", "measured_on": tomorrow, "comment": "mein Kommentar"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "„zwölf“ ist keine Zahl." in page
    assert "Der Stichtag liegt in der Zukunft" in page
    assert 'value="zwölf"' in page and "mein Kommentar" in page
    assert 'id="id_value_error"' in page
    assert not Measurement.objects.exists()


def test_deleting_asks_first_and_deletes_on_post(editor_client, indicator):
    measurement = measure(indicator, datetime.date(2025, 1, 1), 12)
    url = reverse("monitoring:staff_measurement_delete", args=[measurement.pk])

    ask = editor_client.get(url)
    assert ask.status_code == 200 and "Ja, löschen" in ask.content.decode()
    assert Measurement.objects.exists()

    response = editor_client.post(url)

    assert response["Location"] == reverse("monitoring:staff_indicator", args=[indicator.pk])
    assert not Measurement.objects.exists()


def test_a_good_csv_upload_imports(editor_client, indicator):
    content = f"indikator_id;datum;wert\n{indicator.pk};2025-06-30;20\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post(
        reverse("monitoring:staff_import"),
        {"file": SimpleUploadedFile("werte.csv", content, content_type="text/csv")},
        follow=True,
    )

    assert "1 Messwert wurde importiert." in response.content.decode()
    assert Measurement.objects.count() == 1


def test_a_bad_csv_upload_lists_its_errors_next_to_the_field_and_keeps_the_content(
    editor_client, indicator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"indikator_id;datum;wert\n{indicator.pk};2025-06-30;viel\n".encode()

    response = editor_client.post(
        reverse("monitoring:staff_import"),
        {"file": SimpleUploadedFile("werte.csv", content, content_type="text/csv")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2, Spalte „wert“: „viel“ ist keine Zahl." in page
    assert 'aria-describedby="id_file_hint id_file_problems"' in page
    assert f"{indicator.pk};2025-06-30;viel" in page  # in the text field, to correct
    assert not Measurement.objects.exists()


def test_the_corrected_content_can_be_sent_back_as_text(editor_client, indicator):
    response = editor_client.post(
        reverse("monitoring:staff_import"),
        {"text": f"indikator_id;datum;wert\n{indicator.pk};2025-06-30;12\n"},
    )

    assert response.status_code == 302
    assert Measurement.objects.count() == 1


def test_an_empty_upload_is_refused_at_the_field(editor_client, db):
    response = editor_client.post(reverse("monitoring:staff_import"), {})

    assert response.status_code == 200
    assert "Bitte wählen Sie eine Datei" in response.content.decode()


def test_the_inbox_counts_indicators_off_track_for_the_editors(staff_users, indicator):
    measure(indicator, datetime.date(2025, 1, 1), 11)

    entries = staff_inbox(staff_users[Role.EDITOR])["waits"]
    moderator_entries = staff_inbox(staff_users[Role.MODERATOR])["waits"]

    found = [e for e in entries if "nicht auf Kurs" in e.label]
    assert [(e.count, e.url) for e in found] == [
        (1, reverse("monitoring:staff_indicators") + "?zustand=off_track")
    ]
    assert not [e for e in moderator_entries if "nicht auf Kurs" in e.label]


def test_the_staff_home_offers_the_area_to_editors(client_for, db):
    page = client_for(Role.EDITOR).get(reverse("core:staff_home")).content.decode()

    assert reverse("monitoring:staff_indicators") in page
    other = client_for(Role.MODERATOR).get(reverse("core:staff_home")).content.decode()
    assert reverse("monitoring:staff_indicators") not in other
