"""A bad environment stops start-up with a message that names the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def boot(**env):
    """Import the settings in a fresh interpreter with only the given variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "REDIS_URL",
            "TIME_ZONE",
            "SESSION_COOKIE_AGE",
            "SECRET_KEY_FILE",
        }
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, settings.DEBUG)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_with_debug_are_sqlite_and_bratislava():
    result = boot(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "Europe/Bratislava", "True"]


def test_debug_is_off_unless_set_and_then_secret_key_is_required():
    result = boot()
    assert result.returncode != 0
    assert "SECRET_KEY: required when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    result = boot(SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG: expected one of"),
        (
            "DATABASE_URL",
            "mysql://root@localhost/x",
            "DATABASE_URL: only postgres:// and sqlite://",
        ),
        ("DATABASE_URL", "not a url", "DATABASE_URL:"),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE: unknown time zone"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL: expected a URL"),
        ("ALLOWED_HOSTS", "a.example,,b.example", "ALLOWED_HOSTS: empty entry"),
        ("SESSION_COOKIE_AGE", "soon", "SESSION_COOKIE_AGE: expected a whole number"),
        ("SECRET_KEY_FILE", "/nonexistent/secret", "SECRET_KEY_FILE: cannot read"),
    ],
)
def test_bad_value_names_the_variable(variable, value, message):
    result = boot(**{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_redis_url_selects_the_redis_cache():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.CACHES['default']['BACKEND'])",
        ],
        env={
            **os.environ,
            "DEBUG": "1",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
