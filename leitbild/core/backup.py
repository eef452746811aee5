"""A consistent archive of the database, the uploaded and private files and the secret key,
and its restore.

The archive is a .tar.gz with ``manifest.json`` (format, time, row counts per model, the
private files, a fingerprint of the secret key), ``data.json`` (Django's serialised data,
database-neutral: a SQLite backup restores into PostgreSQL and back), ``media/`` (uploaded
files), ``private/`` (``LEITBILD_PRIVATE_DIR``: the files with the plain participation codes)
and ``secret_key`` when the key comes from the data directory's key file. The data is read
inside one transaction, so the archive is a snapshot even while the site is in use.

Participation codes, e-mail confirmations and other identities are stored as keyed hashes
(HMAC with ``SECRET_KEY``): restored under another key, unused codes would stop working. So
the restore puts the archived key file back, or — when the key comes from the environment —
refuses unless the current ``SECRET_KEY`` (or one of ``SECRET_KEY_FALLBACKS``) has the
archived fingerprint.
"""

import io
import json
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT = "leitbild-backup-2"
OLD_FORMAT = "leitbild-backup-1"  # without key and private files; restored only on request
# Derived or transient tables: rebuilt by migrate, or worthless after a restore.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "core.taskprogress",
    "core.ratelimit",
}
# The task queue (django-tasks-db, app label "django_tasks_database"): jobs of the old
# instance must not run again in the new one.
EXCLUDED_APPS = {"django_tasks_database"}
KEY_MEMBER = "secret_key"
PRIVATE_PREFIX = "private"
_FINGERPRINT_SALT = "leitbild.core.backup.key-fingerprint"


class BackupError(Exception):
    """A backup or restore that cannot go on. Not a ``core.errors.Refusal``: only an operator
    at the command line (``leitbild restore``) or the backup task can cause it, never a
    request, and its messages are for that operator."""


def _excluded(label_lower: str) -> bool:
    return label_lower in EXCLUDED or label_lower.split(".")[0] in EXCLUDED_APPS


def _models():
    for model in apps.get_models():
        if not _excluded(model._meta.label_lower) and not model._meta.proxy:
            yield model


def key_fingerprint(key: str) -> str:
    """A keyed hash that identifies a secret key without revealing it."""
    return salted_hmac(_FINGERPRINT_SALT, "SECRET_KEY", secret=key, algorithm="sha256").hexdigest()


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "secret_key"


def _key_from_file() -> bool:
    """Whether ``SECRET_KEY`` is the generated one in the data directory (not the environment)."""
    path = _key_file()
    return path.is_file() and constant_time_compare(path.read_text().strip(), settings.SECRET_KEY)


def _private_files() -> list[tuple[Path, str]]:
    base = Path(settings.LEITBILD_PRIVATE_DIR)
    if not base.is_dir():
        return []
    return [
        (path, path.relative_to(base).as_posix())
        for path in sorted(base.rglob("*"))
        if path.is_file() and not path.name.endswith(".tmp")
    ]


def _add_bytes(archive: tarfile.TarFile, name: str, raw: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(raw)
    info.mode = mode
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(raw))


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
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "counts": counts,
        "secret_key": {
            "fingerprint": key_fingerprint(settings.SECRET_KEY),
            "in_archive": _key_from_file(),
        },
        "private_files": [],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    with tarfile.open(tmp, "w:gz") as archive:
        _add_bytes(archive, "data.json", data.encode())
        if manifest["secret_key"]["in_archive"]:
            _add_bytes(archive, KEY_MEMBER, settings.SECRET_KEY.encode(), mode=0o600)
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname="media")
        for path, name in _private_files():
            try:
                info = archive.gettarinfo(path, arcname=f"{PRIVATE_PREFIX}/{name}")
                with path.open("rb") as handle:
                    info.mode = 0o600
                    archive.addfile(info, handle)
            except FileNotFoundError:  # deleted by staff while the backup ran
                continue
            manifest["private_files"].append(name)
        # Last, so that it lists the private files actually written.
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    tmp.replace(target)
    if report:
        report(2, 2)
    return manifest


def _instance_is_empty() -> bool:
    return not any(
        m._base_manager.exists()
        for m in _models()
        if m._meta.label_lower not in {"core.sitesetting"}
    )


def _member_bytes(archive: tarfile.TarFile, name: str) -> bytes | None:
    try:
        handle = archive.extractfile(name)
    except KeyError:
        return None
    return handle.read() if handle is not None else None


