"""Writes the sign-in audit log (SignInEvent) from the signals of Django's auth, django-axes and
the role tables, so that every path is logged: the sign-in form, the admin, a management command.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from actionplan.models import Affiliation, PlanRole
from core.http import client_ip
from portal.models import SignInEvent


def _address(request):
    return client_ip(request) or None if request is not None else None


def record(kind, *, request=None, user=None, username="", detail=""):
    SignInEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip_address=_address(request),
        detail=detail[:300],
    )


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender, request, user, **kwargs):
    record(SignInEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(SignInEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_failed")
def _failed(sender, credentials, request=None, **kwargs):
    record(SignInEvent.Kind.FAILED, request=request, username=credentials.get("username") or "")


def locked_out(sender, request, username, ip_address, **kwargs):
    record(SignInEvent.Kind.LOCKED_OUT, request=request, username=username or "")


def _role_text(instance):
    if isinstance(instance, Affiliation):
        return f"staff of {instance.institution}"
    return f"{instance.get_role_display()} of {instance.plan.code}"


@receiver(post_save, sender=Affiliation, dispatch_uid="audit_affiliation_saved")
@receiver(post_save, sender=PlanRole, dispatch_uid="audit_plan_role_saved")
def _role_given(sender, instance, created, **kwargs):
    verb = "given" if created else "changed"
    record(
        SignInEvent.Kind.ROLE_CHANGED, user=instance.user, detail=f"{verb}: {_role_text(instance)}"
    )


@receiver(post_delete, sender=Affiliation, dispatch_uid="audit_affiliation_deleted")
@receiver(post_delete, sender=PlanRole, dispatch_uid="audit_plan_role_deleted")
def _role_taken(sender, instance, **kwargs):
    record(
        SignInEvent.Kind.ROLE_CHANGED, user=instance.user, detail=f"taken: {_role_text(instance)}"
    )


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="audit_groups")
def _groups_changed(sender, instance, action, pk_set, reverse, model, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear"):
        return
    names = ", ".join(
        sorted(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    )
    verb = {"post_add": "given", "post_remove": "taken", "post_clear": "all taken"}[action]
    record(SignInEvent.Kind.ROLE_CHANGED, user=instance, detail=f"groups {verb}: {names}".strip())
