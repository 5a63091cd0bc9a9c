"""The mails, composed once and kept in the outbox exactly as they will be sent: subject, both
parts, and the headers (the RFC 8058 one-click unsubscribe among them).

Each is multipart: a plain-text part and an HTML part with the same content, in the subscriber's
language, with the portal's name and a link to each item.
"""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from following.items import absolute
from following.models import OutboxMail

CONFIRM_SALT = "following.confirm"


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def confirmation_token(subscription):
    """A signed, dated token naming the subscription; following.services.confirm checks its age."""
    return signing.dumps(
        {"s": subscription.pk, "t": subscription.subscriber.token}, salt=CONFIRM_SALT
    )


def subscriber_links(subscriber):
    """The preferences and unsubscribe addresses of a subscriber, in their language."""
    with translation.override(subscriber.language):
        return {
            "manage_url": absolute(reverse("following:manage", args=[subscriber.token])),
            "unsubscribe_url": absolute(reverse("following:unsubscribe", args=[subscriber.token])),
            "privacy_url": absolute(reverse("following:privacy")),
        }


def _mail(kind, to, language, subject, template, context, headers=None, **fields):
    """An unsaved OutboxMail rendered from following/mail/<template>.txt and .html."""
    message_id = make_msgid("following", domain=site_domain())
    with translation.override(language):
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_OPERATOR": settings.SITE_OPERATOR,
            "SITE_URL": settings.SITE_URL,
            "language": language,
            "subject": subject,
            **context,
        }
        text = render_to_string(f"following/mail/{template}.txt", context)
        html = render_to_string(f"following/mail/{template}.html", context)
    headers = {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
        **(headers or {}),
    }
    return OutboxMail(
        kind=kind,
        to=to,
        subject=f"{settings.SITE_NAME}: {subject}",
        text=text,
        html=html,
        headers=headers,
        message_id=message_id,
        **fields,
    )


def confirmation(subscription, target_title, target_url):
    subscriber = subscription.subscriber
    language = subscriber.language
    with translation.override(language):
        url = absolute(reverse("following:confirm", args=[confirmation_token(subscription)]))
        subject = _("Confirm that you want to follow %(title)s") % {"title": target_title}
    return _mail(
        OutboxMail.Kind.CONFIRM,
        subscriber.email,
        language,
        subject,
        "confirm",
        {
            "confirm_url": url,
            "target_title": target_title,
            "target_url": target_url,
            "hours": settings.FOLLOWING_CONFIRM_HOURS,
            "privacy_url": subscriber_links(subscriber)["privacy_url"],
        },
        subscriber=subscriber,
    )


def digest(subscriber, items, weekly=False):
    links = subscriber_links(subscriber)
    with translation.override(subscriber.language):
        if weekly:
            subject = ngettext(
                "Weekly digest: %(count)d change in what you follow",
                "Weekly digest: %(count)d changes in what you follow",
                len(items),
            ) % {"count": len(items)}
        elif len(items) == 1:
            subject = f"{items[0].title}: {items[0].label}"
        else:
            subject = ngettext(
                "%(count)d change in what you follow",
                "%(count)d changes in what you follow",
                len(items),
            ) % {"count": len(items)}
    list_id = f"<following.{site_domain()}>"
    return _mail(
        OutboxMail.Kind.DIGEST,
        subscriber.email,
        subscriber.language,
        subject,
        "digest",
        {"items": items, "weekly": weekly, **links},
        headers={
            # RFC 2369 and RFC 8058: a mail client's "Unsubscribe" posts to the link at once.
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id,
            "Precedence": "bulk",
        },
        subscriber=subscriber,
    )


def reminder(user, steps, key, language):
    """The weekly list of a staff member's steps that have gone without a report too long."""
    with translation.override(language):
        subject = ngettext(
            "%(count)d action step has had no report for more than %(days)d days",
            "%(count)d action steps have had no report for more than %(days)d days",
            len(steps),
        ) % {"count": len(steps), "days": settings.STALE_AFTER_DAYS}
        rows = [
            {
                "step": step,
                "url": absolute(reverse("staff:update_step", args=[step.plan.slug, step.code])),
            }
            for step in steps
        ]
        my_steps = absolute(reverse("staff:my_steps"))
    return _mail(
        OutboxMail.Kind.REMINDER,
        user.email,
        language,
        subject,
        "reminder",
        {"rows": rows, "my_steps_url": my_steps, "days": settings.STALE_AFTER_DAYS},
        key=key,
    )


def message(mail):
    """The mail as Django sends it: text, then the HTML alternative, with the stored headers."""
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=mail.headers,
    )
    email.attach_alternative(mail.html, "text/html")
    return email
