"""Upload checks by content; they need no app."""

import io
import zipfile

import pytest

from eventmgr.errors import DomainError
from eventmgr.portal.files import check_upload, sniff_extension


def package(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "extension"), [
    (b"%PDF-1.7\n", ".pdf"),
    (package("[Content_Types].xml", "word/document.xml"), ".docx"),
    (package("[Content_Types].xml", "ppt/presentation.xml"), ".pptx"),
    (package("[Content_Types].xml", "xl/workbook.xml"), ".xlsx"),
    (package("word/document.xml"), None),  # a ZIP, but no Office package
    (b"PK\x03\x04 truncated", None),
    (b"MZ\x90\x00", None),
])
def test_sniff_extension(data, extension):
    assert sniff_extension(data) == extension


def test_check_upload_keeps_a_clean_name_and_gives_the_content_type():
    # invisible format and control characters go
    assert check_upload(" Programme\u200b 2014.PDF ", b"%PDF-1.4", max_bytes=100) == (
        "Programme 2014.PDF", "application/pdf")
    assert check_upload("notes\x07.pdf", b"%PDF-1.4", max_bytes=100) == ("notes.pdf", "application/pdf")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("", b"%PDF-", "Choose a file to upload."),
    ("../x.pdf", b"%PDF-", "The file name must be a plain name, without folders or '..'."),
    ("a/b.pdf", b"%PDF-", "The file name must be a plain name, without folders or '..'."),
    (".hidden.pdf", b"%PDF-", "The file name must be a plain name, without folders or '..'."),
    ("big.pdf", b"%PDF-" + b"0" * 100, "The file is larger than the limit of 100 bytes."),
    ("x.exe", b"%PDF-", "Upload a PDF, DOCX, PPTX or XLSX file."),
    ("x.xlsx", b"%PDF-", "The file's content is not a XLSX document."),
])
def test_check_upload_refuses(name, data, message):
    with pytest.raises(DomainError) as error:
        check_upload(name, data, max_bytes=100)
    assert error.value.message == message


def test_size_limit_is_named_in_megabytes():
    with pytest.raises(DomainError) as error:
        check_upload("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), max_bytes=20 * 1024 * 1024)
    assert error.value.message == "The file is larger than the limit of 20 MB."
