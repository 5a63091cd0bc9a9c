"""The register of reasoned responses: who may propose and publish, what its page reads, its
figures, and the one way an entry is written.

- Everyone reads the published entries of a public plan.
- Board members and coordinators of the plan propose entries (an input with the response they
  suggest); a proposed entry is seen only by them.
- A coordinator publishes an entry; only then is it public.
"""

from collections import Counter
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models.roles import Role, plan_roles
from core.access import Access
from core.content import columns
from core.forms import DateInput, FilterSelect, GovukForm, search_field
from core.search import matching

from .models import Meeting, ReasonedResponse

PROPOSERS = frozenset({Role.COORDINATOR, Role.BOARD})


@dataclass(frozen=True)
class RegisterAccess(Access):
    can_propose: bool
    can_publish: bool


def register_access(user, plan):
    held = plan_roles(user, plan.pk)
    return RegisterAccess(can_propose=bool(held & PROPOSERS), can_publish=Role.COORDINATOR in held)


def entries(plan):
    # meeting, group, step: each entry names and links them; the step's priority filters.
    return plan.responses.select_related("meeting", "group__jurisdiction", "step__priority")


def proposed_entries(plan):
    return list(entries(plan).filter(is_published=False).order_by("-id"))


def get_proposed(plan, pk):
    return get_object_or_404(plan.responses.filter(is_published=False), pk=pk)


def filter_entries(queryset, *, q="", response="", source="", priority=""):
    if q:
        queryset = queryset.filter(matching(q, *columns("text", "reason")))
    if response:
        queryset = queryset.filter(response=response)
    if source:
        queryset = queryset.filter(source_kind=source)
    if priority:
        queryset = queryset.filter(step__priority__code=priority)
    return queryset


@dataclass
class ResponseFigures:
    total: int
    adopted: int
    partly: int
    not_adopted: int
    considering: int


def figures(plan):
    """The published entries counted by response, in one query."""
    counts = Counter(
        plan.responses.filter(is_published=True).values_list("response", flat=True).order_by()
    )
    kinds = ReasonedResponse.Response
    return ResponseFigures(
        total=sum(counts.values()),
        adopted=counts[kinds.ADOPTED],
        partly=counts[kinds.PARTLY],
        not_adopted=counts[kinds.NOT_ADOPTED],
        considering=counts[kinds.CONSIDERING],
    )


def publish(entry, user):
    ReasonedResponse.objects.filter(pk=entry.pk).update(
        is_published=True, published_at=timezone.now()
    )
    entry.is_published = True


# --- Forms ---------------------------------------------------------------------------------------


class RegisterFilterForm(GovukForm, forms.Form):
    q = search_field(_("Words in the input or the reason"))
    response = forms.ChoiceField(
        label=_("Response"),
        required=False,
        choices=[("", _("Any response")), *ReasonedResponse.Response.choices],
        widget=FilterSelect,
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("Any source")), *ReasonedResponse.SourceKind.choices],
        widget=FilterSelect,
    )
    priority = forms.ChoiceField(label=_("Priority"), required=False, widget=FilterSelect)

    def __init__(self, data, *, priorities):
        super().__init__(data)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (p.code, f"{p.code} {p.title}") for p in priorities
        ]


class ResponseForm(GovukForm, forms.ModelForm):
    """An input and the response proposed to it; the coordinator may publish at once."""

    publish = forms.BooleanField(label=_("Publish now"), required=False)

    class Meta:
        model = ReasonedResponse
        fields = [
            "source_kind",
            "meeting",
            "received_on",
            "group",
            "author_name",
            "author_consents",
            "text_sk",
            "text_en",
            "response",
            "reason_sk",
            "reason_en",
            "step",
        ]
        widgets = {
            "received_on": DateInput(),
            "source_kind": forms.RadioSelect,
            "response": forms.RadioSelect,
            "text_sk": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
            "reason_sk": forms.Textarea(attrs={"rows": 3}),
            "reason_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "text_sk": _("The input, in Slovak"),
            "text_en": _("The input, in English"),
            "reason_sk": _("Reason, in Slovak"),
            "reason_en": _("Reason, in English"),
        }

    def __init__(self, *args, plan, can_publish, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["meeting"].queryset = Meeting.objects.filter(plan=plan)
        self.fields["step"].queryset = plan.steps.all()
        self.fields["group"].queryset = plan.jurisdiction.stakeholder_groups.filter(
            Q(plan__isnull=True) | Q(plan=plan)
        )
        if not can_publish:
            del self.fields["publish"]
