"""Meetings and annotations: public pages, calendars, and the forms of editors and the board.

Every form works as a full page (post/redirect/get) and, with HTMX, as a fragment of the page:
invalid input comes back in the same fragment with 422, a stale edit with 409 and the current
values beside the user's input.
"""

from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from actionplan.models import ActionPlan
from actionplan.selectors import get_public_plan
from core.editing import StaleEdit
from core.files import attachment
from core.forms import (
    FilterSelect,
    GovukForm,
    VersionForm,
    carry_version,
    search_field,
    summary_errors,
)
from core.http import (
    changes_data,
    hx_redirect,
    login_required,
    require_http_methods,
    require_POST,
    require_safe,
    safe_next,
)

from . import access, ical, queries, services
from .forms import AnnotationForm, MeetingForm, part_formsets
from .models import Meeting


class MeetingFilterForm(GovukForm, forms.Form):
    """The list's filters, read from GET so that a filtered list can be bookmarked."""

    plan = forms.ChoiceField(label=_("Plan"), required=False, widget=FilterSelect)
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        required=False,
        choices=[("", _("Any kind")), *Meeting.Kind.choices],
        widget=FilterSelect,
    )
    q = search_field(_("Title, description, outcomes or a public annotation"))

    def __init__(self, data, *, plans):
        super().__init__(data)
        self.plans = {plan.slug: plan for plan in plans}
        self.fields["plan"].choices = [("", _("All plans"))] + [
            (plan.slug, f"{plan.code} ({plan.jurisdiction.name})") for plan in plans
        ]

    def filters(self):
        data = getattr(self, "cleaned_data", {})
        return {
            "plan": self.plans.get(data.get("plan") or ""),
            "kind": data.get("kind") or "",
            "q": data.get("q") or "",
        }


@vary_on_headers("HX-Request")
@require_safe
def meeting_list(request):
    # The plans to filter by, with their city for the option labels.
    plans = list(ActionPlan.objects.public().select_related("jurisdiction"))
    form = MeetingFilterForm(request.GET, plans=plans)
    # An invalid value is reported beside its control; the valid filters still apply.
    form.is_valid()
    filters = form.filters()
    upcoming, past = queries.split_upcoming(queries.list_meetings(request.user, **filters))
    context = {
        "form": form,
        "plan": filters["plan"],
        "upcoming": upcoming,
        "past": past,
        "total": len(upcoming) + len(past),
        "filtered": any(filters.values()),
        # Plans in which the reader may record a meeting (none for the public: no queries).
        "creatable": [p for p in plans if access.can_create_meeting(request.user, p)]
        if request.user.is_authenticated
        else [],
    }
    template = "meetings/list.html#results" if request.htmx else "meetings/list.html"
    return render(request, template, context)


@require_safe
def plan_meetings(request, plan_slug):
    plan = get_public_plan(plan_slug)
    return redirect(f"{reverse('meetings:list')}?plan={plan.slug}")


def _record_context(request, meeting, meeting_access, form=None):
    """What the agenda-and-annotations fragment needs (it is re-rendered after each change)."""
    general, by_item = queries.meeting_annotations(meeting, request.user, meeting_access)
    agenda = list(meeting.agenda_items.all())
    for item in agenda:
        item.notes = by_item.get(item.pk, [])
    if form is None and meeting_access.can_annotate:
        form = AnnotationForm(meeting=meeting)
    return {
        "plan": meeting.plan,
        "meeting": meeting,
        "access": meeting_access,
        "agenda": agenda,
        "general_annotations": general,
        "annotation_form": form,
    }


