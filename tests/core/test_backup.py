"""Backup and restore lose nothing: a restore into an empty database finds every row and file.

The backup is made in this process from the test database; the restore runs as `manage.py
restore` in a fresh process pointed at a new, empty database of the same engine (a SQLite file,
or a PostgreSQL database created here when the suite runs on PostgreSQL), as an operator would.
The restored rows and files are then checked against the source itself, not only against the
manifest the restore checked them with.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from actionplan.models import ActionPlan, StepUpdate
from core import backup

pytestmark = [pytest.mark.backup, pytest.mark.django_db(transaction=True)]

FILES = {
    "evidence/2026/minutes.pdf": b"%PDF-1.4 minutes of the working group\n",
    "evidence/2026/photo.png": bytes(range(256)) * 512,  # binary, 128 KiB
    "pdfs/progress-report.pdf": b"%PDF-1.7 cached report\n",
}

# Printed by the restored portal: its row counts, and that its triggers and sequences still work.
CHECK = """
import json
from actionplan.models import ActionStep, StepChange
from tests.core.test_backup import table_counts
counts = table_counts()
step = ActionStep.objects.order_by("pk").first()
before = StepChange.objects.filter(step=step).count()
ActionStep.objects.filter(pk=step.pk).update(progress=(step.progress + 1) % 100)
history_written = StepChange.objects.filter(step=step).count() > before
try:
    StepChange.objects.filter(step=step).delete()
    history_kept = False
except Exception:
    history_kept = True
print(json.dumps({"counts": counts, "history_written": history_written,
                  "history_kept": history_kept}))
"""


@pytest.fixture
def source(settings, tmp_path):
    """Two generated plans with history and staff notes, and files in the media storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("generate_sample_data", plans=2, steps=6, updates=2, seed=3, stdout=StringIO())
    assert StepUpdate.objects.exists()
    for name, content in FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return tmp_path


def table_counts():
    """Every table's row count, counted here rather than by the code under test."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the suite's engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, media_root, *args):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_restore_into_an_empty_database_finds_every_row_and_file(source, empty_database):
    archive = source / "backup.tar.gz"
    expected_counts = table_counts()
    call_command("backup", str(archive), stdout=StringIO())

    restored_media = source / "restored-media"
    result = manage(empty_database, restored_media, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Restored and verified" in result.stdout

    check = manage(empty_database, restored_media, "shell", "-c", CHECK)
    assert check.returncode == 0, check.stderr
    restored = json.loads(check.stdout.splitlines()[-1])  # after shell's own messages
    assert restored["counts"] == expected_counts
    assert expected_counts["actionplan_stepchange"] > 0
    assert expected_counts["actionplan_stepupdate"] > 0
    assert restored["history_written"]  # the triggers came back with the rows
    assert restored["history_kept"]
    for name, content in FILES.items():
        restored_file = (restored_media / name).read_bytes()
        assert hashlib.sha256(restored_file).digest() == hashlib.sha256(content).digest()

    # The database is no longer empty: a second restore is refused, and nothing is touched.
    again = manage(empty_database, restored_media, "restore", str(archive))
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert "--force" in again.stderr


def test_manifest_holds_counts_and_checksums_of_everything(source):
    archive = source / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())

    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
        names = set(tar.getnames())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == table_counts()
    assert manifest["tables"]["actionplan_actionplan"] == ActionPlan.objects.count() == 2
    assert manifest["media"] == {
        name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        for name, content in FILES.items()
    }
    assert names == {"manifest.json", manifest["database"]["file"]} | {
        f"media/{name}" for name in FILES
    }


def test_verify_fails_loudly_on_a_missing_row_or_a_changed_file(source):
    archive = source / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
    assert backup.verify(manifest).files == len(FILES)

    manifest["tables"]["actionplan_actionstep"] += 1
    default_storage.delete("pdfs/progress-report.pdf")
    default_storage.save("pdfs/progress-report.pdf", ContentFile(b"something else"))
    with pytest.raises(backup.BackupError) as error:
        backup.verify(manifest)
    message = str(error.value)
    assert "table actionplan_actionstep: 12 rows, the backup has 13" in message
    assert "file pdfs/progress-report.pdf: SHA-256" in message


def test_restore_refuses_a_database_with_tables_and_an_archive_of_another_engine(source):
    archive = source / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())

    with pytest.raises(backup.BackupError, match=r"is not empty .* pass --force"):
        backup.restore(archive)

    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
        members = {name: tar.extractfile(name).read() for name in tar.getnames()}
    manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    members["manifest.json"] = json.dumps(manifest).encode()
    other = source / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(backup.BackupError, match=f"cannot be loaded into {connection.vendor}"):
        backup.restore(other, force=True)
    assert ActionPlan.objects.count() == 2  # nothing was touched
