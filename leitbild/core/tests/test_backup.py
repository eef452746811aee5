"""`leitbild backup` and `leitbild restore`: a consistent archive, restored into an empty
instance and verified."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from leitbild.accounts.models import User
from leitbild.core.backup import backup_create
from leitbild.core.models import Page

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def some_data(db, make_user):
    make_user("rita@stadt.example", roles=["editor"])
    Page.objects.create(slug="impressum", title="Impressum", body="Rathausplatz 1")
    default_storage.save("ideen/foto.jpg", ContentFile(b"\xff\xd8 bild"))


def test_the_archive_holds_data_files_and_a_manifest(some_data, tmp_path):
    target = tmp_path / "sicherung.tar.gz"
    manifest = backup_create(target=target)
    assert manifest["counts"]["accounts.user"] == 1
    assert manifest["counts"]["core.page"] == 1
    with tarfile.open(target) as archive:
        names = archive.getnames()
        data = json.load(archive.extractfile("data.json"))
    assert {"manifest.json", "data.json", "media/ideen/foto.jpg"} <= set(names)
    assert any(row["model"] == "core.page" for row in data)


def test_restore_refuses_a_database_that_is_not_empty(some_data, tmp_path):
    target = tmp_path / "sicherung.tar.gz"
    backup_create(target=target)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target))


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "kaputt.tar.gz"
    junk.write_bytes(b"kein archiv")
    with pytest.raises(CommandError, match="not a Leitbild backup"):
        call_command("restore", str(junk))


def _leitbild(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "leitbild", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_a_new_instance(tmp_path):
    """Two separate instances (data directories), through the command line."""
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "LEITBILD_DATA_DIR", "MEDIA_ROOT"}
    }
    source = {**base_env, "LEITBILD_DATA_DIR": str(tmp_path / "alt")}
    target = {**base_env, "LEITBILD_DATA_DIR": str(tmp_path / "neu")}
    archive = tmp_path / "sicherung.tar.gz"

    assert _leitbild(source, "migrate", "--verbosity", "0").returncode == 0
    script = (
        "from leitbild.core.demo import demo_load; demo_load();"
        "from django.core.files.storage import default_storage as s;"
        "from django.core.files.base import ContentFile as C;"
        "s.save('ideen/foto.jpg', C(b'bild'))"
    )
    assert _leitbild(source, "shell", "-v", "0", "-c", script).returncode == 0
    made = _leitbild(source, "backup", str(archive))
    assert made.returncode == 0, made.stderr

    restored = _leitbild(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout
    count = (
        "from leitbild.accounts.models import User; from leitbild.core.models import Page;"
        "print(User.objects.count(), Page.objects.count(),"
        " User.objects.get(email='admin@musterstadt.example').check_password("
        "'musterstadt-demo'))"
    )
    before = _leitbild(source, "shell", "-v", "0", "-c", count).stdout.split()
    after = _leitbild(target, "shell", "-v", "0", "-c", count).stdout.split()
    assert after == before
    assert after[-1] == "True"
    assert (tmp_path / "neu" / "media" / "ideen" / "foto.jpg").read_bytes() == b"bild"


def test_nothing_is_half_restored_when_the_archive_is_inconsistent(db, tmp_path):
    good = tmp_path / "gut.tar.gz"
    User.objects.create_user(email="a@stadt.example", password="x")
    backup_create(target=good)
    User.objects.all().delete()
    bad = tmp_path / "schlecht.tar.gz"
    with tarfile.open(good) as src, tarfile.open(bad, "w:gz") as dst:
        manifest = json.load(src.extractfile("manifest.json"))
        manifest["counts"]["accounts.user"] = 99
        raw = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        import io

        dst.addfile(info, io.BytesIO(raw))
        for member in src.getmembers():
            if member.name != "manifest.json" and member.isfile():
                dst.addfile(member, src.extractfile(member))
    with pytest.raises(CommandError, match="differ"):
        call_command("restore", str(bad))
    assert User.objects.count() == 0