@require_safe
def meeting_page(request, plan_slug, slug):
    meeting, meeting_access = access.get_meeting_for_user(
        request, plan_slug, slug, queryset=queries.meeting_page_queryset()
    )
    context = _record_context(request, meeting, meeting_access)
    if meeting_access.can_edit:
        context["revisions"] = meeting.revisions.select_related("actor")[:20]
    return render(request, "meetings/meeting.html", context)


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def create_meeting(request, plan_slug):
    plan, plan_access = access.get_plan_for_user(request, plan_slug)
    plan_access.require("can_create")
    return _meeting_form(request, plan, Meeting(plan=plan))


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def edit_meeting(request, plan_slug, slug):
    meeting, meeting_access = access.get_meeting_for_user(request, plan_slug, slug)
    meeting_access.require("can_edit")
    return _meeting_form(request, meeting.plan, meeting)


def _meeting_form(request, plan, meeting):
    user = request.user
    organisers = access.organiser_choices(user, plan, current=meeting.organiser_id)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(
        data,
        instance=meeting,
        plan=plan,
        organisers=organisers,
        organiser_required=not access.is_coordinator(user, plan.pk),
    )
    formsets = part_formsets(data, meeting, plan)
    conflict, status = None, 200
    if data is not None:
        if form.is_valid() and all(formset.is_valid() for _name, _heading, formset in formsets):
            try:
                saved = services.save_meeting(
                    meeting,
                    lambda m: _apply(form, formsets),
                    actor=user,
                    expected_version=form.cleaned_data["version"] if meeting.pk else None,
                )
            except StaleEdit as stale:
                conflict = services.conflicting_values(form, formsets, stale.current)
                carry_version(form, stale.current.version)
                status = 409
            else:
                url = saved.get_absolute_url()
                return hx_redirect(url) if request.htmx else redirect(url)
        else:
            status = 422
    context = {
        "plan": plan,
        "meeting": meeting,
        "form": form,
        "formsets": formsets,
        "conflict": conflict,
        "errors": summary_errors(form, *(formset for _name, _heading, formset in formsets))
        if data is not None
        else [],
    }
    template = "meetings/meeting_form.html#form" if request.htmx else "meetings/meeting_form.html"
    return render(request, template, context, status=status)


def _apply(form, formsets):
    form.save()
    for _name, _heading, formset in formsets:
        formset.instance = form.instance
        formset.save()


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def add_annotation(request, plan_slug, slug):
    meeting, meeting_access = access.get_meeting_for_user(
        request, plan_slug, slug, queryset=queries.meeting_page_queryset()
    )
    meeting_access.require("can_annotate")
    data = request.POST if request.method == "POST" else None
    form = AnnotationForm(data, meeting=meeting, initial={"agenda_item": request.GET.get("item")})
    status = 200
    if data is not None:
        if form.is_valid():
            annotation = services.create_annotation(form.instance, author=request.user)
            if not request.htmx:
                return redirect(f"{meeting.get_absolute_url()}#annotation-{annotation.pk}")
            form = None  # a fresh form under the updated record
        else:
            status = 422
    context = _record_context(request, meeting, meeting_access, form)
    if form is None:
        context["announcement"] = _("Your annotation was added.")
    template = "meetings/meeting.html#record" if request.htmx else "meetings/annotation_form.html"
    return render(request, template, context, status=status)


@require_safe
def annotation(request, pk):
    """One annotation: the fragment for HTMX (to cancel an edit), else its place on the page."""
    annotation, annotation_access = access.get_annotation_for_user(request, pk)
    meeting_access = annotation_access.meeting
    if not request.htmx:
        return redirect(_annotation_url(annotation))
    return _annotation_fragment(request, annotation, meeting_access)


def _annotation_url(annotation):
    return f"{annotation.meeting.get_absolute_url()}#annotation-{annotation.pk}"


