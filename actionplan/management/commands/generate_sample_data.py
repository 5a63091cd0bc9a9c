"""Large synthetic plans for tests and benchmarks: the same seed always gives the same data.

Everything is drawn from random.Random(seed); nothing depends on today's date, so an export of the
result is the same on every run. Only the history timestamps (written by the database triggers)
are real. With --cities the network of cities grows (e.g. 100 cities with 3 plans each, for the
home page and the network page at scale). If the jurisdiction sample-city-<seed> exists already,
nothing is generated: the command skips rather than replaces, because a step with history cannot
be deleted.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplan import backfill
from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Milestone,
    OgpValue,
    Priority,
    StepInstitution,
    StepUpdate,
)

DEPARTMENTS = [
    "Transport",
    "Housing",
    "Culture",
    "Environment",
    "Education",
    "Social Affairs",
    "Finance",
    "Digital Services",
    "Urban Planning",
    "Sport",
]
VERBS = ["Publish", "Pilot", "Co-design", "Evaluate", "Map", "Simplify", "Digitise", "Review"]
TOPICS = [
    "open data on public spending",
    "the participatory budget",
    "public procurement notices",
    "school meal contracts",
    "street lighting repairs",
    "green space maintenance",
    "bus timetables",
    "youth services",
    "building permits",
    "waste collection",
    "library opening hours",
    "council meeting minutes",
]
PRIORITY_TITLES = ["Transparency", "Participation", "Accountability", "Digital innovation"]
MILESTONE_TITLES = ["Scope agreed", "Pilot launched", "Results published"]
# Towns of the other generated cities (--cities): accented names, to try the search that folds
# accents, in several countries, to try the grouping by country.
TOWNS = [
    ("Slovakia", "Žilina"),
    ("Czechia", "Plzeň"),
    ("Poland", "Kraków"),
    ("Slovakia", "Košice"),
    ("Austria", "Graz"),
    ("Hungary", "Győr"),
    ("Czechia", "České Budějovice"),
    ("Slovenia", "Ljubljana"),
    ("Poland", "Gdańsk"),
    ("Slovakia", "Trenčín"),
    ("Croatia", "Rijeka"),
    ("Hungary", "Pécs"),
]
STATUSES = [
    ActionPlan.Status.PUBLISHED,
    ActionPlan.Status.IN_IMPLEMENTATION,
    ActionPlan.Status.CLOSED,
]


@dataclass
class _StepState:
    step: ActionStep
    milestones: list = field(default_factory=list)  # [(Milestone, progress that completes it)]
    status: str = ActionStep.Status.NOT_STARTED
    progress: int = 0
    version: int = 1


def _days(start, end):
    return (end - start).days


def _build_plan(rng, city, prefix, number):
    start = datetime.date(2022 + number, 1, 1)
    plan = ActionPlan.objects.create(
        jurisdiction=city,
        slug=f"{prefix}-{number}",
        code=f"SAMPLE {number}",
        # English only: the Slovak pages show the fallback, as for a plan not yet translated.
        title_en=f"Sample action plan {number}",
        status=rng.choice(STATUSES),
        period_start=start,
        period_end=datetime.date(start.year + 2, 12, 31),
        declared_groups=rng.randint(3, 12),
        declared_public_meetings=rng.randint(4, 30),
    )
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, order=n, code=f"P{n}", title_en=title)
        for n, title in enumerate(PRIORITY_TITLES, start=1)
    )
    return plan, priorities


def _build_steps(rng, plan, priorities, count, institutions):
    per_priority = [count // 4 + (1 if n < count % 4 else 0) for n in range(4)]
    steps, order = [], 0
    for priority, how_many in zip(priorities, per_priority, strict=True):
        for n in range(1, how_many + 1):
            order += 1
            start = end = None
            if rng.random() < 0.9:
                start = plan.period_start + datetime.timedelta(days=rng.randint(0, 365))
                end = min(start + datetime.timedelta(days=rng.randint(90, 540)), plan.period_end)
            values = rng.sample(OgpValue.values, rng.randint(1, 2))
            steps.append(
                ActionStep(
                    plan=plan,
                    priority=priority,
                    order=order,
                    code=f"{priority.code}.{n}",
                    title_en=f"{rng.choice(VERBS)} {rng.choice(TOPICS)}",
                    description_en="Synthetic step for tests and benchmarks.",
                    start_date=start,
                    end_date=end,
                    is_sample=True,
                    **{f"value_{value}": True for value in values},
                )
            )
    ActionStep.objects.bulk_create(steps)

    states, milestones, roles = [], [], []
    for step in steps:
        state = _StepState(step)
        first = step.start_date or plan.period_start
        last = step.end_date or plan.period_end
        count_ms = rng.randint(2, 3)
        for n in range(1, count_ms + 1):
            milestone = Milestone(
                step=step,
                order=n,
                title_en=MILESTONE_TITLES[n - 1],
                due_date=first + datetime.timedelta(days=_days(first, last) * n // count_ms),
            )
            milestones.append(milestone)
            state.milestones.append((milestone, 100 * n // (count_ms + 1)))
        lead, *supporting = rng.sample(institutions, rng.randint(1, 3))
        roles.append(StepInstitution(step=step, institution=lead, role=StepInstitution.Role.LEAD))
        roles.extend(
            StepInstitution(step=step, institution=i, role=StepInstitution.Role.SUPPORTING)
            for i in supporting
        )
        states.append(state)
    Milestone.objects.bulk_create(milestones)
    StepInstitution.objects.bulk_create(roles)
    return states


def _advance(rng, state, rounds):
    """Move a step on, always changing status or progress so that each update is one version."""
    if state.progress == 100:
        state.status, state.progress = ActionStep.Status.IN_PROGRESS, rng.randint(60, 95)
        return
    state.progress = min(100, state.progress + rng.randint(1, max(1, 200 // (rounds + 1))))
    if state.progress == 100:
        state.status = ActionStep.Status.COMPLETED
    elif rng.random() < 0.1:
        state.status = ActionStep.Status.ON_HOLD
    else:
        state.status = ActionStep.Status.IN_PROGRESS


def _update_days(plan, rounds, today):
    """`rounds` days spread evenly over the plan's period up to yesterday."""
    last = min(plan.period_end, today - datetime.timedelta(days=1))
    span = max((last - plan.period_start).days, rounds)
    return [
        plan.period_start + datetime.timedelta(days=span * n // (rounds + 1))
        for n in range(1, rounds + 1)
    ]


def _apply_updates(rng, states, rounds):
    """Spread the updates over each plan's period: all but the last are past updates stored with
    their dates (backfilled, as a city's history brought in by the plan file); the last is made
    through the ORM today, so the triggers record the current state as for a real edit."""
    if not rounds:
        return 0
    today = timezone.localdate()
    past, notes = {}, []
    for number in range(1, rounds + 1):
        for state in states:
            _advance(rng, state, rounds)
            if number < rounds:
                day = _update_days(state.step.plan, rounds, today)[number - 1]
                past.setdefault(state.step, []).append(
                    backfill.PastUpdate(
                        day,
                        f"Sample update {number} of {rounds}: progress {state.progress}%.",
                        source="sample",
                        language="en",
                        status=state.status,
                        progress=state.progress,
                    )
                )
                continue
            ActionStep.objects.filter(pk=state.step.pk).update(
                status=state.status, progress=state.progress, updated_at=timezone.now()
            )
            reached = [
                m for m, at in state.milestones if at <= state.progress and not m.completed_on
            ]
            for milestone in reached:
                milestone.completed_on = milestone.due_date
            if reached:
                Milestone.objects.filter(pk__in=[m.pk for m in reached]).update(
                    completed_on=F("due_date")
                )
            # One version for the step's row, one per milestone row the trigger saw change.
            to_version = state.version + 1 + len(reached)
            notes.append(
                StepUpdate(
                    step=state.step,
                    from_version=state.version,
                    to_version=to_version,
                    source="sample",
                    note=f"Sample update {number} of {rounds}: progress {state.progress}%.",
                )
            )
            state.version = to_version
    StepUpdate.objects.bulk_create(notes)
    return len(notes) + backfill.record_for_new_steps(past)


def _city(seed, number):
    """The first city is sample-city-<seed> with plans sample-<seed>-<n>, as before there were
    several; city k is sample-city-<seed>-<k>, named after a town, with plans
    sample-<seed>-c<k>-<n>."""
    if number == 1:
        city = Jurisdiction(
            name_en=f"Sample City {seed}",
            name_sk=f"Vzorové mesto {seed}",
            slug=f"sample-city-{seed}",
            country="Slovakia",
        )
        return city, f"sample-{seed}"
    country, town = TOWNS[(number - 2) % len(TOWNS)]
    city = Jurisdiction(
        name_en=f"{town} (sample {number})",
        name_sk=f"{town} (vzorka {number})",
        slug=f"sample-city-{seed}-{number}",
        country=country,
    )
    return city, f"sample-{seed}-c{number}"


def generate_sample_data(plans, steps, updates, seed, cities=1):
    """Create sample-city-<seed> (and more cities) with their plans; return a one-line summary."""
    started = time.monotonic()
    slug = f"sample-city-{seed}"
    if Jurisdiction.objects.filter(slug=slug).exists():
        return f"{slug} exists already; nothing generated (use another --seed for new data)."
    rng = random.Random(seed)
    with transaction.atomic():
        states = []
        for city_number in range(1, cities + 1):
            city, prefix = _city(seed, city_number)
            city.save()
            institutions = Institution.objects.bulk_create(
                Institution(
                    jurisdiction=city,
                    slug=f"dept-{n}",
                    name_en=f"Department of {name}",
                    kind=Institution.Kind.DEPARTMENT,
                )
                for n, name in enumerate(DEPARTMENTS, start=1)
            )
            for number in range(1, plans + 1):
                plan, priorities = _build_plan(rng, city, prefix, number)
                states.extend(_build_steps(rng, plan, priorities, steps, institutions))
        update_count = _apply_updates(rng, states, updates)
    milestone_count = sum(len(state.milestones) for state in states)
    where = slug if cities == 1 else f"{slug} and {cities - 1} more cities"
    return (
        f"{where}: {plans * cities} plans, {len(states)} steps, {milestone_count} milestones, "
        f"{update_count} updates in {time.monotonic() - started:.1f} s"
    )


class Command(BaseCommand):
    help = (
        "Generate a synthetic jurisdiction sample-city-<seed> with plans, steps, milestones and "
        "a recorded history, for tests and benchmarks. Same seed, same data. Skips if that "
        "jurisdiction exists already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cities", type=int, default=1, help="cities to create, each with --plans (default 1)"
        )
        parser.add_argument(
            "--plans", type=int, default=1, help="plans per city to create (default 1)"
        )
        parser.add_argument("--steps", type=int, default=20, help="steps per plan (default 20)")
        parser.add_argument(
            "--updates", type=int, default=2, help="status/progress updates per step (default 2)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, cities, plans, steps, updates, seed, **options):
        if min(plans, steps, updates) < 0:
            raise CommandError("--plans, --steps and --updates cannot be negative")
        if cities < 1:
            raise CommandError("--cities must be at least 1")
        self.stdout.write(generate_sample_data(plans, steps, updates, seed, cities))
