"""A consistent archive of the database and the uploaded files, and its restore.

The archive is a .tar.gz with ``manifest.json`` (format, time, row counts per model),
``data.json`` (Django's serialised data, database-neutral: a SQLite backup restores into
PostgreSQL and back) and ``media/`` (uploaded files). The data is read inside one transaction,
so the archive is a snapshot even while the site is in use.
"""

import io
import json
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "leitbild-backup-1"
# Derived or transient tables: rebuilt by migrate, or worthless after a restore.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "django_tasks_db.dbtaskresult",
    "core.taskprogress",
    "core.ratelimit",
}


class BackupError(Exception):
    pass


def _models():
    for model in apps.get_models():
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy:
            yield model


def backup_create(*, target: Path, report: Callable[[int, int], None] | None = None) -> dict:
    models = list(_models())
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot of all tables, even while the site is in use. Nothing may be
            # written on this connection until it ends, so progress is reported afterwards.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = []
        for model in models:
            rows = list(model._base_manager.order_by("pk"))
            counts[model._meta.label_lower] = len(rows)
            objects.extend(rows)
        # Natural foreign keys are looked up while serialising: still inside the snapshot.
        data = serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
    if report:
        report(1, 2)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "counts": counts,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    with tarfile.open(tmp, "w:gz") as archive:
        for name, content in (("manifest.json", json.dumps(manifest, indent=2)),
                              ("data.json", data)):
            raw = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(raw))
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname="media")
    tmp.replace(target)
    if report:
        report(2, 2)
    return manifest


def _instance_is_empty() -> bool:
    return not any(m._base_manager.exists() for m in _models()
                   if m._meta.label_lower not in {"core.sitesetting"})


def backup_restore(*, source: Path) -> dict:
    """Restore into an empty, migrated instance. All or nothing: a failed restore leaves the
    database as it was."""
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{source} is not a Leitbild backup archive: {exc}") from None
    with archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
            data = archive.extractfile("data.json").read()
        except (KeyError, AttributeError, ValueError):
            raise BackupError(f"{source} lacks manifest.json or data.json.") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        if not _instance_is_empty():
            raise BackupError("The database is not empty. Restore only into a new instance.")
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            fixture.write_bytes(data)
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                counts = {
                    label: apps.get_model(label)._base_manager.count()
                    for label in manifest["counts"]
                }
                if counts != manifest["counts"]:
                    raise BackupError(f"Restored rows differ from the manifest: {counts}")
                reset_sequences()
            media_members = [m for m in archive.getmembers() if m.name.startswith("media/")]
            media_root = Path(settings.MEDIA_ROOT)
            for member in media_members:
                if member.isfile():
                    relative = Path(member.name).relative_to("media")
                    if ".." in relative.parts:
                        raise BackupError(f"Unsafe path in archive: {member.name}")
                    target = media_root / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.extractfile(member).read())
    from .services import site_mark_demo  # the cached flag must be re-read

    site_mark_demo(is_demo=bool(
        apps.get_model("core.SiteSetting").objects.filter(key="demo", value=True).exists()))
    return manifest


def reset_sequences() -> None:
    """After loading rows with explicit keys, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
