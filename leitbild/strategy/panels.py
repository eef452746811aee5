"""Parts of a version's public page contributed by other apps.

The strategy knows nothing of the council; the council registers what it shows on a version's
page in its ``AppConfig.ready``::

    register_version_panel(order=10, template="council/_version_panel.html", context=fn)

``context(version)`` returns the template's context, or ``None`` when there is nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[Any], dict | None]


_PANELS: dict[str, Panel] = {}


def register_version_panel(*, order: int, template: str, context: Callable[[Any], dict | None]):
    _PANELS[template] = Panel(order, template, context)


def version_panels(version) -> list[tuple[str, dict]]:
    found = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(version)
        if context is not None:
            found.append((panel.template, context))
    return found


# The consultation sequence of versions for the API, provided by the council app:
# ``provider(versions)`` returns version pk → list of step dicts (see ``api.StepOut``).
_STEPS: list[Callable[[list], dict[int, list[dict]]]] = []


def register_steps_provider(provider: Callable[[list], dict[int, list[dict]]]) -> None:
    _STEPS[:] = [provider]


def version_steps(versions: list) -> dict[int, list[dict]]:
    if not _STEPS:
        return {v.pk: [] for v in versions}
    return _STEPS[0](versions)


# Parts of the strategy's public page (e.g. its timeline), keyed by template like the above.
_STRATEGY_PANELS: dict[str, Panel] = {}


def register_strategy_panel(*, order: int, template: str, context: Callable[[Any], dict | None]):
    _STRATEGY_PANELS[template] = Panel(order, template, context)


def strategy_panels(strategy) -> list[tuple[str, dict]]:
    found = []
    for panel in sorted(_STRATEGY_PANELS.values(), key=lambda p: p.order):
        context = panel.context(strategy)
        if context is not None:
            found.append((panel.template, context))
    return found
