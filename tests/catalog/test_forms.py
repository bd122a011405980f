"""The material form of the admin checks a template or sample as a case upload is checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.forms import MaterialAdminForm
from catalog.models import Material
from tests.catalog.test_files import EXE, PDF, zipped
from tests.factories import ItemVersionFactory

pytestmark = pytest.mark.django_db

FIELDS = {"order": 1, "name": "申请书", "required": "on", "originals": 1, "copies": 1}


def material_form(**files) -> MaterialAdminForm:
    return MaterialAdminForm(
        data=FIELDS, files=files, instance=Material(version=ItemVersionFactory(draft=True))
    )


@pytest.mark.parametrize("field", ["template_file", "sample_file"])
def test_a_fake_pdf_is_refused_next_to_its_field(field):
    form = material_form(**{field: SimpleUploadedFile("申请书.pdf", EXE)})

    assert not form.is_valid()
    assert form.errors[field] == [
        "The content of “申请书.pdf” is not a PDF file, whatever its name says. "
        "Save it again as PDF and upload that."
    ]


def test_a_fake_pdf_sample_is_refused_in_chinese(zh_hans):
    form = material_form(sample_file=SimpleUploadedFile("样本.pdf", b"just text"))

    assert not form.is_valid()
    assert form.errors["sample_file"] == [
        "无论文件名如何，“样本.pdf”的内容都不是 PDF 文件。请重新另存为 PDF 格式后再上传。"
    ]


def test_a_program_is_refused_by_its_type():
    form = material_form(template_file=SimpleUploadedFile("申请书.exe", EXE))

    assert not form.is_valid()
    assert form.errors["template_file"][0].startswith(
        "“申请书.exe” is not an accepted file type. Accepted types: PDF, JPG"
    )


def test_a_template_above_the_catalogs_size_limit_is_refused(settings):
    settings.CATALOG_MAX_UPLOAD_BYTES = 1024

    form = material_form(template_file=SimpleUploadedFile("申请书.pdf", PDF + b"0" * 2048))

    assert not form.is_valid()
    assert "files may be at most 1.0\xa0KB" in form.errors["template_file"][0]


def test_a_zip_renamed_to_docx_is_refused():
    form = material_form(template_file=SimpleUploadedFile("申请书.docx", zipped("a.txt")))

    assert not form.is_valid()
    assert "is not a Word file" in form.errors["template_file"][0]


def test_a_genuine_word_sample_is_kept():
    form = material_form(
        sample_file=SimpleUploadedFile(
            "申请书样本.docx", zipped("[Content_Types].xml", "word/document.xml")
        )
    )

    assert form.is_valid(), form.errors
    assert form.save().sample_file.name == "catalog/samples/申请书样本.docx"


def test_the_file_inputs_offer_only_accepted_types():
    html = str(material_form()["template_file"])

    assert 'accept=".pdf,.jpg,.jpeg,.png,.doc,.xls,.docx,.xlsx,.ofd"' in html
