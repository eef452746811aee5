"""The demo city's progress, and every progress URL answering each role as the access table
says (with the demo's samples, as ``core/tests/test_url_access.py`` does for all URLs)."""

import pytest
from django.test import Client
from django.urls import reverse

from leitbild.core.tests.access_table import URL_ACCESS
from leitbild.core.tests.test_url_access import _request, _verdict
from leitbild.core.tests.urlwalk import all_urls, normalise
from leitbild.monitoring import progress_demo, progress_selectors
from leitbild.monitoring.progress_models import Milestone, ProgressStatus, ProgressUpdate


@pytest.fixture
def demo_city(db, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    from leitbild.core.demo import demo_load

    demo_load()
    progress_demo.load()


def test_the_demo_shows_on_time_late_stopped_and_silent_projects(demo_city, client):
    assert progress_selectors.late_milestones()
    assert progress_selectors.stale_projects()
    statuses = set(ProgressUpdate.objects.values_list("status", flat=True).order_by().distinct())
    assert {ProgressStatus.ON_TRACK, ProgressStatus.DELAYED, ProgressStatus.STOPPED} <= statuses
    assert ProgressUpdate.objects.exclude(photo="").exists()
    first = ProgressUpdate.objects.earliest("date").date
    last = ProgressUpdate.objects.latest("date").date
    assert (last - first).days > 365
    count = Milestone.objects.count()
    progress_demo.load()  # a second load changes nothing
    assert Milestone.objects.count() == count
    html = client.get(reverse("monitoring:progress_overview")).content.decode()
    assert "Umsetzungsmonitor" in html and "überfällig" in html


def test_every_progress_url_answers_each_role_as_the_table_says(demo_city, staff_users):
    samples = progress_demo.url_samples()
    visitors = {"anonymous": None, **staff_users}
    problems = []
    urls = [u for u in all_urls() if (u.name or "").startswith("monitoring:progress_")]
    assert len(urls) == 12
    for url in urls:
        kwargs = samples.get(url.name, {})
        path = reverse(url.name, kwargs=kwargs) if kwargs else reverse(url.name)
        access = normalise(URL_ACCESS[url.name])
        for who, user in visitors.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            wrong = _verdict(url.name, access, user, _request(client, path))
            if wrong:
                problems.append(f"{url.name} as {who}: {wrong}")
    assert problems == []
