from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm
from following.models import Subscriber


def _language():
    return forms.ChoiceField(
        label=_("Language of the mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language of the mails.")},
    )


def _frequency():
    return forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want to hear.")},
    )


class FollowForm(GovukForm, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a link to confirm it. Nothing is sent until you open that link."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    language = _language()
    frequency = _frequency()


class PreferencesForm(GovukForm, forms.Form):
    keep = forms.MultipleChoiceField(
        label=_("What you follow"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick what you no longer want to hear about."),
    )
    language = _language()
    frequency = _frequency()

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(s.pk), s.title) for s in subscriptions]
