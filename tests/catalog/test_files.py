import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.files import validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


def zipped(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申请表.pdf", PDF),
        ("照片.PNG", PNG),
        ("照片.jpg", JPEG),
        ("照片.jpeg", JPEG),
        ("申请表.doc", OLE2),
        ("清单.xls", OLE2),
        ("申请表.docx", zipped("[Content_Types].xml", "word/document.xml")),
        ("清单.xlsx", zipped("[Content_Types].xml", "xl/workbook.xml")),
        ("电子证照.ofd", zipped("OFD.xml", "Doc_0/Document.xml")),
    ],
)
def test_documents_and_images_of_the_type_their_name_says_are_accepted(name, content):
    upload = SimpleUploadedFile(name, content)

    validate_upload(upload)

    assert upload.tell() == 0, "the file is left ready to be stored"


@pytest.mark.parametrize("name", ["setup.exe", "材料.zip", "脚本.js", "申请表", "page.html"])
def test_a_file_type_outside_the_list_is_refused_by_name(name):
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile(name, PDF))

    message = caught.value.messages[0]
    assert f"“{name}” is not an accepted file type" in message
    assert "PDF" in message and "DOCX" in message


def test_a_file_above_the_limit_is_refused_with_both_sizes(settings):
    settings.CATALOG_MAX_UPLOAD_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("扫描件.pdf", PDF + b"0" * 2048))

    message = caught.value.messages[0].replace("\xa0", " ")
    assert message == "“扫描件.pdf” is 2.0 KB; files may be at most 1.0 KB."


def test_an_explicit_limit_overrides_the_setting():
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("照片.png", PNG), max_bytes=10)

    assert "at most 10" in caught.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("申请表.pdf", b""))

    assert caught.value.messages == ["“申请表.pdf” is empty."]


def test_a_program_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("营业执照.pdf", EXE))

    assert caught.value.messages[0].startswith(
        "The content of “营业执照.pdf” is not a PDF file, whatever its name says."
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("照片.jpg", PNG, "JPEG"),
        ("申请表.docx", OLE2, "Word"),
        ("申请表.docx", zipped("payload.exe"), "Word"),
        ("清单.xlsx", zipped("word/document.xml"), "Excel"),
        ("电子证照.ofd", b"PK\x03\x04 not really a zip", "OFD"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content, kind):
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile(name, content))

    assert f"is not a {kind} file" in caught.value.messages[0]
