"""Strict readers for configuration from environment variables.

A value that cannot be parsed stops start-up with ImproperlyConfigured naming the variable, so a
typo in a deployment is found at boot and not as odd behaviour later.
"""

import os
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    """The variable's value, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}: expected one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}: {value} is outside {minimum}..{maximum}")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}: empty entry in comma-separated list {raw!r}")
    return items


def env_timezone(name, default):
    value = os.environ.get(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}: unknown time zone {value!r}") from None
    return value


def env_database(name, default):
    import dj_database_url

    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # the library raises several types for malformed URLs
        raise ImproperlyConfigured(f"{name}: cannot parse database URL: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"{name}: only postgres:// and sqlite:// are supported, got {raw!r}"
        )
    return config


def env_url(name, schemes):
    raw = os.environ.get(name)
    if not raw:
        return None
    if raw.split("://", 1)[0] not in schemes or "://" not in raw:
        raise ImproperlyConfigured(f"{name}: expected a URL starting with {' or '.join(schemes)}")
    return raw
