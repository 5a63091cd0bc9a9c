"""Following by email, without an account. Every page here is personal or carries a form, so
none is cached (never_cache); the public pages only link here, and stay cacheable.

The links in mails carry the subscriber's secret token; it stands in for a sign-in, and only
ever shows or changes that one address's subscriptions.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from actionplan import selectors
from core.http import changes_data, require_http_methods, require_POST, require_safe
from following import services
from following.forms import FollowForm, PreferencesForm
from following.models import Subscriber, Subscription


def _target(plan_slug, kind, code):
    plan = selectors.get_public_plan(plan_slug)
    if kind == Subscription.Kind.STEP:
        return services.Target(kind, plan, step=get_object_or_404(plan.steps.all(), code=code))
    if kind == Subscription.Kind.PRIORITY:
        return services.Target(kind, plan, priority=selectors.get_priority(plan, code))
    return services.Target(kind, plan)


@changes_data
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request, plan_slug, kind, code=None):
    target = _target(plan_slug, kind, code)
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            services.follow(target, **form.cleaned_data)
            return redirect(reverse("following:sent") + f"?to={target.url()}")
    else:
        form = FollowForm(initial={"language": get_language(), "frequency": "immediate"})
    return render(
        request,
        "following/follow.html",
        {
            "form": form,
            "target": target,
            "target_title": target.title(),
            "plan": target.plan,
            "jurisdiction": target.plan.jurisdiction,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_safe
def sent(request):
    back = request.GET.get("to", "")
    return render(
        request,
        "following/sent.html",
        {"back": back if back.startswith("/") and not back.startswith("//") else ""},
    )


@changes_data
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    try:
        subscription = services.check_confirmation(token)
    except services.InvalidLink as error:
        return render(
            request, "following/link_invalid.html", {"expired": error.expired}, status=400
        )
    title = services.subscription_title(subscription)
    if request.method == "POST":
        services.confirm(subscription)
        return render(
            request,
            "following/confirmed.html",
            {"title": title, "subscriber": subscription.subscriber},
        )
    return render(request, "following/confirm.html", {"title": title})


def _subscriber(token):
    return get_object_or_404(Subscriber, token=token)


@changes_data
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    subscriber = _subscriber(token)
    subscriptions = services.subscriptions_of(subscriber)
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriptions=subscriptions)
        if form.is_valid():
            services.save_preferences(subscriber, **form.cleaned_data)
            return redirect(reverse("following:manage", args=[token]) + "?saved=1")
    else:
        form = PreferencesForm(
            subscriptions=subscriptions,
            initial={
                "keep": [str(s.pk) for s in subscriptions],
                "language": subscriber.language,
                "frequency": subscriber.frequency,
            },
        )
    return render(
        request,
        "following/manage.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": request.GET.get("saved") == "1",
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_safe
def export(request, token):
    data = services.export(_subscriber(token))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="following.json"'
    return response


@changes_data
@never_cache
@require_POST
def delete(request, token):
    services.delete(_subscriber(token))
    return render(request, "following/deleted.html", {"title": _("Your address is deleted")})


@changes_data
@csrf_exempt  # RFC 8058: the mail provider posts without a form of ours, and the token suffices
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe: a POST (from the mail client, RFC 8058, or the button here) stops
    everything and forgets the address; a GET only asks. An unknown token is answered like a done
    unsubscription: the address may have gone already."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if request.method == "POST":
        if subscriber is not None:
            services.delete(subscriber)
        return render(request, "following/deleted.html", {"title": _("You are unsubscribed")})
    if subscriber is None:
        return render(
            request, "following/deleted.html", {"title": _("You are unsubscribed")}, status=404
        )
    return render(request, "following/unsubscribe.html", {"subscriber": subscriber})


@require_safe
def privacy(request):
    return render(request, "following/privacy.html")
