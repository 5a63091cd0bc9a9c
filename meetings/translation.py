"""Meetings in each site language (see actionplan/translation.py). Board annotations are not
translated: they stay in the language they were written in, which they record."""

from modeltranslation.translator import TranslationOptions, register

from meetings.models import AgendaItem, Meeting, MeetingDocument, Participation, ReasonedResponse


@register(Meeting)
class MeetingText(TranslationOptions):
    fields = ("title", "description", "outcomes", "date_note", "place")


@register(AgendaItem)
class AgendaItemText(TranslationOptions):
    fields = ("title",)


@register(Participation)
class ParticipationText(TranslationOptions):
    fields = ("description",)


@register(MeetingDocument)
class MeetingDocumentText(TranslationOptions):
    fields = ("title",)


@register(ReasonedResponse)
class ReasonedResponseText(TranslationOptions):
    fields = ("text", "reason")
