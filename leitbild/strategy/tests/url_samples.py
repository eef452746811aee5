"""Values for the strategy URLs' parameters, from the demo city.

For ``core/tests/test_url_access.py``, which requests every URL as each role; its hook
``core/tests/url_samples.extra_samples()`` merges these in.
"""


def strategy_url_samples() -> dict[str, dict]:
    from leitbild.strategy.demo import SLUG
    from leitbild.strategy.models import Goal, Strategy

    strategy = Strategy.objects.get(slug=SLUG)
    goal = Goal.objects.filter(strategy=strategy).select_related("field").first()
    indicator = goal.indicators.first()
    leitlinie = strategy.leitlinien.first()
    version = strategy.versions.order_by("-number").first()
    adopted = strategy.versions.filter(decided_on__isnull=False).order_by("-number").first()
    slug = {"slug": SLUG}
    return {
        "strategy:field_detail": {"code": goal.field.code},
        "strategy:history": slug,
        "strategy:version_detail": {**slug, "number": version.number},
        "strategy:version_field": {**slug, "number": version.number, "code": goal.field.code},
        "strategy:compare": slug,
        "strategy:staff_strategy": slug,
        "strategy:staff_strategy_edit": slug,
        "strategy:staff_export": slug,
        "strategy:staff_leitlinie_create": slug,
        "strategy:staff_leitlinie_edit": {**slug, "pk": leitlinie.pk},
        "strategy:staff_field_create": slug,
        "strategy:staff_field": {**slug, "pk": goal.field_id},
        "strategy:staff_field_edit": {**slug, "pk": goal.field_id},
        "strategy:staff_goal_create": {**slug, "field_pk": goal.field_id},
        "strategy:staff_goal_edit": {**slug, "pk": goal.pk},
        "strategy:staff_indicator_create": {**slug, "goal_pk": goal.pk},
        "strategy:staff_indicator_edit": {**slug, "pk": indicator.pk},
        "strategy:staff_item_delete": {**slug, "kind": "ziele", "pk": goal.pk},
        "strategy:staff_item_move": {**slug, "kind": "ziele", "pk": goal.pk},
        "strategy:staff_freeze": slug,
        "strategy:staff_version": {**slug, "number": version.number},
        "strategy:council_version_decision": {**slug, "number": adopted.number},
        "strategy:staff_compare": slug,
        "strategy:staff_documents": {**slug, "number": version.number},
        "strategy:staff_document_arrangement": slug,
        "strategy:document_web": {**slug, "number": version.number},
        "council:paper": {**slug, "number": version.number},
        "council:steps": {**slug, "number": version.number},
        "strategy:document_download": {
            **slug,
            "number": version.number,
            "kind": "strategie",
            "fmt": "pdf",
        },
        "api:strategy_version": {"number": version.number},
    }
