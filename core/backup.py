"""Backup and restore of the whole portal: the database and every file in the media storage.

One archive (tar, gzip-compressed) holds:
- `manifest.json`: the engine, the row count of every table and the SHA-256 of every file;
- the database: `database.pgdump` (pg_dump's custom format) on PostgreSQL, `database.sqlite3`
  (a copy made with SQLite's backup API) on SQLite;
- `media/<name>`: each file of the default storage, read through Django's storage API, so the
  same code backs up a local folder and S3-compatible storage.

The counts and the dump come from one snapshot: on PostgreSQL the rows are counted in a
REPEATABLE READ transaction whose snapshot pg_dump is given (--snapshot); on SQLite they are
counted in the copy itself.

Restore loads the database natively (pg_restore; the backup API the other way), so the rows come
back exactly as they were, history included: pg_restore creates the triggers after it has loaded
the data, and a SQLite copy fires none. Nothing is deleted row by row, which the append-only
history tables would refuse: a database that is not empty is refused, or with `force` replaced
as a whole (its schema dropped, or its file overwritten). Afterwards every table is counted and
every file read back, and any difference from the manifest is an error; then the public page
cache is emptied (with Redis, that flushes its database: sign-in lockouts and rate limits too).
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, or whose result differs from the manifest."""


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int

    def __str__(self):
        return f"{self.tables} tables, {self.rows} rows, {self.files} files ({self.bytes} bytes)"


def _sha256_of(fileobj):
    digest, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _vendor(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"backup supports PostgreSQL and SQLite, not {connection.vendor}")
    return connection.vendor


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env(settings_dict):
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def _pg_dump(connection, target):
    """Dump in the snapshot the counts are taken in; return the counts."""
    with connection.cursor() as cursor:
        # A transaction of its own, outside Django's, kept open while pg_dump reads.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, connection.introspection.table_names(cursor))
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(connection.settings_dict),
            )
        finally:
            cursor.execute("ROLLBACK")
    return counts


