"""Uploaded evidence: which files are accepted, told by their content rather than their name, and
the form field that checks them (staff updates and the monitoring body's assessments)."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

MAX_FILES = 5

# Office documents inside ZIP containers, told apart by the part every such document has.
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Legacy Office files are OLE containers; the kind inside cannot be read from the first bytes,
# so the uploader's extension chooses among these three (and nothing else).
OLE_EXTENSIONS = {"doc", "xls", "ppt"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    **{extension: content_type for content_type, extension in ODF_TYPES.items()},
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


def _zip_office_type(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for prefix, extension in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return extension
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def detect_file_type(upload):
    """The extension for an uploaded file, decided by its content, or None if it is not a kind
    we accept. The name is consulted only to choose among legacy Office formats."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        extension = _zip_office_type(upload)
        upload.seek(0)
        return extension
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        return extension if extension in OLE_EXTENSIONS else None
    return None


@dataclass
class CheckedFile:
    upload: object  # an UploadedFile, renamed to the name it is stored under
    title: str  # what the download is called: the uploader's name with the true extension
    content_type: str
    size: int


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files from one input, each checked for size and, by its content, for type."""

    def __init__(self, **kwargs):
        # `accept` is a hint for the browser's file picker; the content is what is checked.
        accept = ",".join(sorted({f".{extension}" for extension in CONTENT_TYPES} | {".jpeg"}))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                ngettext(
                    "Attach at most %(count)d file.", "Attach at most %(count)d files.", MAX_FILES
                ),
                params={"count": MAX_FILES},
            )
        return [self._check(upload) for upload in uploads]

    def _check(self, upload):
        limit = settings.EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s MB; a file can be at most %(limit)s MB."),
                params={
                    "name": upload.name,
                    "size": f"{upload.size / 2**20:.1f}",
                    "limit": limit // 2**20,
                },
            )
        extension = detect_file_type(upload)
        if extension is None:
            raise ValidationError(
                _(
                    "“%(name)s” is not a PDF, an image (PNG, JPEG, GIF, WebP) or an office "
                    "document. Files are checked by their content, not by their name."
                ),
                params={"name": upload.name},
            )
        stem = get_valid_filename(PurePath(upload.name).stem)[:100] or "evidence"
        title = f"{stem}.{extension}"
        upload.name = title  # the storage makes its own name from the extension
        return CheckedFile(upload, title, CONTENT_TYPES[extension], upload.size)
