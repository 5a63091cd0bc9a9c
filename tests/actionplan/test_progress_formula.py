"""Progress that explains itself: the weighted mean over reported steps, its explanation, and the
warning when reported progress and milestone completion disagree."""

from django.contrib.auth.models import Group, User

from actionplan.models import ActionStep, Milestone, Priority
from actionplan.models.roles import Role
from actionplan.statistics import disagreement, plan_statistics, step_statistics

S = ActionStep.Status


def make_step(code, status=S.IN_PROGRESS, progress=0, weight=1, priority_id=None):
    return ActionStep(
        code=code,
        title=code,
        status=status,
        progress=progress,
        weight=weight,
        priority_id=priority_id,
    )


def test_progress_is_the_mean_weighted_by_each_steps_weight():
    steps = [make_step("A", progress=100, weight=3), make_step("B", progress=20, weight=1)]

    stats = step_statistics(steps)

    # (3 × 100 + 1 × 20) / (3 + 1) = 80; the plain mean would be 60.
    assert stats.mean_progress == 80
    assert stats.explanation.weighted_sum == 320
    assert stats.explanation.total_weight == 4
    assert not stats.explanation.equal_weights


def test_equal_weights_give_the_plain_mean():
    stats = step_statistics([make_step("A", progress=30), make_step("B", progress=60)])

    assert stats.mean_progress == 45
    assert stats.explanation.equal_weights


def test_unreported_and_withdrawn_steps_are_left_out_by_name():
    steps = [
        make_step("A", progress=50, weight=2),
        make_step("B", S.NOT_REPORTED, 0, weight=5),
        make_step("C", S.WITHDRAWN, 10),
    ]

    stats = step_statistics(steps)

    assert stats.mean_progress == 50
    assert [t.step.code for t in stats.explanation.terms] == ["A"]
    assert [s.code for s in stats.explanation.left_out] == ["B", "C"]


def test_a_priority_without_steps_has_no_figure():
    priority = Priority(pk=1, code="P1", title="Empty")

    overall, per_priority = plan_statistics([priority], [])

    assert overall.mean_progress is None
    assert per_priority[0].stats.mean_progress is None
    assert per_priority[0].stats.explanation.terms == []


def test_a_priority_of_unreported_steps_only_has_no_figure():
    stats = step_statistics([make_step("A", S.NOT_REPORTED, 0)])

    assert stats.mean_progress is None
    assert len(stats.explanation.left_out) == 1


def test_reported_progress_far_from_the_milestones_done_is_flagged(step):
    # The step fixture has one milestone, not done.
    step.progress = 90
    step.status = S.IN_PROGRESS
    step.milestone_count, step.milestones_done = 2, 0
    assert disagreement(step)

    step.milestones_done = 2
    assert not disagreement(step)
    step.milestone_count = 0  # without milestones there is nothing to compare
    assert not disagreement(step)


def test_the_public_pages_explain_the_figure_and_show_both(client, step, english):
    Milestone.objects.filter(step=step).update(completed_on="2025-01-01")
    ActionStep.objects.filter(pk=step.pk).update(status=S.IN_PROGRESS, progress=40, weight=3)

    body = client.get(f"/en/plans/{step.plan.slug}/").content.decode()

    assert "How is this calculated" in body
    assert "120 ÷ 3 = 40" in body
    assert "Milestones done: 1 of 1" in body
    priority_page = client.get(f"/en/plans/{step.plan.slug}/priorities/P1/").content.decode()
    assert "How is this calculated" in priority_page


def test_staff_see_the_warning_and_the_public_does_not(client, step, english):
    ActionStep.objects.filter(pk=step.pk).update(status=S.IN_PROGRESS, progress=95)
    url = f"/en/plans/{step.plan.slug}/steps/{step.code}/"

    assert "far apart" not in client.get(url).content.decode()
    member = User.objects.create_user("member")
    member.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
    client.force_login(member)
    assert "far apart" in client.get(url).content.decode()
