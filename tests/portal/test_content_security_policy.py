"""The Content-Security-Policy header (django-csp) and its report-only switch."""

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

EXPECTED = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def test_every_page_carries_the_policy_without_unsafe_inline(client, db):
    response = client.get(reverse("portal:accessibility"))

    policy = response["Content-Security-Policy"]
    directives = [part.strip() for part in policy.split(";")]
    for directive in EXPECTED:
        assert directive in directives, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "Content-Security-Policy-Report-Only" not in response


def _policy_settings(**env):
    """The CSP settings a fresh process reads from `env` (settings are read once, at start)."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(bool(getattr(s, 'CONTENT_SECURITY_POLICY', None)), "
        "bool(getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1", **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.split()


def test_csp_report_only_sends_the_same_policy_without_enforcing_it():
    assert _policy_settings(CSP_REPORT_ONLY="0") == ["True", "False"]
    assert _policy_settings(CSP_REPORT_ONLY="1") == ["False", "True"]


def test_report_only_header(client, db, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None

    response = client.get(reverse("portal:accessibility"))

    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'none'" in response["Content-Security-Policy-Report-Only"]
