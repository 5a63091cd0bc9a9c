"""A PDF's cache key is the same in the web request that queues it and in the worker that
renders it, whatever language each has active (else every render is dropped as stale)."""

import pytest
from django.utils import translation

from publishing import documents


@pytest.mark.django_db
def test_the_key_does_not_depend_on_the_active_language(monitoring_world):
    world = monitoring_world
    document = documents.StepSheet(world.plan, "en", None, world.step_a, "https://portal.example/")
    keys = set()
    for language in ("en", "sk", None):
        with translation.override(language):
            keys.add(document.key())
    assert len(keys) == 1
