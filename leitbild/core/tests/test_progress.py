"""The one progress mechanism: a task reports, the page that started it shows a live bar."""

import pytest
from django_tasks import task

from leitbild.core.models import TaskProgress
from leitbild.core.progress import progress_run, progress_start


@task()
def counting_task(progress_id: str, steps: int) -> int:
    with progress_run(progress_id) as reporter:
        for step in range(1, steps + 1):
            reporter.update(done=step, total=steps, message=f"Schritt {step}")
        reporter.finish(result_url="/ergebnis/", result_label="Ergebnis ansehen")
    return steps


@task()
def failing_task(progress_id: str) -> None:
    with progress_run(progress_id):
        raise ValueError("Die Datei ist leer.")


@pytest.fixture
def immediate_tasks(settings):
    # django_tasks re-reads TASKS when the setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_finished_task_shows_its_result(
    admin_client, django_capture_on_commit_callbacks, immediate_tasks, make_user
):
    user = make_user("a@stadt.example", roles=["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        progress = progress_start(label="Zählen", started_by=user, task=counting_task, args=(3,))
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.percent == 100
    html = admin_client.get(f"/verwaltung/aufgaben/{progress.pk}/status/").content.decode()
    assert "Ergebnis ansehen" in html
    assert "hx-get" not in html  # finished: the page stops polling


def test_a_failed_task_shows_a_clear_error(
    admin_client, django_capture_on_commit_callbacks, immediate_tasks, make_user
):
    user = make_user("a@stadt.example", roles=["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        progress = progress_start(label="Lesen", started_by=user, task=failing_task)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED
    html = admin_client.get(f"/verwaltung/aufgaben/{progress.pk}/").content.decode()
    assert "Die Datei ist leer." in html


def test_a_running_task_is_polled_with_htmx(client, make_user):
    user = make_user("r@stadt.example", roles=["editor"])
    progress = TaskProgress.objects.create(
        label="Export", started_by=user, done=2, total=8, status=TaskProgress.Status.RUNNING
    )
    client.force_login(user)
    html = client.get(f"/verwaltung/aufgaben/{progress.pk}/").content.decode()
    assert f'hx-get="/verwaltung/aufgaben/{progress.pk}/status/"' in html
    assert 'value="25"' in html


def test_the_progress_page_has_a_way_back(client, make_user):
    user = make_user("r@stadt.example", roles=["editor"])
    progress = TaskProgress.objects.create(label="Export", started_by=user)
    client.force_login(user)
    html = client.get(f"/verwaltung/aufgaben/{progress.pk}/").content.decode()
    assert 'href="/verwaltung/"' in html and "Zurück zur Verwaltung" in html


def test_others_cannot_see_a_task_they_did_not_start(client, make_user):
    owner = make_user("r@stadt.example", roles=["editor"])
    other = make_user("m@stadt.example", roles=["moderator"])
    progress = TaskProgress.objects.create(label="Export", started_by=owner)
    client.force_login(other)
    assert client.get(f"/verwaltung/aufgaben/{progress.pk}/").status_code == 404


def test_the_worker_runs_a_backup_started_in_the_browser(
    admin_client, transactional_db, settings, tmp_path
):
    """End to end with the database task backend and the real worker command, with real
    commits as in production (the worker closes connections left inside a transaction)."""
    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    response = admin_client.post("/verwaltung/system/")
    progress = TaskProgress.objects.get()
    assert response["Location"] == f"/verwaltung/aufgaben/{progress.pk}/"
    assert progress.status == TaskProgress.Status.WAITING
    call_command("worker", "--batch", verbosity=0)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE, progress.message
    assert progress.result_url.startswith("/verwaltung/system/sicherungen/leitbild-")
    download = admin_client.get(progress.result_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
