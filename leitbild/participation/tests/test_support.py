import pytest
from django.db import IntegrityError

from leitbild.participation import services
from leitbild.participation.models import Support


def test_a_visitor_supports_an_idea_once(idea):
    assert services.idea_support(idea=idea, visitor="a" * 64) is True
    assert services.idea_support(idea=idea, visitor="a" * 64) is False
    assert services.idea_support(idea=idea, visitor="b" * 64) is True
    idea.refresh_from_db()
    assert idea.support_count == 2


def test_the_database_refuses_a_second_support_of_the_same_visitor(idea):
    Support.objects.create(idea=idea, visitor="v")
    with pytest.raises(IntegrityError):
        Support.objects.create(idea=idea, visitor="v")


def test_support_is_refused_after_the_phase(idea):
    later = idea.process.phases.get().ends_at
    with pytest.raises(services.NotAllowed):
        services.idea_support(idea=idea, visitor="x", now=later)


def test_support_by_cookie_over_http_counts_once(client, idea):
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/"
    client.post(url)
    client.post(url)
    idea.refresh_from_db()
    assert idea.support_count == 1
    cookie = client.cookies["lb_besucher"]  # through core.cookies: signed, HttpOnly, Lax
    assert cookie.value and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain http outside production


def test_support_over_htmx_answers_with_the_button_region(client, idea):
    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/"
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="unterstuetzung"' in response.content.decode()
    assert "1 Person unterstützt" in response.content.decode()


def test_support_is_rate_limited_per_client(client, idea, settings, make_idea):
    settings.LEITBILD_PARTICIPATION_RATE_LIMITS = {"support": (2, 3600)}
    ideas = [idea] + [make_idea(idea.process, title=f"Idee Nummer {n}") for n in range(3)]
    for i in ideas:
        client.post(f"/beteiligung/{i.process.slug}/ideen/{i.pk}/unterstuetzen/")
    assert Support.objects.count() == 2


def test_support_with_verified_email_counts_after_the_link(
    client, make_process, make_idea, mailoutbox, django_capture_on_commit_callbacks
):
    process = make_process("mit-mail", support_requires_verified_email=True)
    idea = make_idea(process)
    response = client.post(f"/beteiligung/{process.slug}/ideen/{idea.pk}/unterstuetzen/")
    assert response.status_code == 302 and "per-e-mail" in response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"email": "eva@example.org"})
    assert Support.objects.count() == 0
    link = next(line for line in mailoutbox[0].body.splitlines() if "/unterstuetzung/" in line)
    path = link[link.index("/beteiligung/") :]
    assert client.get(path).status_code == 200
    client.post(path)
    client.post(path)
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert "eva@example.org" not in str(list(Support.objects.values_list("visitor", flat=True)))


def test_a_refused_support_says_it_was_not_counted_over_htmx(client, idea, settings):
    settings.LEITBILD_PARTICIPATION_RATE_LIMITS = {"support": (0, 3600)}
    response = client.post(
        f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "nicht gezählt" in page and 'role="alert"' in page
    assert "bereits" not in page and "Danke" not in page
    assert "Idee unterstützen" in page  # the button stays for a later try
    assert Support.objects.count() == 0


def test_a_refused_support_says_it_was_not_counted_without_javascript(client, idea, settings):
    settings.LEITBILD_PARTICIPATION_RATE_LIMITS = {"support": (0, 3600)}
    response = client.post(
        f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/", follow=True
    )
    page = response.content.decode()
    assert "nicht gezählt" in page and "Danke für Ihre Unterstützung" not in page
    assert Support.objects.count() == 0


def test_first_visit_clicks_without_a_visitor_cookie_count_once(idea):
    from django.test import Client

    url = f"/beteiligung/{idea.process.slug}/ideen/{idea.pk}/unterstuetzen/"
    # Concurrent first clicks all carry the CSRF cookie of the page, none a visitor cookie.
    for _ in range(3):
        Client(HTTP_COOKIE="csrftoken=" + "k" * 32).post(url)
    # A client that drops every cookie is one visitor per address.
    for _ in range(3):
        Client().post(url)
    idea.refresh_from_db()
    assert idea.support_count == 2


def test_a_support_from_a_browser_says_whether_it_counted(
    idea, closed_process, make_idea, moderator
):
    limited = services.idea_support_from_browser(idea=idea, token="t" * 43, limited=True)
    assert limited[0] is False and "zu viele" in limited[1]
    assert services.idea_support_from_browser(idea=idea, token="t" * 43, limited=False) == (
        True,
        "Danke für Ihre Unterstützung!",
    )
    again = services.idea_support_from_browser(idea=idea, token="t" * 43, limited=False)
    assert again == (None, "Sie unterstützen diese Idee bereits.")
    idea.refresh_from_db()
    assert idea.support_count == 1
    ended = make_idea(closed_process, title="Vorbei", actor=moderator)
    refused, text = services.idea_support_from_browser(idea=ended, token="t" * 43, limited=False)
    assert refused is False and text.startswith("Ihre Unterstützung wurde nicht gezählt: ")
