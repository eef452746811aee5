"""What a visitor may do now, as small predicates: one testable line per question.

The views ask these before they show a form and the services ask them again before they write,
so a form posted after the phase ended is refused on the server whatever the page showed.
"""

from datetime import datetime

from django.utils import timezone

from .models import Idea, Phase, Process


def open_phase(process: Process, *, kind: str, now: datetime | None = None) -> Phase | None:
    """The phase of ``kind`` that is open at ``now``, if any.

    Uses ``process.phases.all()`` so that a prefetched list costs no query.
    """
    now = now or timezone.now()
    for phase in process.phases.all():
        if phase.kind == kind and phase.is_open(now):
            return phase
    return None


def idea_call_open(process: Process, *, now: datetime | None = None) -> bool:
    return open_phase(process, kind=Phase.Kind.IDEAS, now=now) is not None


def may_submit_idea(process: Process, *, now: datetime | None = None) -> bool:
    return idea_call_open(process, now=now)


def may_support(idea: Idea, *, now: datetime | None = None) -> bool:
    return idea.is_public and idea_call_open(idea.process, now=now)


def may_comment(idea: Idea, *, now: datetime | None = None) -> bool:
    return idea.is_public and idea_call_open(idea.process, now=now)


def may_report(idea: Idea) -> bool:
    """Reports stay possible after the phase: problems do not end with it."""
    return idea.is_public
