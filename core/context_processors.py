from django.conf import settings


def site(request):
    """The operator's name and contact, for the site chrome and the PDFs' headers and footers."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "SITE_CONTACT_EMAIL": settings.SITE_CONTACT_EMAIL,
    }
