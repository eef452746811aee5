from django.contrib import admin

from leitbild.core.admin import AuditedModelAdmin

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ["email", "name", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fields = ["email", "name", "is_active"]
    inlines = [RoleInline]
