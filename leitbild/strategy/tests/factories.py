import factory

from leitbild.strategy.models import ActionField, Goal, Indicator, Leitlinie, Strategy


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"Smart-City-Strategie {n}")
    slug = factory.Sequence(lambda n: f"strategie-{n}")
    edition = "2024"
    summary = "Eine Strategie für die digitale Stadt."


class LeitlinieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leitlinie

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Leitlinie {n}")
    text = "Digitale Angebote sind für alle da."
    order = factory.Sequence(lambda n: n)


class ActionFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionField

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    description = "Beschreibung des Handlungsfelds."
    order = factory.Sequence(lambda n: n)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    field = factory.SubFactory(ActionFieldFactory)
    strategy = factory.SelfAttribute("field.strategy")
    code = factory.Sequence(lambda n: f"Z-{n}")
    title = factory.Sequence(lambda n: f"Ziel {n}")
    description = "Was erreicht werden soll."
    charter_principles = factory.LazyFunction(lambda: ["ziele"])
    sdgs = factory.LazyFunction(lambda: [11])
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    baseline_value = 10
    baseline_year = 2023
    target_value = 50
    target_year = 2030
    source = "Statistikstelle"
    order = factory.Sequence(lambda n: n)


def build_framework(
    *,
    fields: int = 2,
    goals_per_field: int = 2,
    leitlinien: int = 2,
    strategy: Strategy | None = None,
) -> Strategy:
    """A strategy whose draft has the given number of items, each goal with one indicator."""
    strategy = strategy or StrategyFactory()
    for _ in range(leitlinien):
        LeitlinieFactory(strategy=strategy)
    for _ in range(fields):
        field = ActionFieldFactory(strategy=strategy)
        for _ in range(goals_per_field):
            IndicatorFactory(goal=GoalFactory(field=field))
    return strategy
