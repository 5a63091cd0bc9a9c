"""`make run` shows the mails in its console: with DEBUG and no EMAIL_HOST, the console backend;
an EMAIL_HOST means SMTP, with DEBUG too."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def boot(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.EMAIL_BACKEND.rsplit('.', 2)[1], settings.SITE_URL)",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, ["console", "http://127.0.0.1:8000"]),
        ({"DEBUG": "1", "EMAIL_HOST": "smtp.example.org"}, ["smtp", "http://127.0.0.1:8000"]),
        (
            {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "ogp.example.org"},
            ["smtp", "https://ogp.example.org"],
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "x", "SITE_URL": "https://portal.example/"},
            ["smtp", "https://portal.example"],
        ),
    ],
)
def test_mail_goes_to_the_console_only_in_development_without_a_host(env, expected):
    assert boot(**env) == expected
