"""The file checks of core.files against ZIP containers built to exhaust the server: an ODF
`mimetype` entry that inflates to megabytes, parts that declare more than the cap in total, and
too many entries. Real office documents still pass."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from core import files

ODT = "application/vnd.oasis.opendocument.text"


def upload(build, name="document.odt"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        build(archive)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_real_odf_and_ooxml_document_pass():
    def odt(archive):
        archive.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")

    def docx(archive):
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")

    assert files.detect_file_type(upload(odt)) == "odt"
    assert files.detect_file_type(upload(docx, "a.docx")) == "docx"


def test_a_mimetype_entry_that_inflates_to_megabytes_is_refused():
    def bomb(archive):
        archive.writestr("mimetype", ODT + " " * (20 * 1024 * 1024))

    checked = upload(bomb)
    assert checked.size < 100 * 1024  # small to upload, 20 MB to read
    assert files.detect_file_type(checked) is None


def test_parts_that_unpack_beyond_the_cap_are_refused():
    chunk = b"\0" * (1024 * 1024)

    def bomb(archive):
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(files.ZIP_MAX_UNCOMPRESSED // len(chunk) + 1):
                part.write(chunk)

    checked = upload(bomb, "a.docx")
    assert checked.size < files.ZIP_MAX_UNCOMPRESSED // 500
    assert files.detect_file_type(checked) is None


def test_too_many_entries_are_refused():
    def crowded(archive):
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(files.ZIP_MAX_ENTRIES):
            archive.writestr(f"word/{n}.xml", "")

    assert files.detect_file_type(upload(crowded, "a.docx")) is None


def test_a_declared_size_is_not_trusted_for_the_mimetype():
    """A header may understate what an entry inflates to; the read itself is bounded."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT + " " * 5000)
    data = bytearray(buffer.getvalue())
    # Rewrite the declared uncompressed size (local header offset 22, central directory +24).
    declared = len(ODT).to_bytes(4, "little")
    real = (len(ODT) + 5000).to_bytes(4, "little")
    data = bytes(data).replace(real, declared)
    assert files.detect_file_type(SimpleUploadedFile("a.odt", data)) is None
