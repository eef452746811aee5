import pytest

from leitbild.participation.models import IdeaStatus
from leitbild.portfolio import selectors
from leitbild.portfolio.models import Assessment, OrgUnit, Project


@pytest.fixture
def loaded(db):
    from leitbild.core.demo import demo_load

    demo_load()


def test_the_demo_has_forty_projects_over_all_fields_mostly_from_ideas(loaded):
    projects = Project.objects.all()
    assert projects.count() == 40
    fields = set(projects.values_list("goal_links__goal__field__code", flat=True))
    assert len(fields - {None}) == 10
    from_ideas = projects.filter(idea_links__isnull=False).distinct()
    assert from_ideas.count() >= 30
    linked = [i for p in from_ideas for i in p.ideas.all()]
    assert all(i.status == IdeaStatus.ACCEPTED for i in linked)
    assert OrgUnit.objects.filter(
        kind=OrgUnit.Kind.COMPANY, name__startswith="Stadtwerke", led_projects__isnull=False
    ).exists()
    assert Assessment.objects.filter(programme__short_name="MPSC", applied=True).count() >= 20


def test_the_demo_financing_plan_shows_the_budget_warning(loaded):
    plan = selectors.financing_plan()
    assert plan.years == [2025, 2026, 2027, 2028, 2029]
    assert [w.kind for w in plan.warnings] == ["budget"]
    assert "2027" in plan.warnings[0].message


def test_loading_the_demo_twice_changes_nothing(loaded):
    from leitbild.core.demo import demo_load

    demo_load()
    assert Project.objects.count() == 40
