"""The cards of the home page, contributed by the apps.

``core`` never imports a domain app: an app that has something to show on the home page
registers a card in its ``AppConfig.ready``::

    register_home_card(order=10, template="strategy/home_card.html", context=summary_fn)

``context`` is called once per request with no arguments and returns the template's context
(``None`` for a card that has nothing to show right now is still rendered: the template
decides what to say then).

The section "Jetzt mitmachen" above the cards is assembled the same way: apps register what
is open now and soon (``register_home_actions``) and their latest public results
(``register_home_results``); ``home_now`` merges them in date order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class HomeCard:
    order: int
    template: str
    context: Callable[[], dict[str, Any]]


_CARDS: dict[str, HomeCard] = {}


def register_home_card(*, order: int, template: str, context: Callable[[], dict[str, Any]]):
    _CARDS[template] = HomeCard(order=order, template=template, context=context)


def home_cards() -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered card, in order."""
    return [
        (card.template, card.context()) for card in sorted(_CARDS.values(), key=lambda c: c.order)
    ]


# --- "Jetzt mitmachen": what a resident can take part in, and the latest results ---------------
@dataclass(frozen=True)
class HomeAction:
    """A phase a resident can take part in now (``url`` leads straight to where one takes
    part, ``action`` says what one does there) or soon (``url``: the page about it)."""

    kind: str  # "Ideenaufruf", "Gewichtung", "Umfrage" (translated)
    title: str
    context: str  # the process it belongs to
    starts_at: datetime
    ends_at: datetime
    url: str
    action: str


@dataclass(frozen=True)
class HomeResult:
    """Published results: the page they are on, and a chart if the app has one to show."""

    kind: str
    title: str
    context: str
    public_since: datetime
    url: str
    chart: Any = None  # a core.charts.Chart
    chart_note: str = ""


ActionsProvider = Callable[[datetime], list[HomeAction]]
ResultsProvider = Callable[[datetime], list[HomeResult]]
_ACTIONS: dict[str, ActionsProvider] = {}
_RESULTS: dict[str, ResultsProvider] = {}


def register_home_actions(name: str, provider: ActionsProvider) -> None:
    """``provider(now)`` returns the app's phases open now or starting later, in a constant
    number of queries; only phases whose page works (configured and public) belong in it."""
    _ACTIONS[name] = provider


def register_home_results(name: str, provider: ResultsProvider) -> None:
    """``provider(now)`` returns the app's latest public results, newest first, at most a few,
    in a constant number of queries (at most the first carries a chart)."""
    _RESULTS[name] = provider


@dataclass(frozen=True)
class HomeNow:
    open: list[HomeAction]  # closing soonest first
    upcoming: list[HomeAction]  # starting soonest first
    results: list[HomeResult]  # newest first
    chart: HomeResult | None  # the newest result with a chart


def home_now(now: datetime, *, results_shown: int = 3) -> HomeNow:
    actions = [a for name in sorted(_ACTIONS) for a in _ACTIONS[name](now)]
    open_now = sorted(
        (a for a in actions if a.starts_at <= now < a.ends_at), key=lambda a: a.ends_at
    )
    upcoming = sorted((a for a in actions if a.starts_at > now), key=lambda a: a.starts_at)
    results = sorted(
        (r for name in sorted(_RESULTS) for r in _RESULTS[name](now)),
        key=lambda r: r.public_since,
        reverse=True,
    )[:results_shown]
    chart = next((r for r in results if r.chart is not None), None)
    return HomeNow(open_now, upcoming, results, chart)
