"""Uploads are private: no one reaches a stored file by its path under MEDIA_URL, with DEBUG on or
off; the permission-checked views serve it to those allowed, or hand it to nginx with
X-Accel-Redirect when PRIVATE_FILES_ACCEL_REDIRECT is set."""

import importlib
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from catalog.models import Role, VersionStatus
from tests.factories import ItemVersionFactory, MaterialFactory, UserFactory, staff_user
from tests.factories.workflow import (
    PDF,
    accepted_case,
    department_staff,
    item_with_procedure,
    submitted_case,
)

pytestmark = pytest.mark.django_db

PLAIN_MATERIALS = (("申请书", False), ("营业执照", False))


@pytest.fixture(params=[True, False], ids=["DEBUG on", "DEBUG off"])
def debug(request, settings):
    """DEBUG on or off, with the URL configuration built again under it."""
    import approval_center.urls

    settings.DEBUG = request.param
    importlib.reload(approval_center.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(approval_center.urls)
    clear_url_caches()


@pytest.fixture
def version():
    return item_with_procedure(materials=PLAIN_MATERIALS)


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    return accepted_case(version, staff)


@pytest.fixture
def stored(case):
    return case.submissions.get().files.order_by("pk").first()


def media_path(name: str) -> str:
    return f"/media/{name}"


def file_url(case, stored) -> str:
    return reverse("workbench-file", args=[case.pk, stored.pk])


def who(kind: str, *, case, staff):
    """A visitor of ``kind``; None for an anonymous one."""
    if kind == "anonymous":
        return None
    if kind == "applicant of another case":
        other = submitted_case(item_with_procedure(materials=PLAIN_MATERIALS))
        return other.applicant
    if kind == "staff of another department":
        return department_staff(item_with_procedure().department).clerk
    if kind == "the case's own applicant":
        return case.applicant
    if kind == "the case's own window clerk":
        return staff.clerk
    raise AssertionError(kind)


VISITORS = [
    "anonymous",
    "applicant of another case",
    "staff of another department",
    # Not even those who may read the file get it from the media path: only the view serves it.
    "the case's own applicant",
    "the case's own window clerk",
]


# --- the media path serves nothing ------------------------------------------------------------


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_case_file_is_not_found_under_the_media_url(client, debug, case, staff, stored, visitor):
    assert stored.file.storage.exists(stored.file.name)  # it is there on disk
    user = who(visitor, case=case, staff=staff)
    if user is not None:
        client.force_login(user)

    response = client.get(media_path(stored.file.name))

    assert response.status_code == 404
    assert PDF not in response.content


def test_a_catalog_template_of_a_draft_is_not_found_under_the_media_url(client, debug):
    draft = ItemVersionFactory(draft=True)
    material = MaterialFactory(version=draft, template_file=SimpleUploadedFile("草稿模板.pdf", PDF))

    response = client.get(media_path(material.template_file.name))

    assert response.status_code == 404


# --- the permission-checked view --------------------------------------------------------------


@pytest.mark.parametrize(
    "visitor",
    ["applicant of another case", "staff of another department", "the case's own applicant"],
)
def test_the_file_view_refuses_those_without_a_right_to_the_case(
    client, debug, case, staff, stored, visitor
):
    client.force_login(who(visitor, case=case, staff=staff))

    response = client.get(file_url(case, stored))

    assert response.status_code in (403, 404)
    assert PDF not in response.content
    assert "X-Accel-Redirect" not in response


def test_the_file_view_sends_an_anonymous_visitor_to_log_in(client, case, stored):
    response = client.get(file_url(case, stored))

    assert response.status_code == 302 and response.url.startswith("/staff/login/")


def test_the_file_view_serves_the_file_to_the_cases_department(client, debug, case, staff, stored):
    client.force_login(staff.handler)

    response = client.get(file_url(case, stored))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "X-Accel-Redirect" not in response


def test_with_an_internal_location_the_view_hands_the_file_to_nginx(
    client, settings, case, staff, stored
):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/protected-files/"
    client.force_login(staff.clerk)

    response = client.get(file_url(case, stored))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{stored.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{stored.original_name}"'
    assert response.content == b""


def test_with_an_internal_location_a_refused_visitor_gets_no_redirect(client, settings, case):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/protected-files/"
    stored = case.submissions.get().files.first()
    client.force_login(department_staff(item_with_procedure().department).clerk)

    response = client.get(file_url(case, stored))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_with_an_internal_location_a_file_gone_from_disk_is_not_found(
    client, settings, case, staff, stored
):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/protected-files/"
    stored.file.storage.delete(stored.file.name)
    client.force_login(staff.clerk)

    response = client.get(file_url(case, stored))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_no_page_or_api_answer_of_the_case_links_to_the_media_url(client, case, staff, stored):
    client.force_login(staff.clerk)

    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    api = client.get(f"/api/v1/cases/{case.pk}/").content.decode()

    assert file_url(case, stored) in page
    assert "/media/" not in page
    assert "/media/" not in api


# --- the catalog's templates and samples ------------------------------------------------------


def material_url(material, kind: str = "template") -> str:
    return reverse("material-file", args=[material.pk, kind])


def test_a_current_items_template_is_public_through_its_view(client):
    version = ItemVersionFactory()
    material = MaterialFactory(
        version=version, template_file=SimpleUploadedFile("申请书模板.pdf", PDF)
    )

    response = client.get(material_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "status, visitor, found",
    [
        (VersionStatus.DRAFT, "anonymous", False),
        (VersionStatus.DRAFT, "applicant", False),
        (VersionStatus.DRAFT, "window clerk", False),
        (VersionStatus.DRAFT, "catalog administrator", True),
        (VersionStatus.SUPERSEDED, "anonymous", False),
        (VersionStatus.SUPERSEDED, "applicant", False),
        (VersionStatus.SUPERSEDED, "window clerk", True),
    ],
)
def test_a_template_of_a_version_that_is_not_current_is_for_staff_only(
    client, status, visitor, found
):
    version = ItemVersionFactory(status=status, draft=status == VersionStatus.DRAFT)
    material = MaterialFactory(version=version, sample_file=SimpleUploadedFile("样本.pdf", PDF))
    users = {
        "applicant": UserFactory,
        "window clerk": lambda: staff_user(Role.WINDOW_CLERK, department=version.department),
        "catalog administrator": lambda: staff_user(Role.CATALOG_ADMINISTRATOR),
    }
    if visitor in users:
        client.force_login(users[visitor]())

    response = client.get(material_url(material, "sample"))

    assert response.status_code == (200 if found else 404)


def test_a_material_without_the_file_or_an_unknown_kind_is_not_found(client):
    material = MaterialFactory(
        version=ItemVersionFactory(), template_file=SimpleUploadedFile("模板.pdf", PDF)
    )

    assert client.get(material_url(material, "sample")).status_code == 404
    assert client.get(material_url(material, "file")).status_code == 404


def test_a_cjk_stored_name_is_percent_encoded_in_the_redirect(client, settings):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = "/protected-files/"
    material = MaterialFactory(
        version=ItemVersionFactory(), template_file=SimpleUploadedFile("申请书模板.pdf", PDF)
    )

    response = client.get(material_url(material))

    header = response["X-Accel-Redirect"]
    assert header.isascii()
    assert unquote(header) == f"/protected-files/{material.template_file.name}"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")


def test_the_sheet_the_api_and_the_admin_link_templates_to_the_view(client):
    version = ItemVersionFactory()
    material = MaterialFactory(
        version=version, template_file=SimpleUploadedFile("申请书模板.pdf", PDF)
    )
    code = version.item.code

    sheet = client.get(f"/catalog/items/{code}/sheet/").content.decode()
    api = client.get(f"/api/v1/items/{code}/").content.decode()
    client.force_login(staff_user(Role.CATALOG_ADMINISTRATOR))
    admin = client.get(reverse("admin:catalog_itemversion_change", args=[version.pk]))

    for html in (sheet, api, admin.content.decode()):
        assert material_url(material) in html
        assert "/media/" not in html


def test_the_admin_links_a_drafts_template_to_the_view(client):
    draft = ItemVersionFactory(draft=True)
    material = MaterialFactory(version=draft, template_file=SimpleUploadedFile("模板.pdf", PDF))
    client.force_login(staff_user(Role.CATALOG_ADMINISTRATOR))

    html = client.get(reverse("admin:catalog_itemversion_change", args=[draft.pk])).content.decode()

    assert material_url(material) in html
    assert "/media/" not in html
