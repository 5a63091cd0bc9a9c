from django.conf import settings
from django.utils.html import format_html


def site(request):
    """The operator's name and contact, for the site chrome and the PDFs' headers and footers.

    SITE_OPERATOR_MARKED is the name in running text: it is in the site's own language (the
    city's official name), so pages in another language mark it with its `lang`.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "SITE_OPERATOR_MARKED": format_html(
            '<span lang="{}">{}</span>', settings.LANGUAGE_CODE, settings.SITE_OPERATOR
        ),
        "SITE_CONTACT_EMAIL": settings.SITE_CONTACT_EMAIL,
    }
