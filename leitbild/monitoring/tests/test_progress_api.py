"""A published project's progress in the open-data API: milestones, reports and money, no
personal data (no author, no photo)."""

import datetime

from django.utils import timezone

from leitbild.monitoring import progress_services as services

from .progress_fixtures import *  # noqa: F403 (fixtures)


def test_the_project_detail_carries_its_progress(client, project, editor):
    today = timezone.localdate()
    services.milestones_set(
        actor=None,
        project=project,
        rows=[
            services.MilestoneRow(
                "Ausschreibung",
                today - datetime.timedelta(days=200),
                today - datetime.timedelta(days=190),
            ),
            services.MilestoneRow("Inbetriebnahme", today - datetime.timedelta(days=10)),
        ],
    )
    services.progress_update_create(
        actor=editor,
        project=project,
        date=today - datetime.timedelta(days=3),
        percent=40,
        status="verzoegert",
        text="Die Sensoren kommen später.",
    )
    body = client.get(f"/api/v1/projects/{project.pk}").json()
    progress = body["progress"]
    assert progress["percent"] == 40 and progress["status"] == "verzoegert"
    assert [m["late"] for m in progress["milestones"]] == [False, True]
    assert progress["reports"][0]["text"] == "Die Sensoren kommen später."
    assert {m["year"] for m in progress["money"]} == {today.year - 1, today.year}
    assert "redakteurin" not in str(body) and "author" not in progress["reports"][0]


def test_money_is_left_out_when_the_costs_are_not_public(client, make_project):
    project = make_project(costs_public=False)
    progress = client.get(f"/api/v1/projects/{project.pk}").json()["progress"]
    assert progress["money"] is None and progress["reports"] == []
