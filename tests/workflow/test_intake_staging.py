"""Window intake keeps the files of a refused form (workflow/staging.py) and offers only the kinds
of applicant the item admits."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from catalog.models import ApplicantType, JointItem
from tests.factories.workflow import (
    CREDIT_CODE,
    ID_NUMBER,
    PDF,
    WALK_IN_APPLICANT,
    at,
    department_staff,
    item_with_procedure,
    pdf,
)
from workflow import services, staging
from workflow.exceptions import InvalidInput
from workflow.models import Case, JointCase, StagedUpload
from workflow.tasks import staged_uploads_sweep_task

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
MATERIALS = (("申请书", False), ("营业执照", False))
STALE = "An attached file is no longer available: choose it again."


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def version():
    return item_with_procedure(materials=MATERIALS)


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def materials(version):
    return list(version.materials.order_by("order", "id"))


def scan(name: str, body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def intake_data(version, *, files=True, **overrides) -> dict:
    data = {
        "item": version.pk,
        "applicant_kind": "natural",
        "applicant_name": "王五",
        "id_number": ID_NUMBER,
        "contact_phone": "13900139000",
    }
    if files:
        for material in materials(version):
            data[f"material_{material.pk}"] = scan(f"{material.name}-扫描件.pdf")
    data.update(overrides)
    return data


def staged_ids(content: str, key) -> list[int]:
    """The staged upload ids the page carries for the material slot ``key``."""
    return [int(pk) for pk in re.findall(rf'name="staged_{key}" value="(\d+)"', content)]


def refused_once(client, version) -> dict[int, list[int]]:
    """Post the intake without the applicant's name; the staged ids per material."""
    response = client.post("/staff/intake/", intake_data(version, applicant_name=""))
    assert response.status_code == 400
    content = response.content.decode()
    return {m.pk: staged_ids(content, m.pk) for m in materials(version)}


# --- a refused form keeps its files ----------------------------------------------------------


def test_a_refused_intake_shows_the_files_it_was_sent_and_stages_them(client, version, staff):
    client.force_login(staff.clerk)

    response = client.post("/staff/intake/", intake_data(version, applicant_name=""))

    content = response.content.decode()
    assert response.status_code == 400
    assert "Give the applicant&#x27;s name." in content
    assert not Case.objects.exists()
    for material in materials(version):
        assert f"{material.name}-扫描件.pdf ({filesizeformat(len(PDF))})" in content
        (staged,) = StagedUpload.objects.filter(material=material)
        assert staged.user == staff.clerk and staged.size == len(PDF)
        assert staged_ids(content, material.pk) == [staged.pk]
        # Stored privately under the media root, under a random name.
        assert staged.file.name.startswith(f"staged/{staff.clerk.pk}/")
        assert material.name not in staged.file.name
        assert default_storage.exists(staged.file.name)
    assert "Attached:" in content and "replace" in content and "remove" in content


def test_resubmitting_with_the_name_fixed_takes_in_the_staged_files_without_uploading(
    client, version, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff.clerk)
    carried = refused_once(client, version)
    stored = list(StagedUpload.objects.values_list("file", flat=True))

    data = intake_data(version, files=False)
    for material_id, ids in carried.items():
        data[f"staged_{material_id}"] = ids
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/intake/", data)

    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/cases/{case.pk}/"
    files = list(case.submissions.get().files.order_by("material__order"))
    assert [f.original_name for f in files] == [f"{m.name}-扫描件.pdf" for m in materials(version)]
    assert all(f.file.read() == PDF for f in files)
    # The case has its own copies; the staged rows and their files are gone.
    assert not StagedUpload.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert all(default_storage.exists(f.file.name) for f in files)


def test_a_large_upload_the_service_stored_before_refusing_is_staged_whole(
    client, version, staff, settings
):
    # Above this size the upload is a temporary file, which the storage moves rather than copies:
    # the service stores it, then refuses (a material is missing) and rolls back.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    client.force_login(staff.clerk)
    first, second = materials(version)
    data = intake_data(version)
    del data[f"material_{second.pk}"]

    response = client.post("/staff/intake/", data)

    assert response.status_code == 400
    assert "Attach these materials before you submit: 营业执照." in response.content.decode()
    (staged,) = StagedUpload.objects.filter(material=first)
    assert staged.file.read() == PDF


