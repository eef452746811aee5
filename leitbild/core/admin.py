from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import CoreAction, audit_record, snapshot
from .models import AuditEntry, Page, TaskProgress


class AuditedModelAdmin(admin.ModelAdmin):
    """Django admin writes go to the audit log like every other staff write."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=CoreAction.ADMIN_CHANGE if change else CoreAction.ADMIN_ADD,
            obj=obj,
            before=before,
            after=snapshot(obj),
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(actor=request.user, action=CoreAction.ADMIN_DELETE, obj=obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(
                actor=request.user, action=CoreAction.ADMIN_DELETE, obj=obj, before=snapshot(obj)
            )
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action_label", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr"]

    @admin.display(description=_("Aktion"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return entry.action_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Page)
class PageAdmin(AuditedModelAdmin):
    list_display = ["title", "slug", "updated_at"]


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ["label", "status", "created_at", "started_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
