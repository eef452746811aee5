import re
from datetime import timedelta

import pytest
from django.utils import timezone

from leitbild.core.models import AuditEntry
from leitbild.core.roles import Role
from leitbild.participation import services
from leitbild.participation.models import (
    Idea,
    IdeaStatus,
    Phase,
    Process,
    ReasonTemplate,
    Workshop,
)

from .conftest import image_bytes


@pytest.fixture
def staff_paths(process, idea):
    comment = services.comment_add(idea=idea, text="Hallo")
    report = services.report_create(idea=idea, reason="spam")
    phase = process.phases.get()
    workshop = Workshop.objects.create(
        process=process, title="Politik", held_on=timezone.localdate(), stakeholder_group="politik"
    )
    template = ReasonTemplate.objects.create(title="Zuständigkeit", text="Nicht zuständig.")
    base = "/beteiligung/verwaltung"
    return {
        "get": [
            f"{base}/",
            f"{base}/verfahren/neu/",
            f"{base}/verfahren/{process.slug}/",
            f"{base}/verfahren/{process.slug}/phasen/neu/",
            f"{base}/phasen/{phase.pk}/",
            f"{base}/verfahren/{process.slug}/workshops/neu/",
            f"{base}/workshops/{workshop.pk}/",
            f"{base}/verfahren/{process.slug}/moderation/",
            f"{base}/verfahren/{process.slug}/ideen/",
            f"{base}/verfahren/{process.slug}/ideen/erfassen/",
            f"{base}/ideen/{idea.pk}/",
            f"{base}/ideen/{idea.pk}/status/",
            f"{base}/ideen/{idea.pk}/bearbeiten/",
            f"{base}/ideen/{idea.pk}/zusammenfuehren/",
            f"{base}/textbausteine/",
            f"{base}/textbausteine/{template.pk}/",
        ],
        "post": [
            f"{base}/ideen/{idea.pk}/freigeben/",
            f"{base}/kommentare/{comment.pk}/",
            f"{base}/meldungen/{report.pk}/",
            f"{base}/ideen/{idea.pk}/sperren/",
        ],
    }


def test_every_staff_page_renders_for_moderation(moderator_client, staff_paths):
    for path in staff_paths["get"]:
        response = moderator_client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path


def test_staff_pages_need_a_login(client, staff_paths):
    for path in staff_paths["get"] + staff_paths["post"]:
        response = client.get(path) if path in staff_paths["get"] else client.post(path)
        assert response.status_code == 302 and "/anmelden/" in response["Location"], path


def test_other_roles_cannot_moderate(client, make_user, staff_paths):
    client.force_login(make_user("bewertung@stadt.example", roles=[Role.ASSESSOR]))
    for path in staff_paths["get"]:
        assert client.get(path).status_code == 403, path
    for path in staff_paths["post"]:
        assert client.post(path).status_code == 403, path


def test_editors_configure_processes_but_do_not_moderate(client, make_user, process):
    client.force_login(make_user("redaktion@stadt.example", roles=[Role.EDITOR]))
    assert client.get(f"/beteiligung/verwaltung/verfahren/{process.slug}/").status_code == 200
    assert (
        client.get(f"/beteiligung/verwaltung/verfahren/{process.slug}/moderation/").status_code
        == 403
    )