def test_a_staged_upload_of_another_user_is_refused(client, version, staff):
    client.force_login(staff.chief)
    theirs = refused_once(client, version)
    client.force_login(staff.clerk)

    data = intake_data(version, files=False)
    for material_id, ids in theirs.items():
        data[f"staged_{material_id}"] = ids
    response = client.post("/staff/intake/", data)

    assert response.status_code == 400
    assert STALE in response.content.decode()
    assert not Case.objects.exists()
    # The other clerk's files are neither used nor touched.
    assert StagedUpload.objects.filter(user=staff.chief).count() == 2
    assert not StagedUpload.objects.filter(user=staff.clerk).exists()


def test_a_staged_upload_of_another_material_or_a_made_up_id_is_refused(client, version, staff):
    client.force_login(staff.clerk)
    carried = refused_once(client, version)
    first, second = materials(version)

    swapped = intake_data(version, files=False)
    swapped[f"staged_{first.pk}"] = carried[second.pk]
    swapped[f"staged_{second.pk}"] = carried[first.pk]
    made_up = intake_data(version, files=False, **{f"staged_{first.pk}": "not-a-number"})

    for data in (swapped, made_up):
        response = client.post("/staff/intake/", data)
        assert response.status_code == 400
        assert STALE in response.content.decode()
    assert not Case.objects.exists()


