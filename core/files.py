"""Files people upload (evidence of staff updates and assessments, meeting documents): which are
accepted, told by their content rather than their name; the form fields that check them; the one
way they are served (a download, never rendered in the portal's origin); and their deletion once
the rows naming them are gone for good."""

import functools
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
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


# Caps on what a ZIP container may unpack to. An office document's parts rarely add up to more
# than a few times its size; a "zip bomb" declares gigabytes. The ODF `mimetype` entry is one
# short line, and is read through a bounded read whatever its header claims.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_ENTRIES = 5000
ODF_MIMETYPE_MAX = 100


def _zip_office_type(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > ZIP_MAX_UNCOMPRESSED:
                return None
            names = [entry.filename for entry in entries]
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(ODF_MIMETYPE_MAX + 1)
                if len(mimetype) > ODF_MIMETYPE_MAX:
                    return None
                return ODF_TYPES.get(mimetype.decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                for prefix, extension in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return extension
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
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
        return [check_upload(upload) for upload in uploads]


def check_upload(upload):
    """A CheckedFile for an accepted upload; ValidationError, saying why, for any other."""
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
    stem = get_valid_filename(PurePath(upload.name).stem)[:100] or "document"
    title = f"{stem}.{extension}"
    upload.name = title  # the storage makes its own name from the extension
    return CheckedFile(upload, title, CONTENT_TYPES[extension], upload.size)


class CheckedFileField(forms.FileField):
    """One file for a model's FileField (the admin's meeting documents), checked as evidence is.
    A new upload comes back renamed, with its CheckedFile as `upload.checked`.

    A plain file input: Django's clearable one links the current file to MEDIA_URL, which
    nothing serves. Without a new upload the stored file stays."""

    def __init__(self, **kwargs):
        accept = ",".join(sorted({f".{extension}" for extension in CONTENT_TYPES} | {".jpeg"}))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            value.checked = check_upload(value)
        return value


def attachment(file, filename, content_type):
    """The one way an uploaded file is served: as a download, never shown by the browser, whose
    content cannot be sniffed into HTML, and which would run sandboxed with nothing allowed if
    it were opened anyway. Nothing serves MEDIA_ROOT directly."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename or file.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_after_commit(*files):
    """Delete the stored files once the transaction that removed their rows commits (never if
    it rolls back). Each deletion is bound to its own file now: a lambda in a loop would see
    only the loop's last file when the callbacks run."""
    for file in files:
        if file:
            transaction.on_commit(functools.partial(file.storage.delete, file.name))
