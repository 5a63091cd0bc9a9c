import pytest

from tests.personas import build_world


@pytest.fixture
def monitoring_world(plan, jurisdiction, priority):
    """The permission tests' world: two institutions, a step of each, and the personas."""
    return build_world(plan, jurisdiction, priority)
