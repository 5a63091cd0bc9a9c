"""core.forms.GovukForm: what every form of the portal gets."""

from django import forms

from actionplan.models import ActionStep
from core.forms import GovukForm


class StepsForm(GovukForm, forms.Form):
    steps = forms.ModelMultipleChoiceField(queryset=ActionStep.objects.all(), required=False)
    step = forms.ModelChoiceField(queryset=ActionStep.objects.all(), required=False)


def test_an_id_beyond_the_database_range_is_an_invalid_choice_not_a_server_error(db):
    huge = "-2038889799815020412928"
    form = StepsForm({"steps": [huge], "step": huge})

    assert not form.is_valid()
    assert set(form.errors) == {"steps", "step"}
