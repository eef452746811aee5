"""The cards of the home page, contributed by the apps.

``core`` never imports a domain app: an app that has something to show on the home page
registers a card in its ``AppConfig.ready``::

    register_home_card(order=10, template="strategy/home_card.html", context=summary_fn)

``context`` is called once per request with no arguments and returns the template's context
(``None`` for a card that has nothing to show right now is still rendered: the template
decides what to say then).
"""

from collections.abc import Callable
from dataclasses import dataclass
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