def test_staff_create_a_process_with_a_phase(moderator_client, strategy):
    response = moderator_client.post(
        "/beteiligung/verwaltung/verfahren/neu/",
        {
            "strategy": strategy.pk,
            "title": "Ideenaufruf 2026",
            "slug": "ideen-2026",
            "moderation": "pre",
            "email_retention_days": 30,
            "map_lat": "52.43",
            "map_lon": "10.79",
            "map_zoom": 13,
        },
    )
    assert response.status_code == 302
    process = Process.objects.get(slug="ideen-2026")
    response = moderator_client.post(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/phasen/neu/",
        {
            "kind": "ideas",
            "title": "Ideen",
            "starts_at": "2026-01-01T10:00",
            "ends_at": "2025-12-01T10:00",
        },
    )
    assert "nach dem Beginn" in response.content.decode()
    moderator_client.post(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/phasen/neu/",
        {
            "kind": "ideas",
            "title": "Ideen",
            "starts_at": "2026-01-01T10:00",
            "ends_at": "2026-02-01T10:00",
        },
    )
    assert Phase.objects.filter(process=process).count() == 1
    assert {"process.create", "phase.create"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_reserved_slugs_are_refused(moderator_client, strategy):
    response = moderator_client.post(
        "/beteiligung/verwaltung/verfahren/neu/",
        {
            "strategy": strategy.pk,
            "title": "X",
            "slug": "verwaltung",
            "moderation": "pre",
            "email_retention_days": 30,
            "map_lat": "52",
            "map_lon": "10",
            "map_zoom": 13,
        },
    )
    assert "reserviert" in response.content.decode()


def test_staff_enter_a_postcard_with_photo(moderator_client, process, action_fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = moderator_client.post(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/ideen/erfassen/",
        {
            "source": "postkarte",
            "title": "Mehr Mülleimer",
            "description": "Im Park fehlen sie.",
            "action_fields": [action_fields[2].pk],
            "address": "Stadtpark",
            "photo": SimpleUploadedFile("karte.jpg", image_bytes(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.source == "postkarte" and idea.is_public and idea.photo


def test_workshop_source_needs_the_workshop(moderator_client, process, action_fields):
    response = moderator_client.post(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/ideen/erfassen/",
        {
            "source": "workshop",
            "title": "Aus dem Workshop",
            "description": "Ergebnis " * 3,
            "action_fields": [action_fields[0].pk],
        },
    )
    assert 'id="id_workshop_error"' in response.content.decode()


def test_the_queue_lists_new_ideas_waiting_comments_and_reports(
    moderator_client, make_process, make_idea, moderator
):
    process = make_process("vorab", moderation="pre")
    idea = make_idea(process, title="Wartende Idee")
    services.idea_approve(actor=moderator, idea=make_idea(process, title="Freie Idee"))
    free = Idea.objects.get(title="Freie Idee")
    services.comment_add(idea=free, text="Wartender Kommentar")
    services.report_create(idea=free, reason="spam", text="Gemeldet weil")
    html = moderator_client.get(
        f"/beteiligung/verwaltung/verfahren/{process.slug}/moderation/"
    ).content.decode()
    assert "Wartende Idee" in html and "Wartender Kommentar" in html and "Gemeldet weil" in html
    moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{idea.pk}/freigeben/", {"weiter": "queue"}
    )
    idea.refresh_from_db()
    assert idea.is_public


def test_reject_with_a_text_block(moderator_client, idea):
    template = ReasonTemplate.objects.create(title="Bund", text="Dafür ist der Bund zuständig.")
    response = moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{idea.pk}/status/",
        {"status": "rejected", "template": template.pk},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    assert idea.status_reason == "Dafür ist der Bund zuständig."


def test_reject_without_reason_is_explained(moderator_client, idea):
    response = moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{idea.pk}/status/", {"status": "rejected"}
    )
    assert 'id="id_reason_error"' in response.content.decode()


def test_edit_shows_the_moderation_note_publicly(moderator_client, client, idea, action_fields):
    moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{idea.pk}/bearbeiten/",
        {
            "title": idea.title,
            "description": "Ohne Telefonnummer. " * 3,
            "action_fields": [action_fields[0].pk],
            "note": "Telefonnummer entfernt",
        },
    )
    html = client.get(f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/").content.decode()
    assert "bearbeitet durch Moderation" in html and "Telefonnummer entfernt" in html


def test_merge_by_number(moderator_client, process, make_idea):
    kept = make_idea(process, title="Bleibt")
    gone = make_idea(process, title="Geht")
    response = moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{gone.pk}/zusammenfuehren/", {"into": kept.pk}
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.merged_into == kept
    again = moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{gone.pk}/zusammenfuehren/", {"into": kept.pk}
    )
    assert "bereits zusammengeführt" in again.content.decode()


def test_a_candidate_of_the_merge_table_is_merged_with_one_button(
    moderator_client, process, make_idea
):
    """No idea number to type: each row of the candidate table is a form of its own."""
    kept = make_idea(process, title="Radweg Ring")
    other = make_idea(process, title="Radweg Nord")
    gone = make_idea(process, title="Radweg am Ring")
    page = moderator_client.get(
        f"/beteiligung/verwaltung/ideen/{gone.pk}/zusammenfuehren/?suche=Radweg"
    ).content.decode()
    forms = re.findall(r'<form method="post" class="lb-inline-form">(.*?)</form>', page, re.S)
    assert len(forms) == 2
    row = next(f for f in forms if f'name="into" value="{kept.pk}"' in f)
    assert "hier zusammenführen" in row and f"Radweg Ring (Nr. {kept.pk})" in row
    response = moderator_client.post(
        f"/beteiligung/verwaltung/ideen/{gone.pk}/zusammenfuehren/",
        dict(re.findall(r'name="(into)" value="(\d+)"', row)),
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    other.refresh_from_db()
    assert gone.merged_into == kept and other.merged_into is None
    assert AuditEntry.objects.filter(action__endswith="idea.merge").count() == 1


def test_phase_edit_and_delete(moderator_client, process):
    phase = process.phases.get()
    start = timezone.localtime(phase.starts_at)
    moderator_client.post(
        f"/beteiligung/verwaltung/phasen/{phase.pk}/",
        {
            "kind": "ideas",
            "title": "Umbenannt",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    phase.refresh_from_db()
    assert phase.title == "Umbenannt"
    moderator_client.post(f"/beteiligung/verwaltung/phasen/{phase.pk}/", {"loeschen": "1"})
    assert not Phase.objects.exists()


def test_the_process_form_names_the_strategy_field_in_german(moderator_client):
    # Issue #12: the German form labelled this field "Strategy" (the model field's name).
    html = moderator_client.get("/beteiligung/verwaltung/verfahren/neu/").content.decode()
    assert ">Strategie<" in html or ">Strategie " in html
    assert ">Strategy<" not in html
