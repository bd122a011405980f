import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import ApplicantType, Role
from portal.models import ApplicantProfile
from tests.factories import UserFactory
from tests.factories.catalog import staff_user
from tests.factories.workflow import ID_NUMBER, draft_case, item_with_procedure, pdf, submitted_case
from workflow.models import Case, CaseStatus, MaterialFile

pytestmark = pytest.mark.django_db

DETAILS = {
    "applicant_kind": ApplicantType.NATURAL,
    "applicant_name": "张三",
    "id_number": ID_NUMBER,
    "contact_phone": "13800138000",
}


@pytest.fixture
def version():
    # 申请书 and 营业执照 are needed; 场所证明 may come later.
    return item_with_procedure(
        materials=(("申请书", False), ("营业执照", False), ("场所证明", True))
    )


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _material(version, name):
    return version.materials.get(name=name)


def _upload(client, case, material, upload):
    return client.post(
        f"/apply/drafts/{case.pk}/materials/",
        {"material": material.pk, f"m{material.pk}-file": upload},
    )


def test_the_whole_flow_submits_once(client, applicant, version):
    code = version.item.code
    assert client.get(f"/apply/{code}/").status_code == 200

    response = client.post(f"/apply/{code}/", DETAILS)
    case = Case.objects.get(applicant=applicant)
    assert case.status == CaseStatus.DRAFT and case.channel == "online"
    assert response.url == f"/apply/drafts/{case.pk}/materials/"

    form_material = _material(version, "申请书")
    refused = _upload(client, case, form_material, SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    assert refused.status_code == 400
    assert "virus.exe" in refused.content.decode()
    assert not MaterialFile.objects.filter(submission__case=case).exists()

    assert _upload(client, case, form_material, pdf("申请书.pdf")).status_code == 302
    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()
    assert "申请书.pdf" in page

    # Leaving and coming back (a new session): the draft resumes at the materials still missing.
    client.logout()
    client.force_login(applicant)
    assert client.get(f"/apply/drafts/{case.pk}/").url == f"/apply/drafts/{case.pk}/materials/"
    assert "申请书.pdf" in client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()

    _upload(client, case, _material(version, "营业执照"), pdf("执照.pdf"))
    assert client.get(f"/apply/drafts/{case.pk}/").url == f"/apply/drafts/{case.pk}/review/"
    review = client.get(f"/apply/drafts/{case.pk}/review/").content.decode()
    assert "申请书.pdf" in review and "执照.pdf" in review and "张三" in review

    first = client.post(f"/apply/drafts/{case.pk}/review/")
    second = client.post(f"/apply/drafts/{case.pk}/review/")
    assert first.url == second.url == f"/apply/drafts/{case.pk}/sent/"
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submissions.filter(submitted_at__isnull=False).count() == 1
    assert Case.objects.filter(applicant=applicant).count() == 1
    assert case.events.filter(action="submit").count() == 1
    due = case.submissions.get().intake_due_on
    done = client.get(first.url).content.decode()
    assert f"{due:%Y-%m-%d}" in done


def test_a_submit_refused_by_the_service_after_another_request_shows_the_confirmation(
    client, applicant, version
):
    # The second tab loaded the draft before the first one submitted it.
    case = submitted_case(version, applicant)
    response = client.post(f"/apply/drafts/{case.pk}/review/")
    assert response.url == f"/apply/drafts/{case.pk}/sent/"
    assert "awaiting pre-review" in client.get(response.url).content.decode()


def test_review_refuses_to_submit_with_materials_missing(client, applicant, version):
    client.post(f"/apply/{version.item.code}/", DETAILS)
    case = Case.objects.get(applicant=applicant)
    response = client.post(f"/apply/drafts/{case.pk}/review/")
    assert response.status_code == 400
    assert "申请书" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_an_item_without_online_prereview_offers_no_wizard(client, applicant):
    version = item_with_procedure(online_prereview=False, window_location="A12")
    response = client.get(f"/apply/{version.item.code}/")
    page = response.content.decode()
    assert "apply at window A12" in page
    assert "<form" not in page.split("<main", 1)[1]
    client.post(f"/apply/{version.item.code}/", DETAILS)
    assert not Case.objects.exists()


def test_only_the_applicant_types_the_item_admits_are_offered_and_accepted(client, applicant):
    version = item_with_procedure(applicant_type=ApplicantType.LEGAL)
    page = client.get(f"/apply/{version.item.code}/").content.decode()
    assert 'value="natural"' not in page and "credit_code" in page

    response = client.post(f"/apply/{version.item.code}/", DETAILS)
    assert response.status_code == 400
    assert "This item is open to" in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_from_an_earlier_case_is_offered_and_attached_as_a_copy(client, applicant, version):
    earlier = draft_case(item_with_procedure(materials=(("营业执照", False),)), applicant)
    licence = MaterialFile.objects.get(submission__case=earlier)
    client.post(f"/apply/{version.item.code}/", DETAILS)
    case = Case.objects.exclude(pk=earlier.pk).get(applicant=applicant)
    material = _material(version, "营业执照")

    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()
    assert "A file from an earlier application" in page
    assert f'<option value="{licence.pk}">{licence.original_name}' in page

    response = client.post(
        f"/apply/drafts/{case.pk}/materials/",
        {"material": material.pk, "reuse": "1", f"r{material.pk}-stored": licence.pk},
    )
    assert response.status_code == 302
    copy = MaterialFile.objects.get(submission__case=case)
    assert copy.material == material and copy.original_name == licence.original_name
    assert copy.pk != licence.pk and copy.file.name != licence.file.name


def test_another_applicants_file_cannot_be_reused(client, applicant, version):
    other = draft_case(item_with_procedure(materials=(("营业执照", False),)))
    theirs = MaterialFile.objects.get(submission__case=other)
    client.post(f"/apply/{version.item.code}/", DETAILS)
    case = Case.objects.get(applicant=applicant)
    material = _material(version, "营业执照")

    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()
    assert "A file from an earlier application" not in page
    response = client.post(
        f"/apply/drafts/{case.pk}/materials/",
        {"material": material.pk, "reuse": "1", f"r{material.pk}-stored": theirs.pk},
    )
    assert response.status_code == 400
    assert not MaterialFile.objects.filter(submission__case=case).exists()


@pytest.mark.parametrize("suffix", ["", "materials/", "review/", "sent/"])
def test_another_applicants_draft_is_not_found(client, applicant, version, suffix):
    theirs = draft_case(version)
    assert client.get(f"/apply/drafts/{theirs.pk}/{suffix}").status_code == 404
    assert client.post(f"/apply/drafts/{theirs.pk}/review/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == CaseStatus.DRAFT


def test_staff_are_refused_with_a_page_for_applicants(client, version):
    client.force_login(staff_user(Role.WINDOW_CLERK, department=version.department))
    response = client.get(f"/apply/{version.item.code}/")
    assert response.status_code == 403
    assert "This page is for applicants" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, version):
    response = client.get(f"/apply/{version.item.code}/")
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_a_wrong_file_is_removed_from_the_draft_and_its_bytes_go(
    client, applicant, version, django_capture_on_commit_callbacks
):
    case = draft_case(version, applicant)
    material = _material(version, "申请书")
    _upload(client, case, material, pdf("错的申请书.pdf"))
    stored = MaterialFile.objects.get(submission__case=case, original_name="错的申请书.pdf")
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/apply/drafts/{case.pk}/materials/", {"detach": stored.pk})

    assert response.status_code == 302
    assert not MaterialFile.objects.filter(pk=stored.pk).exists()
    assert not storage.exists(name)
    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()
    # The message names the file that went; the list of the draft's files no longer has it.
    assert page.count("错的申请书.pdf") == 1
    assert "“错的申请书.pdf” is removed." in page


def test_a_sent_file_or_another_applicants_file_cannot_be_removed(client, applicant, version):
    sent = submitted_case(version, applicant)
    sent_file = MaterialFile.objects.filter(submission__case=sent).first()
    theirs = draft_case(version)
    _their_material = _material(version, "申请书")
    from workflow.services import case_attach_material

    their_file = case_attach_material(
        case=theirs, material=_their_material, upload=pdf(), by=theirs.applicant
    )
    mine = draft_case(version, applicant)

    # Through my own draft: neither the other's file nor a file already sent is removable.
    for file_id in (their_file.pk, sent_file.pk):
        response = client.post(
            f"/apply/drafts/{mine.pk}/materials/", {"detach": file_id}, follow=True
        )
        assert "This file is not among the files you may still remove." in (
            response.content.decode()
        )
    # Through the other's draft: not found.
    assert (
        client.post(f"/apply/drafts/{theirs.pk}/materials/", {"detach": their_file.pk}).status_code
        == 404
    )
    assert MaterialFile.objects.filter(pk__in=[their_file.pk, sent_file.pk]).count() == 2


def test_the_upload_field_carries_the_limits_the_browser_checks(client, applicant, version):
    case = draft_case(version, applicant)

    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()

    assert 'accept=".pdf,' in page
    assert "data-max-bytes=" in page
    assert "Choose a PDF, JPEG, PNG, Word, Excel or OFD file." in page
    assert "data-upload" in page


def test_who_applies_is_prefilled_from_the_account(client, version):
    user = UserFactory()
    ApplicantProfile.objects.create(
        user=user, kind=ApplicantType.NATURAL, name="王五", phone="13700137000", id_number=ID_NUMBER
    )
    client.force_login(user)

    page = client.get(f"/apply/{version.item.code}/").content.decode()

    assert 'value="王五"' in page
    assert f'value="{ID_NUMBER}"' in page
    assert 'value="13700137000"' in page


def test_an_upload_without_a_file_is_refused_and_an_optional_material_is_not_starred(
    client, applicant, version
):
    case = draft_case(version, applicant)
    material = _material(version, "场所证明")

    refused = client.post(f"/apply/drafts/{case.pk}/materials/", {"material": material.pk})

    assert refused.status_code == 400
    assert "Choose a file to upload." in refused.content.decode()
    page = client.get(f"/apply/drafts/{case.pk}/materials/").content.decode()
    assert "asteriskField" not in page
