"""Participation codes: generation, CSV, printable letters, the command, deleting files."""

import csv
import io

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from leitbild.consultation import services
from leitbild.consultation.models import CodeBatch, ParticipationCode
from leitbild.core.models import AuditEntry
from leitbild.documents.letters import hash_code


def test_staff_generate_codes_and_download_the_csv(editor_client, make_weighting):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    url = reverse("consultation:staff_codes", args=[weighting.phase_id])
    response = editor_client.post(url, {"count": "25"})
    assert response.status_code == 302
    batch = CodeBatch.objects.get()
    download = editor_client.get(
        reverse("consultation:staff_code_download", args=[batch.pk, "csv"])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == 25
    assert rows[0]["url"].endswith(f"/mitmachen/gewichtung/{weighting.phase_id}/")
    stored = set(ParticipationCode.objects.values_list("code_hash", flat=True))
    assert {hash_code(row["code"]) for row in rows} == stored
    assert AuditEntry.objects.filter(action="consultation.codes_generate").exists()


def test_letters_are_one_page_per_code(editor_client, make_weighting):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=3)
    response = editor_client.post(reverse("consultation:staff_code_letters", args=[batch.pk]))
    assert response.status_code == 302
    pdf = editor_client.get(reverse("consultation:staff_code_download", args=[batch.pk, "pdf"]))
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == 3
    text = reader.pages[1].extract_text()
    assert services.batch_codes(batch)[1] in text.replace(" ", "")


def test_letters_point_to_site_url_and_are_signed_by_the_configured_unit(make_weighting, settings):
    from django.utils import timezone
    from django.utils.formats import date_format

    from leitbild.core.services import site_letter_sender_set

    settings.SITE_URL = "http://127.0.0.1:8080"
    for field in ("DEPARTMENT", "ADDRESS", "EMAIL", "PHONE"):
        setattr(settings, f"LEITBILD_LETTER_{field}", "")
    settings.LEITBILD_LETTER_PHONE = "01234 5678-0"
    site_letter_sender_set(
        actor=None,
        department="Stabsstelle Digitalisierung und Smart City",
        address="Rathausplatz 1, 12345 Musterstadt",
        email="smartcity@musterstadt.example",
        phone="09999 1",
    )
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=1)
    path = services.codes_letters_build(batch=batch)
    lines = PdfReader(str(path)).pages[0].extract_text().splitlines()
    assert f"http://127.0.0.1:8080/mitmachen/gewichtung/{weighting.phase_id}/" in lines
    assert "Stabsstelle Digitalisierung und Smart City" in lines
    assert "smartcity@musterstadt.example" in lines
    assert "01234 5678-0" in lines  # the setting wins over the site setting
    assert date_format(timezone.localdate(), "j. F Y") in lines
    assert "Stadt Musterstadt · Rathausplatz 1 · 12345 Musterstadt" in lines


def test_many_letters_are_rendered_as_a_background_task(
    editor_client, make_weighting, monkeypatch, django_capture_on_commit_callbacks
):
    from leitbild.consultation import staff_views
    from leitbild.core.models import TaskProgress

    monkeypatch.setattr(staff_views, "LETTERS_IN_REQUEST", 1)
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("consultation:staff_code_letters", args=[batch.pk]))
    assert "/verwaltung/aufgaben/" in response["Location"]
    progress = TaskProgress.objects.get()
    assert progress.status == TaskProgress.Status.DONE
    batch.refresh_from_db()
    assert batch.has_pdf


def test_deleting_the_files_leaves_only_hashes(editor_client, make_weighting):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    batch = services.codes_generate(actor=None, phase=weighting.phase, count=2)
    path = services.batch_file(batch, "csv")
    assert path.exists() and oct(path.stat().st_mode)[-3:] == "600"
    editor_client.post(
        reverse("consultation:staff_code_files_delete", args=[batch.pk]), {"loeschen": "1"}
    )
    assert not path.exists()
    assert (
        editor_client.get(
            reverse("consultation:staff_code_download", args=[batch.pk, "csv"])
        ).status_code
        == 404
    )
    assert ParticipationCode.objects.count() == 2


def test_the_command_writes_csv_and_keeps_no_private_copy(make_weighting, tmp_path):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    out = tmp_path / "codes.csv"
    call_command(
        "codes",
        "generate",
        str(weighting.phase_id),
        "--count",
        "5",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5
    batch = CodeBatch.objects.get()
    assert not services.batch_file(batch, "csv").exists()


def test_the_command_writes_letters_as_pdf(make_weighting, tmp_path):
    weighting = make_weighting("pick", mode="codes", pick_k=2)
    out = tmp_path / "briefe.pdf"
    call_command(
        "codes",
        "generate",
        str(weighting.phase_id),
        "--count",
        "2",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert len(PdfReader(str(out)).pages) == 2