def _pg_restore(connection, dump):
    _run(
        # --no-owner: the restoring role owns what it creates, whoever made the backup.
        [
            "pg_restore",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        _pg_env(connection.settings_dict),
    )


def _pg_drop_everything(connection):
    with connection.cursor() as cursor:
        # Dropping tables fires no row triggers, so the history's refusal of DELETE is not asked.
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_dump(connection, target):
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return _count_rows(copy.cursor(), tables)
    finally:
        copy.close()


def _sqlite_restore(connection, dump):
    source = sqlite3.connect(dump)
    try:
        # Page by page over the whole file: no trigger fires, nothing of the old file is left.
        source.backup(connection.connection)
    finally:
        source.close()


# --- Media -------------------------------------------------------------------------------------


def media_names(storage=None, folder=""):
    """Every file name in the storage, through the storage API only, sorted."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder nobody has written to yet
        return []
    names = [str(PurePosixPath(folder, name)) if folder else name for name in files]
    for sub in folders:
        names += media_names(storage, str(PurePosixPath(folder, sub)) if folder else sub)
    return sorted(names)


def _safe_member(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"the archive names a file outside the media storage: {name}")
    return str(path)


# --- Backup ------------------------------------------------------------------------------------


def backup(archive_path, using="default", storage=None):
    """Write the archive; return a Summary."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = _vendor(connection)
    connection.ensure_connection()
    archive_path = Path(archive_path)
    started = time.time()
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMP_NAMES[vendor]
        if vendor == "postgresql":
            counts = _pg_dump(connection, dump)
        else:
            counts = _sqlite_dump(connection, dump)
        with dump.open("rb") as handle:
            dump_sha, dump_size = _sha256_of(handle)

        partial = archive_path.with_name(archive_path.name + ".partial")
        files = {}
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            for name in media_names(storage):
                with storage.open(name, "rb") as handle:
                    sha, size = _sha256_of(handle)
                    handle.seek(0)
                    info = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
                    info.size, info.mtime, info.mode = size, started, 0o644
                    tar.addfile(info, handle)
                files[name] = {"sha256": sha, "size": size}
            manifest = {
                "format": FORMAT,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "engine": vendor,
                "database": {"file": dump.name, "sha256": dump_sha, "size": dump_size},
                "tables": counts,
                "media": files,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), started, 0o644
            tar.addfile(info, io.BytesIO(data))
        partial.replace(archive_path)  # a crash mid-way never leaves a complete-looking archive
    size = sum(meta["size"] for meta in files.values())
    return Summary(len(counts), sum(counts.values()), len(files), size)


# --- Restore -----------------------------------------------------------------------------------


def read_manifest(tar):
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except KeyError:
        raise BackupError(f"{tar.name} is not a portal backup: it has no {MANIFEST}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    return manifest


def existing_tables(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _check_empty(connection, storage, manifest, force):
    tables = existing_tables(connection)
    if tables and not force:
        name = connection.settings_dict["NAME"]
        raise BackupError(
            f"the database {name} is not empty ({len(tables)} tables, e.g. {tables[0]}). "
            "Restore writes into an empty database: create a new one, or pass --force to "
            "replace everything in this one."
        )
    clashes = [name for name in manifest["media"] if storage.exists(name)]
    if clashes and not force:
        raise BackupError(
            f"the media storage holds {len(clashes)} of the backup's files already (e.g. "
            f"{clashes[0]}). Restore into empty storage, or pass --force to replace them."
        )
    return tables, clashes


def verify(manifest, using="default", storage=None):
    """Count every table and read every file back; raise BackupError listing each difference."""
    storage = storage or default_storage
    connection = connections[using]
    problems = []
    tables = set(existing_tables(connection))
    expected = manifest["tables"]
    missing = sorted(set(expected) - tables)
    problems += [f"table {table} is missing" for table in missing]
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, sorted(set(expected) & tables))
    problems += [
        f"table {table}: {counts[table]} rows, the backup has {expected[table]}"
        for table in sorted(counts)
        if counts[table] != expected[table]
    ]
    for name, meta in sorted(manifest["media"].items()):
        if not storage.exists(name):
            problems.append(f"file {name} is missing")
            continue
        with storage.open(name, "rb") as handle:
            sha, _size = _sha256_of(handle)
        if sha != meta["sha256"]:
            problems.append(f"file {name}: SHA-256 {sha}, the backup has {meta['sha256']}")
    if problems:
        raise BackupError("the restored data differs from the backup:\n  " + "\n  ".join(problems))
    return Summary(
        len(counts),
        sum(counts.values()),
        len(manifest["media"]),
        sum(meta["size"] for meta in manifest["media"].values()),
    )


def restore(archive_path, using="default", storage=None, force=False):
    """Load the archive into an empty database and storage, then verify; return a Summary."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = _vendor(connection)
    with tarfile.open(archive_path, "r:*") as tar, tempfile.TemporaryDirectory() as workdir:
        manifest = read_manifest(tar)
        if manifest["engine"] != vendor:
            raise BackupError(
                f"the backup was made on {manifest['engine']} and cannot be loaded into "
                f"{vendor}; restore it into a {manifest['engine']} database"
            )
        tables, clashes = _check_empty(connection, storage, manifest, force)

        dump = Path(workdir) / DUMP_NAMES[vendor]
        with tar.extractfile(manifest["database"]["file"]) as source, dump.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        with dump.open("rb") as handle:
            if _sha256_of(handle)[0] != manifest["database"]["sha256"]:
                raise BackupError("the database dump in the archive is damaged (SHA-256 differs)")

        if vendor == "postgresql":
            if tables:
                _pg_drop_everything(connection)
            connection.close()
            _pg_restore(connection, dump)
        else:
            connection.ensure_connection()
            _sqlite_restore(connection, dump)
            connection.close()  # the next query sees the restored file afresh

        for name in clashes:
            storage.delete(name)
        for name in manifest["media"]:
            member = tar.extractfile(f"{MEDIA_DIR}/{_safe_member(name)}")
            saved = storage.save(name, File(member, name=name))
            if saved != name:
                raise BackupError(f"the storage saved {name} as {saved}")
    summary = verify(manifest, using, storage)
    # The data version came back with the rows; pages cached under that number since the backup
    # was made show other data, so none may be served.
    caches[settings.PAGE_CACHE_ALIAS].clear()
    return summary
