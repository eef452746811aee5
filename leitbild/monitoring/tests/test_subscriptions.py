"""E-mail subscriptions to a project's progress reports: double opt-in, a working unsubscribe
link in every report mail, the address kept only for that."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from leitbild.monitoring import progress_services
from leitbild.monitoring import subscription_services as services
from leitbild.monitoring.models import ProgressSubscription

from .progress_fixtures import *  # noqa: F403 (fixtures)

ADDRESS = "anwohnerin@example.org"


@pytest.fixture(autouse=True)
def _mail_sent_at_once(settings):
    """The task worker's part, done in the test: a queued mail lands in ``mail.outbox``."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _page(project) -> str:
    return reverse("monitoring:progress_project", args=[project.pk])


def _subscribe(client, project, email=ADDRESS):
    with TestCase.captureOnCommitCallbacks(execute=True):  # mails are queued on commit
        return client.post(
            reverse("monitoring:subscription_request", args=[project.pk]), {"email": email}
        )


def _link(body: str, kind: str) -> str:
    found = re.search(rf"https?://\S+/umsetzung/monitor/abo/{kind}/\S+/", body)
    assert found is not None, body
    return found.group(0)[found.group(0).index("/umsetzung/") :]


def _report(project, text="Die Sensoren sind eingebaut."):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return progress_services.progress_update_create(
            actor=None,
            project=project,
            date=timezone.localdate(),
            percent=40,
            status="plan",
            text=text,
        )


def _confirmed(client, project, email=ADDRESS):
    mail.outbox.clear()
    _subscribe(client, project, email)
    response = client.get(_link(mail.outbox[0].body, "bestaetigen"))
    assert response.status_code == 200
    mail.outbox.clear()
    return response


def test_the_project_page_has_the_form_with_label_and_privacy_note(client, project):
    page = client.get(_page(project)).content.decode()
    assert 'action="' + reverse("monitoring:subscription_request", args=[project.pk]) in page
    assert '<label class="kern-label" for="id_email">Ihre E-Mail-Adresse' in page
    assert "Wir speichern nur Ihre E-Mail-Adresse" in page
    assert "nach 7 Tagen" in page


def test_double_opt_in_end_to_end(client, project):
    response = _subscribe(client, project)
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert project.title in mail.outbox[0].body
    assert ProgressSubscription.objects.get().confirmed_at is None

    link = _link(mail.outbox[0].body, "bestaetigen")
    confirmed = client.get(link)
    assert confirmed.status_code == 200
    assert "Abonnement bestätigt" in confirmed.content.decode()
    assert ProgressSubscription.objects.get().confirmed_at is not None
    assert client.get(link).status_code == 404  # the link is spent

    mail.outbox.clear()
    _report(project, "Die Sensoren sind eingebaut.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert "Die Sensoren sind eingebaut." in mail.outbox[0].body


def test_the_token_is_stored_only_as_a_hash(client, project):
    _subscribe(client, project)
    token = _link(mail.outbox[0].body, "bestaetigen").rstrip("/").rsplit("/", 1)[1]
    assert token not in str(ProgressSubscription.objects.values().get())


def test_an_unconfirmed_address_gets_no_report(client, project):
    _subscribe(client, project)
    mail.outbox.clear()
    _report(project)
    assert mail.outbox == []


def test_only_subscribers_of_that_project_are_written_to(client, project, make_project):
    other = make_project("Bürgerhaushalt")
    _confirmed(client, other)
    _report(project)
    assert mail.outbox == []


def test_every_report_mail_unsubscribes_and_deletes_the_address(client, project):
    _confirmed(client, project, "eins@example.org")
    _confirmed(Client(), project, "zwei@example.org")
    _report(project)
    assert sorted(m.to[0] for m in mail.outbox) == ["eins@example.org", "zwei@example.org"]
    links = {m.to[0]: _link(m.body, "abbestellen") for m in mail.outbox}
    assert len(set(links.values())) == 2

    link = links["eins@example.org"]
    page = client.get(link)
    assert page.status_code == 200
    assert "Abbestellen" in page.content.decode()
    assert ProgressSubscription.objects.count() == 2  # a GET (a mail scanner) changes nothing
    done = client.post(link)
    assert done.status_code == 200
    assert "Ihre E-Mail-Adresse ist gelöscht" in done.content.decode()
    assert list(ProgressSubscription.objects.values_list("email", flat=True)) == [
        "zwei@example.org"
    ]
    assert client.get(link).status_code == 404

    mail.outbox.clear()
    _report(project, "Zweiter Bericht")
    assert [m.to for m in mail.outbox] == [["zwei@example.org"]]


@pytest.mark.parametrize("kind", ["bestaetigen", "abbestellen"])
@pytest.mark.parametrize("token", ["x" * 43, "kurz", "a:b:c"])
def test_a_bad_token_answers_the_invalid_link_page(client, db, kind, token):
    response = client.get(f"/umsetzung/monitor/abo/{kind}/{token}/")
    assert response.status_code == 404
    assert "Dieser Link ist ungültig oder abgelaufen" in response.content.decode()


def test_an_expired_confirmation_link_is_refused(client, project):
    _subscribe(client, project)
    link = _link(mail.outbox[0].body, "bestaetigen")
    ProgressSubscription.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=services.CONFIRM_HOURS + 1)
    )
    assert client.get(link).status_code == 404
    assert ProgressSubscription.objects.get().confirmed_at is None