def test_a_new_file_replaces_the_staged_one_of_its_material(
    client, version, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff.clerk)
    carried = refused_once(client, version)
    first, second = materials(version)
    replaced = StagedUpload.objects.get(pk=carried[first.pk][0])

    data = intake_data(version, files=False, applicant_name="")
    data[f"staged_{first.pk}"] = carried[first.pk]
    data[f"staged_{second.pk}"] = carried[second.pk]
    data[f"material_{first.pk}"] = scan("重新扫描.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        content = client.post("/staff/intake/", data).content.decode()

    assert "重新扫描.pdf" in content and "申请书-扫描件.pdf" not in content
    assert not StagedUpload.objects.filter(pk=replaced.pk).exists()
    assert not default_storage.exists(replaced.file.name)
    assert staged_ids(content, second.pk) == carried[second.pk]

    data = intake_data(version, files=False)
    data[f"staged_{first.pk}"] = staged_ids(content, first.pk)
    data[f"staged_{second.pk}"] = carried[second.pk]
    assert client.post("/staff/intake/", data).status_code == 302
    names = Case.objects.get().submissions.get().files.values_list("original_name", flat=True)
    assert sorted(names) == sorted(["重新扫描.pdf", "营业执照-扫描件.pdf"])


def test_removing_a_staged_file_drops_it(client, version, staff):
    client.force_login(staff.clerk)
    carried = refused_once(client, version)
    first, second = materials(version)

    data = intake_data(version, files=False)
    data[f"staged_{first.pk}"] = carried[first.pk]
    data[f"unstage_{first.pk}"] = "on"
    data[f"staged_{second.pk}"] = carried[second.pk]
    response = client.post("/staff/intake/", data)

    content = response.content.decode()
    assert response.status_code == 400
    assert "Attach these materials before you submit: 申请书." in content
    assert staged_ids(content, first.pk) == [] and "申请书-扫描件.pdf" not in content
    assert staged_ids(content, second.pk) == carried[second.pk]
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == carried[second.pk]


def test_a_file_the_upload_rules_refuse_is_not_staged_and_says_why(client, version, staff):
    client.force_login(staff.clerk)
    first, second = materials(version)
    data = intake_data(version)
    data[f"material_{first.pk}"] = scan("伪装.pdf", b"MZ\x90\x00 not a pdf at all")

    response = client.post("/staff/intake/", data)

    content = response.content.decode()
    assert response.status_code == 400
    message = "The content of “伪装.pdf” is not a PDF file"
    # On its own input, and in the error summary as a link to that input; the valid file is
    # staged.
    assert content.count(message) == 2
    assert f'<a href="#id_material_{first.pk}">' in content
    assert not response.context["form"].non_field_errors()
    assert "伪装.pdf" in response.context["form"].errors[f"material_{first.pk}"][0]
    assert list(StagedUpload.objects.values_list("material_id", flat=True)) == [second.pk]
    assert not Case.objects.exists()


def test_a_staged_file_swept_before_the_resubmit_is_asked_for_again(client, version, staff):
    client.force_login(staff.clerk)
    carried = refused_once(client, version)
    staging.staged_uploads_sweep(now=timezone.now() + timedelta(hours=25))

    data = intake_data(version, files=False)
    for material_id, ids in carried.items():
        data[f"staged_{material_id}"] = ids
    response = client.post("/staff/intake/", data)

    assert response.status_code == 400
    assert STALE in response.content.decode()
    assert not Case.objects.exists()


def test_a_claimed_staged_upload_that_has_gone_is_refused_by_the_claim(version, staff):
    staged = staging.upload_stage(user=staff.clerk, material=materials(version)[0], upload=pdf())
    staging.staged_uploads_discard(user=staff.clerk, ids=[staged.pk])

    with pytest.raises(InvalidInput, match="no longer available"):
        staging.staged_uploads_claim(user=staff.clerk, ids=[staged.pk])


def test_staged_files_are_not_served_under_the_media_url(client, version, staff):
    client.force_login(staff.clerk)
    refused_once(client, version)
    staged = StagedUpload.objects.first()

    assert client.get(f"/media/{staged.file.name}").status_code == 404


# --- the sweep ------------------------------------------------------------------------------


def _staged_at(user, material, when) -> StagedUpload:
    return staging.upload_stage(user=user, material=material, upload=pdf(), now=when)


def test_the_sweep_deletes_only_the_expired_rows_and_their_files(
    version, staff, settings, django_capture_on_commit_callbacks
):
    settings.STAGED_UPLOAD_HOURS = 24
    material = materials(version)[0]
    now = timezone.now()
    expired = _staged_at(staff.clerk, material, now - timedelta(hours=25))
    fresh = _staged_at(staff.clerk, material, now - timedelta(hours=23))

    with django_capture_on_commit_callbacks(execute=True):
        assert staging.staged_uploads_sweep(now=now) == 1

    assert list(StagedUpload.objects.all()) == [fresh]
    assert not default_storage.exists(expired.file.name)
    assert default_storage.exists(fresh.file.name)
    # Again: nothing left to do, nothing broken.
    with django_capture_on_commit_callbacks(execute=True):
        assert staging.staged_uploads_sweep(now=now) == 0
    assert default_storage.exists(fresh.file.name)


def test_the_age_comes_from_staged_upload_hours(version, staff, settings):
    settings.STAGED_UPLOAD_HOURS = 2
    material = materials(version)[0]
    now = timezone.now()
    _staged_at(staff.clerk, material, now - timedelta(hours=3))
    kept = _staged_at(staff.clerk, material, now - timedelta(hours=1))

    assert staged_uploads_sweep_task() == 1
    assert list(StagedUpload.objects.all()) == [kept]


def test_the_sweep_is_one_delete_over_the_expired_rows(
    version, staff, django_assert_max_num_queries
):
    material = materials(version)[0]
    now = timezone.now()
    for _ in range(5):
        _staged_at(staff.clerk, material, now - timedelta(days=2))

    # One read of the stored names, one DELETE (and the savepoint of the transaction).
    with django_assert_max_num_queries(4) as queries:
        assert staging.staged_uploads_sweep(now=now) == 5
    assert sum(q["sql"].startswith("DELETE") for q in queries.captured_queries) == 1


def test_the_management_command_sweeps_too(version, staff, capsys):
    material = materials(version)[0]
    now = timezone.now()
    _staged_at(staff.clerk, material, now - timedelta(hours=30))
    kept = _staged_at(staff.clerk, material, now - timedelta(hours=1))

    call_command("sweep_staged_uploads")
    assert "1 staged file deleted." in capsys.readouterr().out
    assert list(StagedUpload.objects.all()) == [kept]

    call_command("sweep_staged_uploads", "--hours", "0")
    assert "1 staged file deleted." in capsys.readouterr().out
    assert not StagedUpload.objects.exists()


def test_the_sweep_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "workflow.tasks.staged_uploads_sweep_task" in tasks


# --- the kinds of applicant the item admits --------------------------------------------------


def _kind_choices(content: str) -> list[str]:
    return re.findall(r'name="applicant_kind" value="(\w+)"', content)


def test_an_item_for_legal_persons_offers_only_a_legal_person(client, staff, version):
    legal_only = item_with_procedure(
        department=version.department, materials=MATERIALS, applicant_type=ApplicantType.LEGAL
    )
    client.force_login(staff.clerk)

    content = client.get("/staff/intake/", {"item": legal_only.pk}).content.decode()

    assert _kind_choices(content) == ["legal"]
    assert re.search(r'name="applicant_kind" value="legal"[^>]*checked', content)
    assert 'name="credit_code"' in content and 'name="id_number"' not in content


def test_an_item_for_natural_persons_does_not_ask_for_a_credit_code(client, staff, version):
    natural_only = item_with_procedure(
        department=version.department, materials=MATERIALS, applicant_type=ApplicantType.NATURAL
    )
    client.force_login(staff.clerk)

    content = client.get("/staff/intake/", {"item": natural_only.pk}).content.decode()

    assert _kind_choices(content) == ["natural"]
    assert 'name="id_number"' in content and 'name="credit_code"' not in content


def test_an_item_for_both_offers_both_and_chooses_neither(client, staff, version):
    client.force_login(staff.clerk)

    content = client.get("/staff/intake/", {"item": version.pk}).content.decode()

    assert _kind_choices(content) == ["natural", "legal"]
    assert not re.search(r'name="applicant_kind" value="\w+"[^>]*checked', content)
    assert 'name="id_number"' in content and 'name="credit_code"' in content


def test_a_forged_natural_person_for_a_legal_only_item_is_refused(client, staff, version):
    legal_only = item_with_procedure(
        department=version.department, materials=MATERIALS, applicant_type=ApplicantType.LEGAL
    )
    client.force_login(staff.clerk)

    response = client.post("/staff/intake/", intake_data(legal_only))

    assert response.status_code == 400
    assert "This item is open to Legal person only." in response.content.decode()
    assert not Case.objects.exists()


def test_a_legal_person_is_taken_in_for_a_legal_only_item(client, staff, version):
    legal_only = item_with_procedure(
        department=version.department, materials=MATERIALS, applicant_type=ApplicantType.LEGAL
    )
    client.force_login(staff.clerk)

    response = client.post(
        "/staff/intake/",
        intake_data(
            legal_only,
            applicant_kind="legal",
            applicant_name="某某餐饮有限公司",
            id_number="",
            credit_code=CREDIT_CODE,
            agent_name="王五",
            agent_id_number=ID_NUMBER,
        ),
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.applicant_kind == "legal" and case.credit_code == CREDIT_CODE


def test_the_service_still_refuses_the_wrong_kind_of_applicant(staff, version):
    legal_only = item_with_procedure(
        department=version.department, materials=MATERIALS, applicant_type=ApplicantType.LEGAL
    )

    with pytest.raises(InvalidInput, match="open to Legal person only"):
        services.case_window_intake(
            version=legal_only, by=staff.clerk, files={}, applicant=WALK_IN_APPLICANT
        )
    assert not Case.objects.exists()


# --- joint intake -----------------------------------------------------------------------------


@pytest.fixture
def joint():
    lead_item = item_with_procedure(
        steps=(("审批", "approver", 2),),
        materials=(("申请书", False),),
        applicant_type=ApplicantType.LEGAL,
    )
    other_item = item_with_procedure(steps=(("审批", "approver", 2),), materials=(("图纸", False),))
    joint_item = JointItem.objects.create(
        code="LB-0001", name="开办餐馆一件事", lead_department=lead_item.department
    )
    joint_item.items.add(lead_item.item, other_item.item)
    return {
        "item": joint_item,
        "versions": (lead_item, other_item),
        "lead": department_staff(lead_item.department),
    }


def _joint_data(joint, *, files=True, **overrides) -> dict:
    data = {
        "joint_item": joint["item"].pk,
        "applicant_kind": "legal",
        "applicant_name": "某某餐饮有限公司",
        "credit_code": CREDIT_CODE,
        "agent_name": "王五",
        "agent_id_number": ID_NUMBER,
        "contact_phone": "13900139000",
    }
    if files:
        for version in joint["versions"]:
            for material in version.materials.all():
                data[f"material_{version.pk}_{material.pk}"] = scan(f"{material.name}.pdf")
    data.update(overrides)
    return data


def test_a_joint_intake_offers_only_the_kind_every_member_item_admits(client, joint):
    client.force_login(joint["lead"].clerk)

    content = client.get("/staff/intake/joint/", {"joint_item": joint["item"].pk}).content.decode()

    assert _kind_choices(content) == ["legal"]


def test_a_refused_joint_intake_keeps_its_files_for_the_resubmit(client, joint):
    client.force_login(joint["lead"].clerk)

    refused = client.post("/staff/intake/joint/", _joint_data(joint, applicant_name=""))

    content = refused.content.decode()
    assert refused.status_code == 400
    assert "申请书.pdf" in content and "图纸.pdf" in content
    data = _joint_data(joint, files=False)
    for version in joint["versions"]:
        for material in version.materials.all():
            key = f"{version.pk}_{material.pk}"
            data[f"staged_{key}"] = staged_ids(content, key)
            assert data[f"staged_{key}"]
    response = client.post("/staff/intake/joint/", data)

    assert response.status_code == 302
    joint_case = JointCase.objects.get()
    names = {
        f.original_name
        for case in joint_case.sub_cases.all()
        for f in case.submissions.get().files.all()
    }
    assert names == {"申请书.pdf", "图纸.pdf"}
    assert not StagedUpload.objects.exists()
