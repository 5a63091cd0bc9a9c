"""Static files (the print stylesheet, fonts, images) read from disk for the PDFs."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders


def static_path(relative):
    """The file behind a static path: from the source folders, else from the collected ones."""
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None
