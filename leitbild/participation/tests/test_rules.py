from datetime import timedelta

import pytest
from django.utils import timezone

from leitbild.participation import rules
from leitbild.participation.models import Phase


def test_visitor_may_submit_while_the_idea_call_is_open(process):
    assert rules.may_submit_idea(process)


def test_visitor_may_not_submit_after_the_idea_call_ended(closed_process):
    assert not rules.may_submit_idea(closed_process)


def test_visitor_may_not_submit_before_the_idea_call_starts(process):
    before = process.phases.get().starts_at - timedelta(minutes=1)
    assert not rules.may_submit_idea(process, now=before)


def test_the_phase_end_is_exclusive(process):
    end = process.phases.get().ends_at
    assert rules.may_submit_idea(process, now=end - timedelta(seconds=1))
    assert not rules.may_submit_idea(process, now=end)


def test_a_weighting_phase_does_not_open_the_idea_call(process):
    process.phases.all().delete()
    now = timezone.now()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.WEIGHTING,
        title="Gewichtung",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    assert not rules.may_submit_idea(process)


def test_visitor_may_support_and_comment_a_published_idea_in_the_phase(idea):
    assert rules.may_support(idea)
    assert rules.may_comment(idea)


def test_visitor_may_not_support_an_idea_awaiting_premoderation(make_process, make_idea):
    process = make_process("vorab", moderation="pre")
    idea = make_idea(process)
    assert not idea.is_public
    assert not rules.may_support(idea)
    assert not rules.may_comment(idea)


@pytest.mark.parametrize("days", [1, 30])
def test_visitor_may_not_support_or_comment_after_the_phase(idea, days):
    later = idea.process.phases.get().ends_at + timedelta(days=days)
    assert not rules.may_support(idea, now=later)
    assert not rules.may_comment(idea, now=later)


def test_reports_stay_possible_after_the_phase(idea):
    assert rules.may_report(idea)
