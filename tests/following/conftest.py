import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from actionplan.models import Affiliation
from actionplan.models.roles import Role
from following import sources
from tests.smtp_server import start_server, use_server

SITE_URL = "http://portal.test"


@pytest.fixture
def smtp(settings):
    """The test SMTP server's inbox; Django's mail goes there."""
    controller, inbox = start_server()
    use_server(settings, controller)
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def following_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.FOLLOWING_BATCH_SECONDS = 60
    settings.STALE_AFTER_DAYS = 100


@pytest.fixture
def started(db):
    """The sources' baseline: what exists before the test's changes is not news."""
    sources.collect()


def later(seconds=61):
    """A moment past the batch window."""
    return timezone.now() + datetime.timedelta(seconds=seconds)


@pytest.fixture
def staff(institution):
    user = User.objects.create_user("staffer", "staffer@example.org", "demo")
    user.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
    Affiliation.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (handing a new mail to the worker) as it would run after
    the request's transaction: the tests' own transaction never commits."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
