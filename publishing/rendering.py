"""Rendering a document to PDF with WeasyPrint, and the background task's body.

Rendering the plan's progress report takes seconds for a plan of 200 steps (see bench/), so a
request never renders: publishing.delivery queues a task (publishing.tasks) that calls render_row.

The stylesheets are parsed once per process, with their font, and handed to every render:
parsing them again for each document was most of a short document's time.
"""

import mimetypes
import threading
import time
from urllib.parse import urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.context_processors import site
from publishing.documents import document_for
from publishing.models import RenderedPdf
from publishing.staticfiles import static_path

# The embedded text font (SIL Open Font License, shipped by ID-SK Frontend); every Slovak letter.
TEXT_FONT_PREFIX = "build/fonts/SourceSansPro-"
# The stylesheets base_print.html links, in its order (built by static/src/build.mjs): the design
# system as far as the documents use it, and the print rules a printed page shares.
PRINT_STYLESHEETS = ("build/documents.css", "build/print.css")
# The stylesheets are parsed against this address; only the fetcher sees it.
_STYLESHEET_BASE_URL = "http://localhost/"


class StaticFilesFetcher(URLFetcher):
    """Reads the report's stylesheet, fonts and images from disk and refuses everything else:
    rendering never makes a network request, not even for an address a user typed.

    Of the fonts only the text font is read: the icon fonts the stylesheet also declares are
    not used in the documents, and decoding them took most of a short document's render time.
    """

    def __init__(self, base_url, parsed=()):
        super().__init__()
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)
        # Stylesheets the renderer passes already parsed: the document's link to them reads as
        # empty, so they are neither read nor applied twice.
        self.parsed = set(parsed)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):  # the stylesheet's inline icons
            return super().fetch(url, headers)
        if not url.startswith(self.static_prefix):
            raise ValueError(f"not fetched while rendering a PDF: {url}")
        relative = urlsplit(url).path.removeprefix(settings.STATIC_URL)
        if relative in self.parsed:
            return URLFetcherResponse(url, body=b"", headers={"Content-Type": "text/css"})
        if relative.endswith((".woff", ".woff2", ".ttf", ".otf")) and not relative.startswith(
            TEXT_FONT_PREFIX
        ):
            raise ValueError(f"font not embedded in PDFs: {url}")
        path = static_path(relative)
        if path is None:
            raise FileNotFoundError(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(document, base_template="base_print.html"):
    with translation.override(document.language):
        return render_to_string(
            document.template_name,
            {
                **site(None),
                "plan": document.plan,
                "jurisdiction": document.plan.jurisdiction,
                **document.context(),
                "base_template": base_template,
                "for_pdf": base_template == "base_print.html",
                "as_of": document.as_of,
                "generated_at": timezone.now(),
            },
        )


class _PrintStylesheets:
    """The stylesheets parsed once per process, with the font configuration that holds their font.

    Parsed again when a file changes (a rebuild under a running development server). WeasyPrint
    documents nothing about sharing a font configuration between threads, so renders that share
    it take turns; a worker renders one document at a time anyway.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.stylesheets = None
        self.font_config = None

    def current(self):
        """([CSS], FontConfiguration); call with the lock held."""
        paths = [static_path(relative) for relative in PRINT_STYLESHEETS]
        if None in paths:
            raise FileNotFoundError(f"{PRINT_STYLESHEETS}: run `npm run build`")
        version = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths]
        if version != self.version:
            font_config = FontConfiguration()
            self.stylesheets = [
                weasyprint.CSS(
                    url=urljoin(_STYLESHEET_BASE_URL, settings.STATIC_URL + relative),
                    url_fetcher=StaticFilesFetcher(_STYLESHEET_BASE_URL),
                    font_config=font_config,
                )
                for relative in PRINT_STYLESHEETS
            ]
            self.font_config = font_config
            self.version = version
        return self.stylesheets, self.font_config


_print_stylesheets = _PrintStylesheets()


def write_pdf(html, base_url):
    """The PDF of a page made from base_print.html: tagged (PDF/UA-1), its font embedded."""
    with _print_stylesheets.lock:
        stylesheets, font_config = _print_stylesheets.current()
        return weasyprint.HTML(
            string=html,
            base_url=base_url,
            url_fetcher=StaticFilesFetcher(base_url, parsed=PRINT_STYLESHEETS),
        ).write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_variant="pdf/ua-1")


def render_pdf(document):
    return write_pdf(render_html(document), document.base_url)


def render_row(row_id):
    """Render the PDF of a queued RenderedPdf row (the background task's body).

    Claims the row with a conditional UPDATE so that two workers never render the same one.
    If the data changed while rendering, the result would not match the key: the row is dropped
    and the next request for the document queues a fresh one.
    """
    claimed = RenderedPdf.objects.filter(pk=row_id, status=RenderedPdf.Status.QUEUED).update(
        status=RenderedPdf.Status.RENDERING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    row = RenderedPdf.objects.get(pk=row_id)
    started = time.perf_counter()
    try:
        document = document_for(row)
        pdf = render_pdf(document)
        if document.key() != row.key:
            row.delete()
            return "data changed"
    except Exception as exc:
        RenderedPdf.objects.filter(pk=row.pk).update(
            status=RenderedPdf.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    row.file.save(f"{row.key}.pdf", ContentFile(pdf), save=False)
    RenderedPdf.objects.filter(pk=row.pk).update(
        file=row.file.name,
        status=RenderedPdf.Status.READY,
        rendered_at=timezone.now(),
        render_seconds=time.perf_counter() - started,
        error="",
    )
    return "ready"
