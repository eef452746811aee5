"""The lead unit's project team reports progress for its unit's projects only; a single report
can be corrected or deleted by whoever may report on the project."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from leitbild.core.audit import AuditEntry
from leitbild.core.inbox import staff_inbox
from leitbild.core.roles import Role
from leitbild.monitoring import progress_services as services
from leitbild.monitoring.progress_audit import ProgressAction
from leitbild.monitoring.progress_models import Milestone, ProgressUpdate
from leitbild.monitoring.progress_selectors import MONITORED_STAGES, may_report
from leitbild.portfolio.audit import PortfolioAction
from leitbild.portfolio.models import OrgUnit, Project
from leitbild.portfolio.services import orgunit_save

from .progress_fixtures import *  # noqa: F403 (fixtures)

TODAY = timezone.localdate


@pytest.fixture
def team(make_user, project):
    """A member of the project team of ``project``'s lead unit."""
    user = make_user("team@stadt.example", roles=[Role.PROJECT_TEAM])
    unit = project.lead_unit
    orgunit_save(
        actor=None, unit=unit, name=unit.name, short_name="", kind=unit.kind, members=[user]
    )
    return user


@pytest.fixture
def other_project(make_project):
    """A project led by another unit."""
    project = make_project("Schul-WLAN")
    project.lead_unit = OrgUnit.objects.create(name="Schulamt")
    project.save()
    return project


def _report(project, **values):
    data = {"date": TODAY(), "percent": 40, "status": "plan", "text": "Es läuft."}
    data.update(values)
    return services.progress_update_create(actor=None, project=project, **data)


def _photo(colour=(200, 10, 10)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return SimpleUploadedFile("bild.png", out.getvalue(), content_type="image/png")


def test_the_team_reports_for_its_units_project(client, team, project):
    client.force_login(team)
    response = client.post(
        reverse("monitoring:progress_staff_update_create", args=[project.pk]),
        {"date": TODAY().isoformat(), "percent": "30", "status": "plan", "text": "Pilot läuft."},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.project, update.author, update.percent) == (project, team, 30)
    page = client.get(reverse("monitoring:progress_staff_project", args=[project.pk]))
    assert page.status_code == 200
    assert "Pilot läuft." in page.content.decode()
    milestones = client.get(reverse("monitoring:progress_staff_milestones", args=[project.pk]))
    assert milestones.status_code == 200


def test_the_team_may_not_touch_another_units_project(client, team, other_project):
    client.force_login(team)
    update = _report(other_project)
    for name, args in (
        ("progress_staff_project", [other_project.pk]),
        ("progress_staff_update_create", [other_project.pk]),
        ("progress_staff_milestones", [other_project.pk]),
        ("progress_staff_spending", [other_project.pk]),
        ("progress_staff_update_edit", [update.pk]),
        ("progress_staff_update_delete", [update.pk]),
    ):
        url = reverse(f"monitoring:{name}", args=args)
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"text": "x", "percent": "1"}).status_code == 403, name
    assert list(ProgressUpdate.objects.all()) == [update]
    assert ProgressUpdate.objects.get().text == "Es läuft."
    # The CSV import names any project: it stays with the Strategie-Redaktion.
    assert client.get(reverse("monitoring:progress_staff_import")).status_code == 403


def test_the_teams_overview_and_inbox_hold_only_its_projects(client, team, project, other_project):
    for p in (project, other_project):
        services.milestones_set(
            actor=None,
            project=p,
            rows=[services.MilestoneRow("Pilot", TODAY() - datetime.timedelta(days=5), None)],
        )
    client.force_login(team)
    page = client.get(reverse("monitoring:progress_staff_index")).content.decode()
    assert project.title in page and other_project.title not in page
    assert "CSV-Import" not in page  # not offered to a project team
    inbox = [e for entries in staff_inbox(team).values() for e in entries]
    entries = [e for e in inbox if "Meilenstein" in str(e.label)]
    assert [e.count for e in entries] == [1]
    assert Milestone.objects.count() == 2


def test_a_project_team_member_without_a_unit_sees_nothing(client, make_user, project):
    client.force_login(make_user("neu@stadt.example", roles=[Role.PROJECT_TEAM]))
    page = client.get(reverse("monitoring:progress_staff_index"))
    assert page.status_code == 200
    assert project.title not in page.content.decode()
    url = reverse("monitoring:progress_staff_project", args=[project.pk])
    assert client.get(url).status_code == 403