def _annotation_fragment(request, annotation, meeting_access, status=200, message=""):
    queries.decorate(annotation, meeting_access)
    context = {
        "annotation": annotation,
        "meeting": annotation.meeting,
        "plan": annotation.meeting.plan,
        "access": meeting_access,
        "message": message,
    }
    if request.htmx:
        return render(request, "meetings/meeting.html#annotation", context, status=status)
    return render(request, "meetings/annotation_page.html", context, status=status)


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def edit_annotation(request, pk):
    annotation, annotation_access = access.get_annotation_for_user(request, pk)
    annotation_access.require("can_change")
    meeting_access = annotation_access.meeting
    meeting = annotation.meeting
    # The form opens inside the meeting page, next to the form that adds annotations.
    prefix = f"annotation-{annotation.pk}"
    conflict, status = None, 200
    if request.method == "POST":
        form = AnnotationForm(request.POST, instance=annotation, meeting=meeting, prefix=prefix)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.change_annotation(
                    annotation,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **values,
                )
            except StaleEdit as stale:
                conflict = stale.current
                carry_version(form, stale.current.version)
                status = 409
            else:
                if request.htmx:
                    return _annotation_fragment(request, annotation, meeting_access)
                return redirect(_annotation_url(annotation))
        else:
            status = 422
    else:
        form = AnnotationForm(instance=annotation, meeting=meeting, prefix=prefix)
    context = {
        "plan": meeting.plan,
        "meeting": meeting,
        "annotation": annotation,
        "annotation_form": form,
        "conflict": conflict,
    }
    template = (
        "meetings/annotation_form.html#edit_form"
        if request.htmx
        else "meetings/annotation_form.html"
    )
    return render(request, template, context, status=status)


def _annotation_action(request, annotation, meeting_access, action):
    """Withdraw or mark done: the conditional update, then the annotation as it now stands."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("The version sent with the button is not a version number.")
    try:
        action(annotation, actor=request.user, expected_version=form.cleaned_data["version"])
    except StaleEdit as stale:
        stale.current.meeting = annotation.meeting
        return _annotation_fragment(
            request,
            stale.current,
            meeting_access,
            status=409,
            message=_(
                "This annotation changed after you opened the page. Here it is as it "
                "stands now; try again if it still applies."
            ),
        )
    if request.htmx:
        return _annotation_fragment(request, annotation, meeting_access)
    next_url = safe_next(request, request.POST.get("next"))
    if next_url:
        return redirect(next_url)
    return redirect(_annotation_url(annotation))


@changes_data
@login_required
@require_POST
def withdraw_annotation(request, pk):
    annotation, annotation_access = access.get_annotation_for_user(request, pk)
    annotation_access.require("can_change")
    meeting_access = annotation_access.meeting
    return _annotation_action(request, annotation, meeting_access, services.withdraw_annotation)


@changes_data
@login_required
@require_POST
def mark_follow_up_done(request, pk):
    annotation, annotation_access = access.get_annotation_for_user(request, pk)
    annotation_access.require("can_mark_done")
    meeting_access = annotation_access.meeting
    return _annotation_action(request, annotation, meeting_access, services.mark_follow_up_done)


@require_safe
def document(request, plan_slug, slug, pk):
    """A meeting's document file, as a download, to those who may see the meeting."""
    meeting, _meeting_access = access.get_meeting_for_user(request, plan_slug, slug)
    item = get_object_or_404(meeting.documents.exclude(file=""), pk=pk)
    return attachment(item.file, item.file_name, item.content_type)


def _calendar_response(request, meetings, name, filename):
    body = ical.calendar_for(
        meetings,
        name,
        absolute_url=lambda m: request.build_absolute_uri(m.get_absolute_url()),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def plan_calendar(request, plan_slug):
    plan = get_public_plan(plan_slug)
    # plan: each event links to its meeting page, whose address names the plan.
    meetings = Meeting.objects.public().filter(plan=plan).select_related("plan")
    return _calendar_response(
        request,
        meetings.order_by("start_date", "start_time"),
        _("%(code)s: meetings") % {"code": plan.code},
        f"{plan.slug}-meetings.ics",
    )


@require_safe
def meeting_calendar(request, plan_slug, slug):
    meeting = get_object_or_404(
        Meeting.objects.public().select_related("plan"), plan__slug=plan_slug, slug=slug
    )
    if not meeting.has_exact_date:
        raise Http404
    return _calendar_response(request, [meeting], meeting.title, f"{meeting.slug}.ics")
