"""Subscribers, what they follow, what happened (events), and the mail sent about it (outbox).

The flow (following.pipeline runs it): the published history of the other apps becomes Events
(one per thing that happened, unique by key, so reading the same history twice adds nothing);
each Event becomes a Notice for every confirmed subscriber who follows it; a subscriber's pending
Notices become one OutboxMail once the batch window has passed (or once a week); the background
worker sends each OutboxMail, which keeps its own state so that a worker killed mid-batch sends
nothing twice and drops nothing.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan, ActionStep, Priority


def new_token():
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    """An email address that follows something. Stored only to send these mails; the subscriber
    may export or delete it from the preferences page (GDPR articles 15 and 17)."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As it happens (a few minutes after a change)")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency, default=Frequency.IMMEDIATE
    )
    # The secret in the links of every mail: preferences, export, unsubscribe.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last weekly digest"), null=True, blank=True)
    bounce_count = models.PositiveIntegerField(_("undeliverable mails"), default=0)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.suspended_at is None


class Subscription(models.Model):
    """One thing a subscriber follows: a plan, a priority, a step, or a plan's meetings."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Action plan")
        PRIORITY = "priority", _("Priority")
        STEP = "step", _("Action step")
        MEETINGS = "meetings", _("Meetings")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    step = models.ForeignKey(
        ActionStep, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "plan:3", "step:17": one row per subscriber and thing, whatever the kind.
    target = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # When the last confirmation mail for it was made: a form sent again soon makes no other.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subscriber", "plan", "kind", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "target"], name="follow_target_once")
        ]

    def __str__(self):
        return f"{self.subscriber_id} → {self.target}"


class Event(models.Model):
    """Something public that happened, read from the history of the other apps (sources)."""

    class Kind(models.TextChoices):
        STEP_UPDATE = "step_update", _("Step updated")
        OVERDUE = "overdue", _("Step overdue")
        MEETING_OUTCOME = "meeting_outcome", _("Meeting outcome")
        ANNOTATION = "annotation", _("Annotation")
        ASSESSMENT = "assessment", _("Assessment")
        REPORT = "report", _("Monitoring report")
        PLAN = "plan", _("Plan published")

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    # The record the event is about, by kind: a StepUpdate, a step, a meeting, an annotation,
    # an assessment, a report, the plan. Read again, with its visibility, when the mail is made.
    object_id = models.PositiveBigIntegerField()
    # For a step change made without an update (admin, SQL): the step's versions.
    from_version = models.PositiveIntegerField(null=True, blank=True)
    to_version = models.PositiveIntegerField(null=True, blank=True)
    # Who follows it, besides the plan's followers: these steps' and priorities' followers.
    step_ids = models.JSONField(default=list)
    priority_ids = models.JSONField(default=list)
    occurred_at = models.DateTimeField(db_index=True)
    # False until it has become notices; events recorded as the baseline never do.
    routed = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.key


class OutboxMail(models.Model):
    """One mail to one address, with everything needed to send it again unchanged."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirmation")
        DIGEST = "digest", _("Changes")
        REMINDER = "reminder", _("Reminder to staff")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up after retries")
        BOUNCED = "bounced", _("Refused by the receiving server")

    kind = models.CharField(max_length=20, choices=Kind)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    # A weekly reminder's key (user and week), so that a week gets one whatever the retries.
    key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    headers = models.JSONField(default=dict)
    message_id = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When the scheduler last handed it to the worker, and when a worker took it.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to} ({self.state})"


class Notice(models.Model):
    """An event for one subscriber: pending until it goes out in a mail (or is found no longer
    public when the mail is made, and dropped)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    mail = models.ForeignKey(
        OutboxMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices"
    )
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["subscriber", "event"], name="notice_once")]

    def __str__(self):
        return f"{self.event_id} for {self.subscriber_id}"


class Watermark(models.Model):
    """How far the sources have read the history: the moment the previous scan started."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.at}"
