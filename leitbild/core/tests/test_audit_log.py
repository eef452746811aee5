import pytest
from django.contrib.admin.sites import site

from leitbild.core.models import AuditEntry, Page
from leitbild.core.services import page_update


@pytest.fixture
def page(db):
    return Page.objects.create(slug="impressum", title="Impressum", body="alt")


def test_a_staff_write_records_who_what_when_before_and_after(page, make_user):
    admin = make_user("admin@stadt.example", roles=["admin"])
    page_update(actor=admin, page=page, title="Impressum", body="neu")
    entry = AuditEntry.objects.get()
    assert entry.actor == admin
    assert entry.actor_label == "admin@stadt.example"
    assert entry.action == "page.update"
    assert entry.before["body"] == "alt"
    assert entry.after["body"] == "neu"
    assert entry.at is not None


def test_audit_entries_cannot_be_changed_or_deleted(page, make_user):
    page_update(actor=make_user(roles=["admin"]), page=page, title="T", body="b")
    entry = AuditEntry.objects.get()
    entry.action = "gefälscht"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="gefälscht")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "page.update"


def test_not_even_administration_can_edit_the_log_in_django_admin(rf, make_user):
    admin = make_user(roles=["admin"])
    request = rf.get("/admin/")
    request.user = admin
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_edits_in_django_admin_are_audited(admin_client, page):
    response = admin_client.post(
        f"/admin/core/page/{page.pk}/change/",
        {"slug": "impressum", "title": "Impressum", "body": "via admin"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.before["body"] == "alt" and entry.after["body"] == "via admin"


def test_administration_reads_the_audit_log(admin_client, page, make_user):
    page_update(actor=make_user(roles=["admin"]), page=page, title="T", body="<b>neu</b>")
    response = admin_client.get("/verwaltung/protokoll/")
    assert response.status_code == 200
    assert "Rechtliche Seite geändert" in response.content.decode()
