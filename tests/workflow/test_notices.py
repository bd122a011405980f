"""The printable notices: each kind as the applicant receives it, who may open it, and that an
issued notice reads the same whatever happens to the case afterwards."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import Department, Role
from tests.factories.catalog import staff_user
from tests.factories.workflow import (
    accepted_case,
    applicant_user,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.models import Decision, NoticeKind

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
FRIDAY = date(2026, 11, 20)


@pytest.fixture
def version():
    return item_with_procedure(promised_limit=5, statutory_limit=20)


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def staff_url(notice):
    return reverse("workbench-notice", args=[notice.case_id, notice.pk])


def applicant_url(notice):
    return reverse("applicant-notice", args=[notice.case_id, notice.pk])


def open_as_staff(client, user, notice):
    client.force_login(user)
    return client.get(staff_url(notice))


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def assert_heading(html: str, notice, title: str) -> None:
    """What every notice shows: the issuing department, its title and number, the applicant."""
    assert f'<h1 class="notice-title">{title}</h1>' in html
    assert notice.number in html
    assert notice.content["department"] in html
    assert "张三:" in html  # the addressee
    assert "(Seal)" in html


# --- each kind ------------------------------------------------------------------------------


def test_acceptance_receipt_shows_the_case_number_due_date_query_code_and_pending_materials(
    client, version, staff
):
    case = accepted_case(version, staff, now=at(MONDAY), deferred_due_on=date(2026, 12, 1))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert_heading(html, notice, "Acceptance receipt")
    assert case.number in html
    assert "Article 32" in html
    assert "Nov. 23, 2026" in html  # five working days after Monday 16th
    assert "Dec. 14, 2026" in html  # the statutory twenty
    assert case.query_code in html
    assert "场所证明" in html and "Dec. 1, 2026" in html  # may come later (容缺), and by when


def test_supplement_notice_lists_every_material_with_what_is_wrong(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))
    licence = version.materials.get(name="营业执照")
    form = version.materials.get(name="申请书")
    notice = services.case_request_supplement(
        case=case,
        by=staff.clerk,
        items=[
            {"material": licence.pk, "reason": "营业执照已过期"},
            {"material": form.pk, "reason": "缺少法定代表人签字"},
        ],
        now=at(TUESDAY),
    )

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert_heading(html, notice, "Supplement notice")
    assert "Article 32" in html and "once and completely" in html
    assert "营业执照" in html and "营业执照已过期" in html
    assert "申请书" in html and "缺少法定代表人签字" in html
    assert "Nov. 16, 2026" in html  # the day the application was received


def test_rejection_notice_gives_the_reason_and_the_right_to_review_or_sue(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))
    notice = services.case_reject(
        case=case, by=staff.clerk, reason="申请事项不属于本部门职权范围", now=at(TUESDAY)
    )

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert_heading(html, notice, "Notice of rejection at intake")
    assert "Article 32" in html
    assert "申请事项不属于本部门职权范围" in html
    assert "administrative review" in html and "administrative lawsuit" in html


def test_extension_notice_gives_the_days_the_reason_and_the_new_due_date(client, version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="需征求相关部门意见", now=at(FRIDAY)
    )
    services.extension_decide(extension=extension, by=staff.approver, approve=True, now=at(FRIDAY))
    notice = case.notices.get(kind=NoticeKind.EXTENSION)

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert_heading(html, notice, "Extension notice")
    assert case.number in html
    assert "Article 42" in html
    assert "extended by 10" in html
    assert "需征求相关部门意见" in html
    assert "Dec. 7, 2026" in html  # Monday 23rd plus ten working days


def test_suspension_notice_names_the_procedure_the_reason_and_its_expected_length(
    client, version, staff
):
    case = accepted_case(version, staff, now=at(MONDAY))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="expert_review",
        reason="需组织专家对技术方案进行评审",
        expected_days=15,
        now=at(TUESDAY),
    )
    notice = case.notices.get(kind=NoticeKind.SUSPENSION)

    html = page_text(open_as_staff(client, staff.handler, notice))

    assert_heading(html, notice, "Suspension notice")
    assert case.number in html
    assert "Article 45" in html
    assert "Expert review" in html
    assert "需组织专家对技术方案进行评审" in html
    assert "15 working days" in html
    assert "Nov. 17, 2026" in html  # suspended from


def test_approval_decision_shows_the_licence_number(client, version, staff):
    case = decided_case(version, staff, now=at(MONDAY))
    notice = case.notices.get(kind=NoticeKind.APPROVAL)

    html = page_text(open_as_staff(client, staff.approver, notice))

    assert_heading(html, notice, "Decision to grant the licence")
    assert case.number in html
    assert "Article 38" in html and "Article 39" in html
    assert "JY13301000000001" in html


def test_denial_decision_states_its_reasons_and_the_appeal_rights(client, version, staff):
    case = decided_case(version, staff, now=at(MONDAY), decision=Decision.DENIED)
    notice = case.notices.get(kind=NoticeKind.DENIAL)

    html = page_text(open_as_staff(client, staff.approver, notice))

    assert_heading(html, notice, "Decision to deny the licence")
    assert case.number in html
    assert "Article 38" in html
    assert "不符合法定条件" in html
    assert "administrative review" in html and "administrative lawsuit" in html


def test_the_page_prints_with_a_button_and_no_inline_script(client, version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert "data-print" in html
    assert "js/print.js" in html and "css/notice.css" in html
    assert "onclick" not in html


# --- who may open it ------------------------------------------------------------------------


@pytest.fixture
def acceptance(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    return case.notices.get(kind=NoticeKind.ACCEPTANCE)


def test_the_applicant_opens_the_notices_of_their_own_case(client, acceptance):
    client.force_login(acceptance.case.applicant)

    html = page_text(client.get(applicant_url(acceptance)))

    assert acceptance.number in html
    assert acceptance.case.number in html


def test_staff_find_the_way_back_to_the_case_and_the_applicant_no_workbench_link(
    client, acceptance, staff
):
    case_page = reverse("workbench-case", args=[acceptance.case_id])

    assert case_page in page_text(open_as_staff(client, staff.clerk, acceptance))
    client.force_login(acceptance.case.applicant)
    assert case_page not in page_text(client.get(applicant_url(acceptance)))


def test_staff_of_the_department_open_the_notices_of_its_cases(client, acceptance, staff):
    for user in (staff.clerk, staff.handler, staff.approver):
        assert open_as_staff(client, user, acceptance).status_code == 200


def test_staff_of_another_department_get_not_found(client, acceptance):
    other = department_staff(item_with_procedure().department)

    assert open_as_staff(client, other.clerk, acceptance).status_code == 404
    assert open_as_staff(client, other.approver, acceptance).status_code == 404


def test_another_applicant_gets_not_found(client, acceptance):
    client.force_login(applicant_user())

    assert client.get(applicant_url(acceptance)).status_code == 404


def test_the_applicant_cannot_use_the_workbench_address(client, acceptance):
    client.force_login(acceptance.case.applicant)

    assert client.get(staff_url(acceptance)).status_code == 404


def test_staff_cannot_open_a_notice_as_if_they_were_the_applicant(client, acceptance, staff):
    client.force_login(staff.clerk)

    assert client.get(applicant_url(acceptance)).status_code == 404


@pytest.mark.parametrize("url", [staff_url, applicant_url])
def test_anonymous_visitors_are_sent_to_log_in(client, acceptance, url):
    response = client.get(url(acceptance))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_notice_of_another_case_is_not_found_under_this_case(client, version, staff):
    first = accepted_case(version, staff, now=at(MONDAY))
    second = accepted_case(version, staff, now=at(MONDAY))
    notice_of_second = second.notices.get()
    client.force_login(staff.clerk)

    response = client.get(reverse("workbench-notice", args=[first.pk, notice_of_second.pk]))
    assert response.status_code == 404

    client.force_login(first.applicant)
    response = client.get(reverse("applicant-notice", args=[first.pk, notice_of_second.pk]))
    assert response.status_code == 404


def test_a_notice_that_does_not_exist_is_not_found(client, acceptance, staff):
    client.force_login(staff.clerk)

    response = client.get(reverse("workbench-notice", args=[acceptance.case_id, 999_999]))

    assert response.status_code == 404


def test_a_fee_clerk_of_the_center_opens_the_notices_of_its_departments(client, acceptance):
    fee_clerk = staff_user(Role.FEE_CLERK, center=acceptance.case.department.center)

    assert open_as_staff(client, fee_clerk, acceptance).status_code == 200


# --- frozen at issue ------------------------------------------------------------------------


def test_the_acceptance_receipt_keeps_its_due_date_after_a_suspension_moved_the_case(
    client, version, staff
):
    case = accepted_case(version, staff, now=at(MONDAY))
    notice = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="testing",
        reason="样品送检",
        expected_days=3,
        now=at(TUESDAY),
    )
    services.case_resume(case=case, by=staff.handler, now=at(FRIDAY))
    case.refresh_from_db()
    assert case.due_on == date(2026, 11, 26)  # moved by the three working days suspended

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert "Nov. 23, 2026" in html
    assert "Nov. 26, 2026" not in html


def test_a_notice_keeps_the_names_it_was_issued_under(client, version, staff):
    case = decided_case(version, staff, now=at(MONDAY), decision=Decision.DENIED)
    notice = case.notices.get(kind=NoticeKind.DENIAL)
    issued_under = version.department.name
    Department.objects.filter(pk=version.department_id).update(name="更名后的部门")

    html = page_text(open_as_staff(client, staff.approver, notice))

    assert issued_under in html
    assert "更名后的部门" not in html


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [NoticeKind.ACCEPTANCE, NoticeKind.APPROVAL, NoticeKind.DENIAL, NoticeKind.SUPPLEMENT]
)
def test_the_notices_render_in_chinese(client, zh_hans, version, staff, kind):
    if kind == NoticeKind.SUPPLEMENT:
        case = submitted_case(version, now=at(MONDAY))
        material = version.materials.get(name="营业执照")
        notice = services.case_request_supplement(
            case=case,
            by=staff.clerk,
            items=[{"material": material.pk, "reason": "已过期"}],
            now=at(MONDAY),
        )
    else:
        decision = Decision.DENIED if kind == NoticeKind.DENIAL else Decision.APPROVED
        case = decided_case(version, staff, now=at(MONDAY), decision=decision)
        notice = case.notices.get(kind=kind)

    html = page_text(open_as_staff(client, staff.clerk, notice))

    assert '<html lang="zh-hans">' in html
    assert notice.number in html
    assert "2026年11月16日" in html  # the date of issue, written the Chinese way
