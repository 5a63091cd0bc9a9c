from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    """Following a plan, priority, step or meeting list by email, without an account: double
    opt-in, digests from the step history and the other apps' published records, an outbox worked
    by the background worker, and the weekly reminder of steps without a recent report."""

    name = "following"
    verbose_name = _("Following by email")