def test_an_invalid_address_keeps_the_input_with_a_message(client, project):
    response = _subscribe(client, project, "keine-adresse")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in page
    assert 'value="keine-adresse"' in page
    assert 'id="id_email_error"' in page
    assert mail.outbox == []
    assert not ProgressSubscription.objects.exists()


def test_a_second_request_tells_nothing_and_sends_nothing_for_a_subscriber(client, project):
    _confirmed(client, project)
    again = _subscribe(Client(), project, ADDRESS.upper())
    assert "Bitte sehen Sie in Ihr Postfach" in again.content.decode()
    assert mail.outbox == []
    assert ProgressSubscription.objects.count() == 1


def test_requests_are_rate_limited(client, project, settings):
    settings.LEITBILD_MONITORING_RATE_LIMITS = {"subscribe": (2, 3600)}
    for n in range(2):
        _subscribe(client, project, f"person{n}@example.org")
    response = _subscribe(client, project, "person9@example.org")
    assert response.status_code == 200
    assert "Zu viele Anfragen" in response.content.decode()
    assert 'value="person9@example.org"' in response.content.decode()
    assert len(mail.outbox) == 2


def test_a_project_not_public_cannot_be_subscribed(client, make_project):
    hidden = make_project("Geheim", is_public=False)
    assert _subscribe(client, hidden).status_code == 404
    assert mail.outbox == []


def test_the_address_is_in_no_api_feed_or_export(client, project, editor):
    _confirmed(client, project)
    _report(project)
    urls = [
        f"/api/v1/projects/{project.pk}",
        "/api/v1/projects",
        "/api/v1/projects.geojson",
        reverse("monitoring:progress_feed"),
        reverse("monitoring:progress_project_feed", args=[project.pk]),
        _page(project),
        reverse("portfolio:project_detail", args=[project.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"anwohnerin" not in response.content, url
    staff = Client()
    staff.force_login(editor)
    for fmt in ("csv", "xlsx"):
        response = staff.get(reverse("portfolio:staff_export", args=[fmt]))
        assert response.status_code == 200
        assert b"anwohnerin" not in b"".join(response), fmt


def test_unconfirmed_requests_are_purged_after_seven_days(client, project, make_project):
    _confirmed(client, project, "bleibt@example.org")
    _subscribe(client, project, "geht@example.org")
    ProgressSubscription.objects.filter(email="geht@example.org").update(
        created_at=timezone.now() - datetime.timedelta(days=services.UNCONFIRMED_DAYS, hours=1)
    )
    ProgressSubscription.objects.filter(email="bleibt@example.org").update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    call_command("subscriptions_purge", stdout=open("/dev/null", "w"))
    assert list(ProgressSubscription.objects.values_list("email", flat=True)) == [
        "bleibt@example.org"
    ]


def test_an_import_of_several_reports_sends_one_mail_with_the_newest(client, project):
    _confirmed(client, project)
    today = timezone.localdate()
    earlier, later = (today - datetime.timedelta(days=d) for d in (20, 2))
    lines = [
        "projekt_id;datum;prozent;status;text",
        f"{project.pk};{earlier.isoformat()};20;plan;Vergabe erfolgt.",
        f"{project.pk};{later.isoformat()};45;plan;Sensoren eingebaut.",
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert progress_services.progress_import(actor=None, text="\n".join(lines)) == 2
    assert len(mail.outbox) == 1
    assert "Sensoren eingebaut." in mail.outbox[0].body
