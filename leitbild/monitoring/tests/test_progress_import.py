"""The CSV import of progress: documented columns, line-precise problems, all or nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from leitbild.core.models import AuditEntry
from leitbild.monitoring import progress_services as services
from leitbild.monitoring.progress_models import ProgressUpdate

from .progress_fixtures import *  # noqa: F403 (fixtures)

HEADER = "projekt_id;datum;prozent;status;text"


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def test_a_good_file_imports_every_line(project, editor):
    german = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    text = (
        f"{HEADER}\n{project.pk};{_day(30)};20;plan;Ausschreibung läuft\n"
        f'{project.pk};{german};35;Verzögert;"Lieferung; später"\n'
    )
    assert services.progress_import(actor=editor, text=text) == 2
    created = ProgressUpdate.objects.order_by("date")
    assert [(u.percent, u.status, u.text) for u in created] == [
        (20, "plan", "Ausschreibung läuft"),
        (35, "verzoegert", "Lieferung; später"),
    ]
    assert AuditEntry.objects.filter(action="monitoring.progress.import").count() == 1


def test_bad_lines_are_named_and_nothing_is_written(project, editor):
    text = (
        f"{HEADER}\n"
        f"{project.pk};{_day(5)};20;plan;gut\n"
        f"{project.pk};{_day(-3)};20;plan;Zukunft\n"
        f"{project.pk};{_day(5)};120;plan;zu viel\n"
        f"999999;{_day(5)};20;plan;kein Projekt\n"
        f"{project.pk};gestern;20;plan;kein Datum\n"
        f"{project.pk};{_day(5)};20;super;unbekannt\n"
        f"{project.pk};{_day(5)};20\n"
    )
    with pytest.raises(services.ProgressImportError) as exc:
        services.progress_import(actor=editor, text=text)
    problems = [str(p) for p in exc.value.problems]
    assert problems[0].startswith("Zeile 3: datum:") and "Zukunft" in problems[0]
    assert problems[1].startswith("Zeile 4: prozent:")
    assert problems[2] == "Zeile 5: Ein Projekt mit der Nummer „999999“ gibt es nicht."
    assert problems[3].startswith("Zeile 6: datum: „gestern“ ist kein Datum")
    assert problems[4].startswith("Zeile 7: status:")
    assert problems[5] == "Zeile 8: Erwartet sind 5 Spalten, die Zeile hat 3."
    assert not ProgressUpdate.objects.exists()


def test_a_wrong_header_is_refused(project):
    with pytest.raises(services.ProgressImportError) as exc:
        services.progress_import(actor=None, text=f"id;date\n{project.pk};{_day(1)}\n")
    assert str(exc.value.problems[0]) == (
        "Zeile 1: Die Kopfzeile muss „projekt_id;datum;prozent;status;text“ "
        "(Fortschrittsberichte) oder „projekt_id;meilenstein;geplant;erreicht“ (Meilensteine) "
        "lauten."
    )


def test_too_many_rows_and_too_many_bytes_are_refused(project, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMPORT_ROWS", 2)
    line = f"{project.pk};{_day(1)};10;plan;x\n"
    with pytest.raises(services.ProgressImportError) as exc:
        services.progress_import(actor=None, text=HEADER + "\n" + line * 3)
    assert "mehr als 2 Zeilen" in str(exc.value)
    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(services.ProgressImportError) as exc:
        services.progress_import(actor=None, text=HEADER + "\n" + "x" * 200)
    assert "größer als 1 MB" in str(exc.value)


def test_the_import_page_keeps_the_input_and_shows_the_lines(client, editor, project):
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_import")
    bad = f"{HEADER}\n{project.pk};{_day(1)};101;plan;zu viel\n"
    response = client.post(url, {"text": bad})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2: prozent:" in html
    assert "Nichts wurde importiert" in html
    assert f"{project.pk};{_day(1)};101;plan;zu viel" in html  # kept in the text field
    assert not ProgressUpdate.objects.exists()


def test_an_uploaded_file_comes_back_as_text_to_correct(client, editor, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    url = reverse("monitoring:progress_staff_import")
    content = f"{HEADER}\n{project.pk};{_day(1)};10;gestoppt;Ruht\n{project.pk};x;1;plan;y\n"
    upload = SimpleUploadedFile("fortschritt.csv", content.encode("utf-8-sig"))
    html = client.post(url, {"file": upload}).content.decode()
    assert "Zeile 3: datum:" in html and "Ruht" in html
    good = "".join(content.splitlines(True)[:2])
    upload = SimpleUploadedFile("fortschritt.csv", good.encode("utf-8"))
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().status == "gestoppt"


def test_the_milestone_variant_sets_dates_by_title_and_adds_new_ones(project, editor):
    from leitbild.monitoring.progress_models import Milestone

    start = project.starts_on
    services.milestones_set(
        actor=None,
        project=project,
        rows=[services.MilestoneRow("Pilot", start + datetime.timedelta(days=30))],
    )
    text = (
        "projekt_id;meilenstein;geplant;erreicht\n"
        f"{project.pk};pilot;{start + datetime.timedelta(days=40)};{_day(2)}\n"
        f"{project.pk};Regelbetrieb;{start + datetime.timedelta(days=400)};\n"
    )
    assert services.progress_import(actor=editor, text=text) == 2
    rows = list(Milestone.objects.values_list("title", "actual_on"))
    assert rows == [
        ("Pilot", timezone.localdate() - datetime.timedelta(days=2)),
        ("Regelbetrieb", None),
    ]


def test_a_bad_milestone_line_is_named_and_nothing_changes(project, editor):
    from leitbild.monitoring.progress_models import Milestone

    start = project.starts_on
    text = (
        "projekt_id;meilenstein;geplant;erreicht\n"
        f"{project.pk};Gut;{start};\n"
        f"{project.pk};Zu früh;{start};{start - datetime.timedelta(days=1)}\n"
        f"{project.pk};;morgen;\n"
    )
    with pytest.raises(services.ProgressImportError) as exc:
        services.progress_import(actor=editor, text=text)
    problems = [str(p) for p in exc.value.problems]
    assert problems[0].startswith("Zeile 3: erreicht:") and "vor dem Projektbeginn" in problems[0]
    assert problems[1] == "Zeile 4: meilenstein: Bitte geben Sie den Meilenstein an."
    assert problems[2].startswith("Zeile 4: geplant: „morgen“ ist kein Datum")
    assert not Milestone.objects.exists()
