"""The register of reasoned responses: its public page, the board's proposals and the
coordinator's publishing (meetings.register)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from actionplan import selectors
from actionplan.selectors import get_public_plan
from core.http import changes_data, login_required, require_http_methods, require_POST, require_safe

from . import register


@require_safe
def responses(request, plan_slug):
    plan = get_public_plan(plan_slug)
    access = register.register_access(request.user, plan)
    form = register.RegisterFilterForm(request.GET, priorities=selectors.plan_priorities(plan))
    form.is_valid()
    published = register.filter_entries(
        register.entries(plan).filter(is_published=True), **form.cleaned_data
    )
    return render(
        request,
        "meetings/responses.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "form": form,
            "entries": list(published),
            "figures": register.figures(plan),
            "filtered": any(request.GET.values()),
            "proposed": register.proposed_entries(plan) if access.can_propose else [],
            "access": access,
        },
        status=400 if form.errors else 200,
    )


@changes_data
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def propose_response(request, plan_slug):
    plan = get_public_plan(plan_slug)
    access = register.register_access(request.user, plan)
    access.require("can_propose")
    status = 200
    if request.method == "POST":
        form = register.ResponseForm(request.POST, plan=plan, can_publish=access.can_publish)
        if form.is_valid():
            entry = form.save(commit=False)
            entry.proposed_by = request.user
            entry.save()
            if access.can_publish and form.cleaned_data.get("publish"):
                register.publish(entry, request.user)
                messages.success(request, _("The response is published in the register."))
            else:
                messages.success(
                    request, _("The response is proposed. A coordinator publishes it.")
                )
            return redirect("meetings:responses", plan_slug=plan.slug)
        status = 422
    else:
        form = register.ResponseForm(plan=plan, can_publish=access.can_publish)
    return render(
        request,
        "meetings/response_form.html",
        {"plan": plan, "jurisdiction": plan.jurisdiction, "form": form},
        status=status,
    )


@changes_data
@login_required
@require_POST
def publish_response(request, plan_slug, pk):
    plan = get_public_plan(plan_slug)
    access = register.register_access(request.user, plan)
    if not access.can_propose:
        raise PermissionDenied
    access.require("can_publish")
    entry = register.get_proposed(plan, pk)
    register.publish(entry, request.user)
    messages.success(request, _("The response is published in the register."))
    return redirect("meetings:responses", plan_slug=plan.slug)
