"""The demo data of `make run` with its accounts, for the tests that walk the whole portal."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db, settings, tmp_path):
    """The Banská Bystrica plan, its meetings and monitoring records, and the demo accounts
    (signed in with force_login). Uploads and PDFs go to a temporary MEDIA_ROOT."""
    from tests.personas import create_demo_site_accounts

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)
    call_command("import_meetings", "fixtures/banska-bystrica-meetings.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml", verbosity=0)
    return create_demo_site_accounts(password=None)
