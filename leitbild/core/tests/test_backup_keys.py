"""A backup holds what a new instance needs for unused participation codes to keep working:
the code files and the secret key (or its fingerprint, checked at restore); it leaves out the
task queue."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leitbild.core.backup import BackupError, backup_create, backup_restore, key_fingerprint

ROOT = Path(__file__).resolve().parents[3]
KEY_A = "a" * 50
KEY_B = "b" * 50


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "daten"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def test_the_task_queue_is_not_in_the_archive(db, settings, tmp_path, data_dir):
    from django_tasks_db.models import DBTaskResult

    from leitbild.core.tasks import backup_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    backup_task.enqueue("keine-fortschrittsanzeige")
    assert DBTaskResult.objects.count() == 1
    manifest = backup_create(target=tmp_path / "b.tar.gz")
    assert not [label for label in manifest["counts"] if label.startswith("django_tasks")]
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        rows = json.load(archive.extractfile("data.json"))
    assert not [row for row in rows if row["model"].startswith("django_tasks")]


def test_code_files_and_the_generated_key_file_are_in_the_archive(db, settings, tmp_path, data_dir):
    (data_dir / "secret_key").write_text(settings.SECRET_KEY)
    codes = Path(settings.LEITBILD_PRIVATE_DIR) / "codes"
    codes.mkdir(parents=True)
    (codes / "codes-1-1.csv").write_text("code\nABCD-EFGH\n")
    manifest = backup_create(target=tmp_path / "b.tar.gz")
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert archive.extractfile("secret_key").read().decode() == settings.SECRET_KEY
        assert archive.getmember("secret_key").mode == 0o600
        assert archive.extractfile("private/codes/codes-1-1.csv").read() == (b"code\nABCD-EFGH\n")
    assert manifest["private_files"] == ["codes/codes-1-1.csv"]
    assert manifest["secret_key"] == {
        "fingerprint": key_fingerprint(settings.SECRET_KEY),
        "in_archive": True,
    }


def test_a_key_from_the_environment_is_only_fingerprinted(db, settings, tmp_path, data_dir):
    settings.SECRET_KEY = KEY_A
    manifest = backup_create(target=tmp_path / "b.tar.gz")
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert "secret_key" not in archive.getnames()
        assert KEY_A.encode() not in archive.extractfile("manifest.json").read()
    assert manifest["secret_key"]["in_archive"] is False
    assert manifest["secret_key"]["fingerprint"] == key_fingerprint(KEY_A)


def test_restore_refuses_another_secret_key_with_a_clear_message(
    make_user, settings, tmp_path, data_dir
):
    make_user("rita@stadt.example")
    settings.SECRET_KEY = KEY_A
    backup_create(target=tmp_path / "b.tar.gz")
    settings.SECRET_KEY = KEY_B
    with pytest.raises(BackupError, match="different SECRET_KEY"):
        backup_restore(source=tmp_path / "b.tar.gz")
    with pytest.raises(CommandError, match="Set SECRET_KEY"):
        call_command("restore", str(tmp_path / "b.tar.gz"))
    # The old key as a fallback is enough (codes are looked up under the fallbacks too):
    # here the restore then stops only because this test database is not empty.
    settings.SECRET_KEY_FALLBACKS = [KEY_A]
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(source=tmp_path / "b.tar.gz")


def _rewrite(source: Path, target: Path, *, manifest_change=None, drop: str = "") -> None:
    with tarfile.open(source) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            if member.name == drop or not member.isfile():
                continue
            if member.name == "manifest.json" and manifest_change:
                manifest = json.load(src.extractfile(member))
                manifest_change(manifest)
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                dst.addfile(member, io.BytesIO(raw))
            else:
                dst.addfile(member, src.extractfile(member))


def test_restore_refuses_an_archive_without_key_information(db, settings, tmp_path, data_dir):
    backup_create(target=tmp_path / "b.tar.gz")

    def old_format(manifest):
        manifest["format"] = "leitbild-backup-1"
        del manifest["secret_key"], manifest["private_files"]

    _rewrite(tmp_path / "b.tar.gz", tmp_path / "alt.tar.gz", manifest_change=old_format)
    with pytest.raises(BackupError, match="neither the secret key nor its fingerprint"):
        backup_restore(source=tmp_path / "alt.tar.gz")


def test_restore_refuses_an_archive_that_lost_its_code_files(db, settings, tmp_path, data_dir):
    codes = Path(settings.LEITBILD_PRIVATE_DIR) / "codes"
    codes.mkdir(parents=True)
    (codes / "codes-1-1.csv").write_text("code\n")
    backup_create(target=tmp_path / "b.tar.gz")
    _rewrite(tmp_path / "b.tar.gz", tmp_path / "ohne.tar.gz", drop="private/codes/codes-1-1.csv")
    with pytest.raises(BackupError, match="lacks private files"):
        backup_restore(source=tmp_path / "ohne.tar.gz")


# --- Two instances, through the command line ---------------------------------------------------
def _leitbild(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "leitbild", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


SETUP_A = """
import json
from datetime import timedelta
from django.utils import timezone
from leitbild.core.tasks import backup_task
from leitbild.consultation import services
from leitbild.participation.models import Phase, Process
from leitbild.strategy.models import ActionField, Strategy
strategy = Strategy.objects.create(title="Smart City", slug="smart-city", edition="2021")
fields = [ActionField.objects.create(strategy=strategy, code=c, name=c, order=i)
          for i, c in enumerate(["MOB", "BIL", "UMW"])]
