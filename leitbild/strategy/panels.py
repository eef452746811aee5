"""Parts of the strategy's pages contributed by other apps, and the council's steps for the API.

The strategy knows nothing of the council; the council registers what it shows in its
``AppConfig.ready``::

    register_panel("version", order=10, template="council/_version_panel.html", context=fn)

Places: ``"version"`` (a version's public page; ``context(version)``), ``"strategy"`` (the
strategy's public page; ``context(strategy)``), ``"compare"`` (the comparison of two versions;
``context(old, new)``), ``"staff_strategy"`` (the Redaktion's page of a strategy;
``context(strategy)``). ``context`` returns the template's context, or ``None`` when there is
nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[..., dict | None]


_PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(place: str, *, order: int, template: str, context: Callable[..., dict | None]):
    _PANELS.setdefault(place, {})[template] = Panel(order, template, context)


def panels(place: str, *args: Any) -> list[tuple[str, dict]]:
    found = []
    for panel in sorted(_PANELS.get(place, {}).values(), key=lambda p: p.order):
        context = panel.context(*args)
        if context is not None:
            found.append((panel.template, context))
    return found


def version_panels(version) -> list[tuple[str, dict]]:
    return panels("version", version)


def strategy_panels(strategy) -> list[tuple[str, dict]]:
    return panels("strategy", strategy)


# The consultation sequence of versions for the API, provided by the council app:
# ``provider(versions)`` returns version pk → list of step dicts (see ``api.StepOut``).
_STEPS: list[Callable[[list], dict[int, list[dict]]]] = []


def register_steps_provider(provider: Callable[[list], dict[int, list[dict]]]) -> None:
    _STEPS[:] = [provider]


def version_steps(versions: list) -> dict[int, list[dict]]:
    if not _STEPS:
        return {v.pk: [] for v in versions}
    return _STEPS[0](versions)
