"""actionplan.access for templates: what the signed-in user may do on the page being rendered."""

from django import template

from actionplan import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_step(context, step):
    return access.can_edit_step(context["request"].user, step)


@register.filter
def is_team_member(user):
    """True for anyone with a role; they see who recorded a change, the public does not."""
    return access.is_team_member(user)
