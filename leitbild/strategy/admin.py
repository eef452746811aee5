"""Django admin for the framework: the draft rows are audited like every staff write; frozen
versions are shown read-only (their snapshot cannot change, see ``StrategyVersion.save``)."""

from django.contrib import admin

from leitbild.core.admin import AuditedModelAdmin

from .models import ActionField, Goal, Indicator, Leitlinie, Strategy, StrategyVersion


@admin.register(Strategy)
class StrategyAdmin(AuditedModelAdmin):
    list_display = ["title", "edition", "slug"]
    search_fields = ["title", "slug"]


@admin.register(Leitlinie)
class LeitlinieAdmin(AuditedModelAdmin):
    list_display = ["title", "strategy", "order"]
    list_filter = ["strategy"]


@admin.register(ActionField)
class ActionFieldAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "strategy", "order"]
    list_filter = ["strategy"]
    search_fields = ["code", "name"]


@admin.register(Goal)
class GoalAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "field", "order"]
    list_filter = ["strategy"]
    search_fields = ["code", "title"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["name", "goal", "unit", "order"]
    search_fields = ["name"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from freezing a draft, statuses change on the staff pages,
    where the rules (decision date, superseding) are applied."""

    list_display = ["strategy", "number", "status", "created_at", "decided_on"]
    list_filter = ["status", "strategy"]
    readonly_fields = [
        "strategy",
        "number",
        "status",
        "snapshot",
        "note",
        "created_at",
        "created_by",
        "decided_on",
        "decision_reference",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