process = Process.objects.create(strategy=strategy, title="Schwerpunkte", slug="schwerpunkte")
now = timezone.now()
phase = Phase.objects.create(process=process, kind="weighting", title="Gewichtung",
                             starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7))
weighting = services.weighting_configure(actor=None, phase=phase, fields=fields, mode="codes",
                                         method="pick")
codes = services.batch_codes(services.codes_generate(actor=None, phase=phase, count=3))
services.ballot_cast(weighting=weighting, choices=[fields[0].pk], code=codes[0])
backup_task.enqueue("in-der-warteschlange")
from django_tasks_db.models import DBTaskResult
assert DBTaskResult.objects.count() >= 1  # the backup, and the ballot box's flush at phase end
print(json.dumps(codes))
"""

VOTE_B = """
from django_tasks_db.models import DBTaskResult
from leitbild.consultation import services
from leitbild.consultation.models import Ballot, CodeBatch, PendingBallot, Weighting
weighting = Weighting.objects.get()
codes = services.batch_codes(CodeBatch.objects.get())  # the code file came along
field = weighting.weighting_fields.first().field_id
tasks_restored = DBTaskResult.objects.count()
services.ballot_cast(weighting=weighting, choices=[field], code=CODE)
print(Ballot.objects.count() + PendingBallot.objects.count(), tasks_restored, codes[1] == CODE)
"""


def test_unused_codes_work_after_a_restore_into_a_new_instance(tmp_path):
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "LEITBILD_DATA_DIR",
            "MEDIA_ROOT",
            "SECRET_KEY",
            "LEITBILD_PRIVATE_DIR",
            "LEITBILD_TASK_BACKEND",
        }
    }
    old = {**base_env, "LEITBILD_DATA_DIR": str(tmp_path / "alt")}
    new = {**base_env, "LEITBILD_DATA_DIR": str(tmp_path / "neu")}
    other_key = {**base_env, "LEITBILD_DATA_DIR": str(tmp_path / "fremd"), "SECRET_KEY": "x" * 50}
    archive = tmp_path / "sicherung.tar.gz"

    assert _leitbild(old, "migrate", "--verbosity", "0").returncode == 0
    made = _leitbild(old, "shell", "-v", "0", "-c", SETUP_A)
    assert made.returncode == 0, made.stderr
    codes = json.loads(made.stdout.strip().splitlines()[-1])
    backup = _leitbild(old, "backup", str(archive))
    assert backup.returncode == 0, backup.stderr

    # An instance with its own SECRET_KEY in the environment: refused, nothing restored.
    refused = _leitbild(other_key, "restore", str(archive))
    assert refused.returncode != 0
    assert "different SECRET_KEY" in refused.stderr
    empty = _leitbild(
        other_key,
        "shell",
        "-v",
        "0",
        "-c",
        "from leitbild.strategy.models import Strategy;print(Strategy.objects.count())",
    )
    assert empty.stdout.strip() == "0"

    # A new instance with a generated key: the archived key file replaces it.
    restored = _leitbild(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "secret key was written" in restored.stdout
    assert (tmp_path / "neu" / "secret_key").read_text() == (
        tmp_path / "alt" / "secret_key"
    ).read_text()
    voted = _leitbild(new, "shell", "-v", "0", "-c", f"CODE = {codes[1]!r}\n" + VOTE_B)
    assert voted.returncode == 0, voted.stderr
    assert voted.stdout.split() == ["2", "0", "True"]
