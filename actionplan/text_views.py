"""The plan's texts in both languages: the editor for a step's or a priority's wording, and the
completeness table that sends coordinators to what is missing."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

from actionplan import texts
from actionplan.access import get_plan_texts_for_user, get_texts_for_user
from actionplan.forms import TextsForm
from core.content import columns, completeness
from core.editing import StaleEdit
from core.forms import carry_version, summary_errors
from core.http import changes_data, hx_redirect, login_required, require_http_methods, require_safe
from core.languages import language_codes, language_name

FORM = "staff/texts.html#form"


@changes_data
@login_required
@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def edit_texts(request, plan_slug, kind, code):
    subject, access = get_texts_for_user(request, plan_slug, kind, code)
    access.require("can_edit")
    data = request.POST if request.method == "POST" else None
    form = TextsForm(data, subject=subject, version=texts.text_version(subject))
    conflict, status = None, 200
    if data is not None:
        status = 422
        if form.is_valid():
            try:
                revision = texts.save_texts(
                    subject,
                    form.apply,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit:
                conflict = _conflict(subject, form)
                carry_version(form, texts.text_version(subject))
                status = 409
            else:
                url = f"{subject.get_absolute_url()}#texts"
                if revision is None:
                    form.add_error(None, _("Nothing changed: edit a text or where it comes from."))
                else:
                    return hx_redirect(url) if request.htmx else redirect(url)
    context = {
        "subject": subject,
        "plan": subject.plan,
        "form": form,
        "conflict": conflict,
        "errors": summary_errors(form) if data is not None else [],
        "revisions": subject.text_revisions.select_related("actor")[:20],
    }
    return render(request, FORM if request.htmx else "staff/texts.html", context, status=status)


def _conflict(subject, form):
    """(label, saved meanwhile, yours) for each text that differs: from the database, not from
    the form's subject, which the failed save may have changed in memory."""
    saved = texts.stored_texts(subject)
    labels = {bound.name: bound.label for bound in form}
    rows = []
    for prefix, obj, fields in form.targets:
        for column in columns(*fields):
            key = f"milestone:{obj.order}:{column}" if prefix else column
            yours = form.cleaned_data[prefix + column]
            if saved.get(key, "") != yours:
                rows.append((labels[prefix + column], saved.get(key, ""), yours))
    return rows


@login_required
@never_cache
@require_safe
def translations(request, plan_slug):
    """Per plan, how much of each kind of content is written in each language, and what is
    missing, with links to where it is edited. For the plan's coordinators."""
    plan, access = get_plan_texts_for_user(request, plan_slug)
    access.require("can_edit")
    return render(
        request,
        "staff/translations.html",
        {
            "plan": plan,
            "kinds": completeness(plan, request.user),
            "language_names": [language_name(code) for code in language_codes()],
        },
    )
