"""An uploaded file's name is kept without invisible characters: a right-to-left override makes
"invoice\u202egnp.pdf" read as "invoicefdp.png" on the staff's page. The name is shown and sent
back in a well-formed Content-Disposition, whatever quotes or CJK letters it holds."""

from email.message import Message

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.forms import MaterialAdminForm
from catalog.models import Material
from tests.factories import ItemVersionFactory
from tests.factories.workflow import PDF, department_staff, draft_case, item_with_procedure
from workflow import services
from workflow.exceptions import InvalidInput
from workflow.models import MaterialFile

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def version():
    return item_with_procedure(materials=(("营业执照", False),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version):
    return draft_case(version)


def attach(case, name: str, content: bytes = PDF) -> MaterialFile:
    # Straight to the service, the one write path: Django's multipart parser drops unprintable
    # characters itself, but walk-in intake, the joint intake and any later import reach this
    # service with whatever name they were given.
    material = case.item_version.materials.get()
    upload = SimpleUploadedFile(name, content)
    return services.case_attach_material(
        case=case, material=material, upload=upload, by=case.applicant
    )


def latest_file(case) -> MaterialFile:
    return MaterialFile.objects.filter(submission__case=case).latest("pk")


def download(client, staff, stored: MaterialFile):
    client.force_login(staff.clerk)
    return client.get(reverse("workbench-file", args=[stored.submission.case_id, stored.pk]))


def filename_of(content_disposition: str) -> str:
    # Python's own e-mail parser, not Django's: the header must read right to any RFC 6266 reader.
    message = Message()
    message["Content-Disposition"] = content_disposition
    return message.get_filename()


def test_a_right_to_left_override_is_stored_shown_and_sent_without_it(client, case, staff):
    stored = attach(case, f"invoice{RLO}gnp.pdf")
    services.case_submit(case=case, by=case.applicant)

    assert stored.original_name == "invoicegnp.pdf"
    client.force_login(staff.clerk)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "invoicegnp.pdf" in page and RLO not in page
    api = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert "invoicegnp.pdf" in [f["name"] for f in api["files"]]
    answer = download(client, staff, stored)
    assert answer["Content-Disposition"] == 'inline; filename="invoicegnp.pdf"'


def test_an_upload_through_the_api_keeps_no_override_either(case):
    # Over HTTP Django's multipart parser drops unprintable characters before the service sees
    # the name; this guards the route applicants use if either ever changes.
    api = APIClient()
    api.force_authenticate(case.applicant)
    material = case.item_version.materials.get()

    response = api.post(
        f"/api/v1/cases/{case.pk}/materials/",
        {"material": material.pk, "file": SimpleUploadedFile(f"invoice{RLO}gnp.pdf", PDF)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert latest_file(case).original_name == "invoicegnp.pdf"


@pytest.mark.parametrize(
    "given, stored",
    [
        ("a\u200bb\u200dc\ufeff.pdf", "abc.pdf"),  # zero-width space, joiner, BOM
        ("scan\u2066\u202a1\u202c\u2069.pdf", "scan1.pdf"),  # isolates and embeddings
        ("bell\x07esc\x1b\x7f\x85.pdf", "bellesc.pdf"),  # C0, DEL and C1 controls
        ("申请书\u2028副本.pdf", "申请书副本.pdf"),  # line separator
        (f"{RLO}\u200b.pdf", "营业执照.pdf"),  # nothing left: the material's name
    ],
)
def test_control_and_format_characters_are_stripped_from_the_name(case, given, stored):
    assert attach(case, given).original_name == stored


def test_a_disguised_program_is_refused_by_its_real_extension_and_nothing_is_stored(case):
    before = MaterialFile.objects.filter(submission__case=case).count()

    with pytest.raises(InvalidInput) as refused:
        attach(case, f"invoice{RLO}fdp.exe", b"MZ\x90\x00")

    assert "“invoicefdp.exe” is not an accepted file type" in str(refused.value)
    assert RLO not in str(refused.value)
    assert MaterialFile.objects.filter(submission__case=case).count() == before


@pytest.mark.parametrize(
    "name, header",
    [
        ('my "best" scan.pdf', 'inline; filename="my \\"best\\" scan.pdf"'),
        (
            "营业执照副本.pdf",
            "inline; filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%E5%89%AF%E6%9C%AC.pdf",
        ),
        ('他说"好".pdf', "inline; filename*=utf-8''%E4%BB%96%E8%AF%B4%22%E5%A5%BD%22.pdf"),
    ],
)
def test_the_download_header_is_well_formed_for_quotes_and_cjk_names(
    client, case, staff, name, header
):
    stored = attach(case, name)
    services.case_submit(case=case, by=case.applicant)

    response = download(client, staff, stored)

    assert response.status_code == 200
    assert response["Content-Disposition"] == header
    assert filename_of(response["Content-Disposition"]) == name


def test_a_name_stored_before_the_cleaning_still_downloads_with_a_clean_header(client, case, staff):
    services.case_submit(case=case, by=case.applicant)
    stored = latest_file(case)
    # A row written before names were cleaned: a line break in a header would be a 500.
    MaterialFile.objects.filter(pk=stored.pk).update(original_name=f"old\r\nSet-Cookie: x{RLO}.pdf")

    response = download(client, staff, stored)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="oldSet-Cookie: x.pdf"'


def test_a_catalog_template_named_only_by_invisible_characters_gets_the_materials_name():
    # The storage drops the override by itself, but would keep ".pdf": a hidden file's name.
    draft = ItemVersionFactory(draft=True)
    form = MaterialAdminForm(
        data={"order": 1, "name": "申请书", "required": "on", "originals": 1, "copies": 0},
        files={"template_file": SimpleUploadedFile(f"{RLO}\u200b.pdf", PDF)},
        instance=Material(version=draft),
    )

    assert form.is_valid(), form.errors
    stored = form.save().template_file
    assert stored.name == "catalog/templates/申请书.pdf"
    assert stored.read() == PDF