def _check_secret_key(
    manifest: dict, archive: tarfile.TarFile, *, accept_other_key: bool
) -> str | None:
    """Refuse a restore whose keyed hashes would not verify here; returns the archived key
    when it must be written to this instance's key file (this instance generated its own)."""
    keys_here = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    info = manifest.get("secret_key")
    if not isinstance(info, dict) or not info.get("fingerprint"):
        if accept_other_key:
            return None
        raise BackupError(
            "This archive holds neither the secret key nor its fingerprint (made by an older "
            "version?). Participation codes and e-mail confirmations in it would not verify "
            "under another SECRET_KEY. Restore it with the old instance's SECRET_KEY set and "
            "--accept-other-key, or make a new backup with this version."
        )
    archived = None
    if info.get("in_archive"):
        raw = _member_bytes(archive, KEY_MEMBER)
        if raw is None:
            raise BackupError(
                "The manifest says the archive holds the secret key, but "
                f"{KEY_MEMBER} is missing: the archive is incomplete."
            )
        archived = raw.decode().strip()
        if not constant_time_compare(key_fingerprint(archived), info["fingerprint"]):
            raise BackupError(f"{KEY_MEMBER} in the archive does not match its manifest.")
    if any(constant_time_compare(key_fingerprint(key), info["fingerprint"]) for key in keys_here):
        return None
    if archived is not None and _key_from_file():
        return archived  # a new instance's generated key: replaced by the old one
    if accept_other_key:
        return None
    where = (
        f"the key in the archive's {KEY_MEMBER} file (tar -xzf ARCHIVE {KEY_MEMBER})"
        if archived is not None
        else "the old instance's SECRET_KEY"
    )
    raise BackupError(
        "The backup was made with a different SECRET_KEY (fingerprint "
        f"{info['fingerprint'][:12]}…). Participation codes, e-mail confirmations and other "
        "keyed hashes in it only verify with that key. Set SECRET_KEY (or add to "
        f"SECRET_KEY_FALLBACKS) {where} and restore again; or restore anyway with "
        "--accept-other-key, and unused codes will stop working."
    )


def _safe_relative(name: str, prefix: str) -> Path:
    relative = PurePosixPath(name).relative_to(prefix)
    if ".." in relative.parts or relative.is_absolute():
        raise BackupError(f"Unsafe path in archive: {name}")
    return Path(*relative.parts)


def _write_files(
    archive: tarfile.TarFile, prefix: str, root: Path, *, private: bool = False
) -> None:
    for member in archive.getmembers():
        if not member.name.startswith(f"{prefix}/") or not member.isfile():
            continue
        target = root / _safe_relative(member.name, prefix)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
        if private:
            target.touch(mode=0o600, exist_ok=True)
        target.write_bytes(archive.extractfile(member).read())


def backup_restore(*, source: Path, accept_other_key: bool = False) -> dict:
    """Restore into an empty, migrated instance. All or nothing: a failed restore leaves the
    database as it was. Refuses an archive whose secret key does not match this instance
    (see the module docstring) unless ``accept_other_key``. The returned manifest has
    ``secret_key_restored`` set when the archived key file replaced this instance's: the
    application must then be restarted."""
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
        if manifest.get("format") not in (FORMAT, OLD_FORMAT):
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        key_to_write = _check_secret_key(manifest, archive, accept_other_key=accept_other_key)
        names = set(archive.getnames())
        missing = [
            name
            for name in manifest.get("private_files", [])
            if f"{PRIVATE_PREFIX}/{name}" not in names
        ]
        if missing:
            raise BackupError(
                "The archive lacks private files listed in its manifest "
                f"(participation codes): {', '.join(missing[:5])}"
            )
        if not _instance_is_empty():
            raise BackupError("The database is not empty. Restore only into a new instance.")
        # Older archives hold the task queue: its jobs must not run again here.
        objects = [row for row in json.loads(data) if not _excluded(row["model"])]
        expected = {label: n for label, n in manifest["counts"].items() if not _excluded(label)}
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            fixture.write_text(json.dumps(objects))
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                counts = {label: apps.get_model(label)._base_manager.count() for label in expected}
                if counts != expected:
                    raise BackupError(f"Restored rows differ from the manifest: {counts}")
                reset_sequences()
        _write_files(archive, "media", Path(settings.MEDIA_ROOT))
        _write_files(archive, PRIVATE_PREFIX, Path(settings.LEITBILD_PRIVATE_DIR), private=True)
    if key_to_write is not None:
        key_file = _key_file()
        key_file.touch(mode=0o600, exist_ok=True)
        key_file.write_text(key_to_write)
    from .services import site_mark_demo  # the cached flag must be re-read

    site_mark_demo(
        is_demo=bool(
            apps.get_model("core.SiteSetting").objects.filter(key="demo", value=True).exists()
        )
    )
    return manifest | {"secret_key_restored": key_to_write is not None}


def reset_sequences() -> None:
    """After loading rows with explicit keys, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
