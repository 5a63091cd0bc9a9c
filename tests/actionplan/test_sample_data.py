"""generate_sample_data: large, deterministic plans with a history recorded by the triggers."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actionplan.management.commands.generate_sample_data import generate_sample_data
from actionplan.models import ActionStep, Jurisdiction, Milestone, StepChange, StepUpdate
from actionplan.planfile import export_jurisdiction

pytestmark = pytest.mark.django_db


def generated_export(seed, **sizes):
    """The export of freshly generated data, rolled back afterwards."""
    with transaction.atomic():
        generate_sample_data(seed=seed, **sizes)
        text = export_jurisdiction(Jurisdiction.objects.get(slug=f"sample-city-{seed}"))
        transaction.set_rollback(True)
    return text


def test_same_seed_gives_the_same_data():
    sizes = {"plans": 2, "steps": 12, "updates": 3}
    assert generated_export(4, **sizes) == generated_export(4, **sizes)


def test_another_seed_gives_other_data():
    sizes = {"plans": 1, "steps": 12, "updates": 3}
    first, second = generated_export(4, **sizes), generated_export(6, **sizes)
    assert first.replace("sample-city-4", "x").replace("sample-4-", "y") != (
        second.replace("sample-city-6", "x").replace("sample-6-", "y")
    )


def test_command_creates_the_plans_steps_and_milestones_and_prints_a_summary():
    out = StringIO()
    call_command(
        "generate_sample_data",
        "--plans",
        "2",
        "--steps",
        "10",
        "--updates",
        "1",
        "--seed",
        "3",
        stdout=out,
    )

    assert out.getvalue().startswith("sample-city-3: 2 plans, 20 steps, ")
    steps = ActionStep.objects.filter(plan__jurisdiction__slug="sample-city-3")
    assert steps.count() == 20 and not steps.filter(is_sample=False).exists()
    assert set(steps.values_list("plan__slug", flat=True)) == {"sample-3-1", "sample-3-2"}
    assert set(steps.values_list("priority__code", flat=True)) == {"P1", "P2", "P3", "P4"}
    # order_by(): the translated model's manager orders explicitly, which would split the groups.
    per_step = (
        Milestone.objects.filter(step__in=steps).order_by().values("step").annotate(n=Max("order"))
    )
    assert {row["n"] for row in per_step} <= {2, 3}
    for step in steps.prefetch_related("roles"):
        assert len(step.leads()) == 1 and len(step.supporters()) <= 2
        step.full_clean()


def test_running_twice_with_the_same_seed_skips():
    generate_sample_data(plans=1, steps=5, updates=1, seed=8)
    steps = ActionStep.objects.count()

    summary = generate_sample_data(plans=1, steps=5, updates=1, seed=8)

    assert "exists already" in summary
    assert ActionStep.objects.count() == steps


def test_updates_are_spread_over_the_plan_period_and_the_last_is_recorded_by_the_triggers():
    generate_sample_data(plans=1, steps=8, updates=3, seed=2)

    for step in ActionStep.objects.select_related("plan"):
        updates = list(StepUpdate.objects.filter(step=step).order_by("created_at"))
        assert len(updates) == 3 and all(u.source == "sample" for u in updates)
        # The first two are past updates dated within the plan's period, oldest first.
        past, today = updates[:2], updates[2]
        assert all(u.backfilled for u in past) and not today.backfilled
        days = [timezone.localtime(u.created_at).date() for u in past]
        assert step.plan.period_start < days[0] < days[1] <= step.plan.period_end
        # The last one is today's edit: its range runs from the created version to the current.
        assert (today.from_version, today.to_version) == (1, step.version)
        recorded = StepChange.objects.filter(step=step).aggregate(v=Max("version"))["v"]
        assert recorded == step.version


def test_200_steps_are_generated_in_one_plan():
    # How fast is for bench/, not for a test on a shared machine.
    generate_sample_data(plans=1, steps=200, updates=3, seed=1)
    assert ActionStep.objects.count() == 200


def test_cities_option_makes_a_network_of_cities_in_several_countries():
    out = StringIO()
    call_command("generate_sample_data", cities=14, plans=3, steps=1, updates=0, seed=5, stdout=out)

    assert out.getvalue().startswith("sample-city-5 and 13 more cities: 42 plans, 42 steps, ")
    cities = Jurisdiction.objects.filter(slug__startswith="sample-city-5")
    assert cities.count() == 14
    assert {city.plans.count() for city in cities} == {3}
    assert cities.values("country").distinct().count() == 7
    # The first city keeps the names it had before there were several, so tests can rely on them.
    assert cities.get(slug="sample-city-5").plans.filter(slug="sample-5-1").exists()
    assert cities.get(slug="sample-city-5-2").name_sk == "Žilina (vzorka 2)"