def test_the_editor_assigns_the_project_team_on_the_units_page(client, editor, team, project):
    newcomer = team.__class__.objects.create_user("zweite@stadt.example", "x" * 16)
    newcomer.role_assignments.create(role=Role.PROJECT_TEAM)
    unit = project.lead_unit
    client.force_login(editor)
    url = reverse("portfolio:staff_unit_edit", args=[unit.pk])
    page = client.get(url).content.decode()
    assert "zweite@stadt.example" in page and "team@stadt.example" in page
    response = client.post(
        url, {"name": unit.name, "kind": unit.kind, "members": [team.pk, newcomer.pk]}
    )
    assert response.status_code == 302
    assert set(unit.members.all()) == {team, newcomer}
    entry = AuditEntry.objects.filter(action=PortfolioAction.ORGUNIT_MEMBERS).latest("pk")
    assert entry.after == {"members": sorted([team.pk, newcomer.pk])}


def test_a_report_is_corrected_and_its_photo_replaced(
    client, team, project, settings, django_capture_on_commit_callbacks
):
    update = _report(project, photo=None)
    client.force_login(team)
    url = reverse("monitoring:progress_staff_update_edit", args=[update.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Es läuft." in form.content.decode()
    data = {"date": TODAY().isoformat(), "percent": "45", "status": "verzoegert"}
    response = client.post(url, {**data, "text": "Korrigiert.", "photo": _photo()})
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.percent, update.status, update.text) == (45, "verzoegert", "Korrigiert.")
    first = Path(settings.MEDIA_ROOT) / update.photo.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "text": "Neues Foto.", "photo": _photo((10, 200, 10))})
    update.refresh_from_db()
    assert update.photo and not first.exists()  # the old file is gone
    second = Path(settings.MEDIA_ROOT) / update.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "text": "Ohne Foto.", "photo_remove": "on"})
    update.refresh_from_db()
    assert not update.photo and not second.exists()
    changes = AuditEntry.objects.filter(action=ProgressAction.UPDATE_CHANGE)
    assert changes.count() == 3
    assert changes.earliest("pk").before["text"] == "Es läuft."


def test_a_bad_correction_keeps_the_input_and_changes_nothing(client, editor, project):
    update = _report(project)
    client.force_login(editor)
    url = reverse("monitoring:progress_staff_update_edit", args=[update.pk])
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url, {"date": future, "percent": "150", "status": "plan", "text": "Mein Entwurf"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mein Entwurf" in body and 'value="150"' in body
    update.refresh_from_db()
    assert (update.percent, update.text) == (40, "Es läuft.")
    assert not AuditEntry.objects.filter(action=ProgressAction.UPDATE_CHANGE).exists()


def test_a_report_is_deleted_after_confirming(
    client, team, project, settings, django_capture_on_commit_callbacks
):
    update = _report(project, photo=_cleaned_photo())
    path = Path(settings.MEDIA_ROOT) / update.photo.name
    assert path.exists()
    client.force_login(team)
    url = reverse("monitoring:progress_staff_update_delete", args=[update.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Endgültig löschen" in confirm.content.decode()
    assert ProgressUpdate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists() and not path.exists()
    entry = AuditEntry.objects.get(action=ProgressAction.UPDATE_DELETE)
    assert entry.before["text"] == "Es läuft."
    feed = client.get(reverse("monitoring:progress_project_feed", args=[project.pk]))
    assert "Es läuft." not in feed.content.decode()


def _cleaned_photo():
    from leitbild.participation.images import photo_clean

    return photo_clean(_photo())


def test_the_demo_has_a_project_team(demo_city):
    from leitbild.accounts.models import User

    member = User.objects.get(email="projektteam@musterstadt.example")
    assert member.roles == {Role.PROJECT_TEAM}
    units = list(member.org_units.all())
    assert len(units) == 1
    led = Project.objects.filter(lead_unit=units[0], stage__in=MONITORED_STAGES)
    assert led.exists()
    assert all(may_report(member, p) for p in led)
    assert not may_report(member, Project.objects.exclude(lead_unit=units[0]).first())


def test_the_teams_overview_makes_as_many_queries_for_many_projects_as_for_few(
    client, team, project, make_project
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(team)
    url = reverse("monitoring:progress_staff_index")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(6):
        p = make_project(f"Projekt {n}")
        p.lead_unit = project.lead_unit
        p.save()
        _report(p)
    assert count() == few
