from datetime import date

import pytest
import time_machine

from portal.mycases_views import CASES_PER_PAGE
from tests.factories.workflow import (
    accepted_case,
    applicant_user,
    at,
    department_staff,
    draft_case,
    item_with_procedure,
    pdf,
    submitted_case,
)
from workflow import services
from workflow.models import CaseStatus, StepStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
LIST = "/my/cases/"


@pytest.fixture
def version():
    return item_with_procedure()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def detail(case) -> str:
    return f"/my/cases/{case.pk}/"


def test_an_anonymous_visitor_is_sent_to_the_hall_log_in(client, version):
    case = submitted_case(version, now=at(MONDAY))
    for path in (LIST, detail(case)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_a_staff_member_gets_a_page_saying_it_is_for_applicants(client, staff):
    client.force_login(staff.clerk)

    response = client.get(LIST)

    assert response.status_code == 403
    assert "This page is for applicants" in response.content.decode()


def test_the_list_shows_only_my_cases_newest_first_and_drafts_go_to_the_wizard(client, version):
    me = applicant_user()
    with time_machine.travel(at(MONDAY, 10)):
        older = submitted_case(version, me, now=at(MONDAY, 10))
    with time_machine.travel(at(MONDAY, 15)):
        newer = draft_case(version, me, now=at(MONDAY, 15))
    someone_elses = submitted_case(version, now=at(MONDAY))
    client.force_login(me)

    page = client.get(LIST).content.decode()

    assert detail(older) in page
    assert detail(someone_elses) not in page
    assert f"/apply/drafts/{newer.pk}/" in page
    assert page.index(f"/apply/drafts/{newer.pk}/") < page.index(detail(older))


def test_the_list_is_paged_by_keyset(client, version):
    me = applicant_user()
    cases = [draft_case(version, me) for _ in range(CASES_PER_PAGE + 2)]
    client.force_login(me)

    first = client.get(LIST)
    assert first.status_code == 200
    page = first.content.decode()
    assert f"/apply/drafts/{cases[-1].pk}/" in page
    assert f"/apply/drafts/{cases[0].pk}/" not in page
    cursor = first.context["page"].next_cursor
    second = client.get(LIST, {"after": cursor}).content.decode()
    assert f"/apply/drafts/{cases[0].pk}/" in second
    assert f"/apply/drafts/{cases[-1].pk}/" not in second


def test_a_case_is_marked_new_when_something_happened_since_the_last_visit(client, version, staff):
    me = applicant_user()
    case = submitted_case(version, me, now=at(MONDAY))
    client.force_login(me)
    with time_machine.travel(at(MONDAY, 11)):
        assert "mycases-new" not in client.get(LIST).content.decode()
    services.case_accept(
        case=case, by=staff.clerk, now=at(MONDAY, 12), deferred_due_on=date(2100, 1, 1)
    )
    with time_machine.travel(at(MONDAY, 13)):
        assert "mycases-new" in client.get(LIST).content.decode()
    with time_machine.travel(at(MONDAY, 14)):
        assert "mycases-new" not in client.get(LIST).content.decode()


def test_the_detail_tells_the_story_in_plain_words_with_due_date_and_strip(client, version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    step = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=step, by=staff.handler, now=at(MONDAY, 11))
    services.step_complete(
        step=step, by=staff.handler, opinion="内部意见：同意", now=at(MONDAY, 12)
    )
    client.force_login(case.applicant)

    with time_machine.travel(at(MONDAY, 14)):
        response = client.get(detail(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The application was accepted; the clock started" in page
    assert "A step was completed" in page
    assert "内部意见" not in page
    assert staff.handler.username not in page
    assert case.due_on.isoformat() in page
    assert 'class="calendar-strip"' in page
    assert "working days left" in page
    notice = case.notices.first()
    assert f"/my/cases/{case.pk}/notices/{notice.pk}/" in page


def test_a_suspended_case_says_why(client, version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="expert_review",
        reason="需组织专家评审",
        expected_days=3,
        now=at(date(2026, 11, 17)),
    )
    client.force_login(case.applicant)

    page = client.get(detail(case)).content.decode()

    assert "the clock is suspended" in page
    assert "Expert review" in page
    assert "需组织专家评审" in page


def test_answering_a_supplement_sends_a_new_round_to_the_window(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))
    licence = version.materials.get(name="营业执照")
    services.case_request_supplement(
        case=case, by=staff.clerk, items=[{"material": licence.pk, "reason": "已过期"}]
    )
    client.force_login(case.applicant)
    page = client.get(detail(case)).content.decode()
    assert "Answer the supplement notice" in page and "营业执照" in page
    assert "申请书" not in page.split("supplement-title")[1].split("</form>")[0]

    missing = client.post(f"/my/cases/{case.pk}/supplement/", {})
    assert missing.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_SUPPLEMENT

    response = client.post(
        f"/my/cases/{case.pk}/supplement/", {f"supplement-material_{licence.pk}": pdf()}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submissions.count() == 2


def test_a_wrong_file_type_in_the_answer_changes_nothing(client, version, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = submitted_case(version, now=at(MONDAY))
    licence = version.materials.get(name="营业执照")
    services.case_request_supplement(
        case=case, by=staff.clerk, items=[{"material": licence.pk, "reason": "已过期"}]
    )
    client.force_login(case.applicant)
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = client.post(
        f"/my/cases/{case.pk}/supplement/", {f"supplement-material_{licence.pk}": bad}
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_SUPPLEMENT
    assert not case.submissions.filter(round=2, files__isnull=False).exists()


def test_the_applicant_withdraws_with_a_reason(client, version):
    case = submitted_case(version, now=at(MONDAY))
    client.force_login(case.applicant)
    assert "Withdraw the application" in client.get(detail(case)).content.decode()

    without_reason = client.post(f"/my/cases/{case.pk}/withdraw/", {"withdraw-reason": ""})
    assert without_reason.status_code == 400
    response = client.post(f"/my/cases/{case.pk}/withdraw/", {"withdraw-reason": "不再需要"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert "Withdraw the application" not in client.get(detail(case)).content.decode()


def test_another_applicants_case_notice_and_file_are_404(client, version, staff):
    theirs = accepted_case(version, staff, now=at(MONDAY))
    notice = theirs.notices.first()
    stored = theirs.submissions.first().files.first()
    mine = submitted_case(version, now=at(MONDAY))
    client.force_login(mine.applicant)

    for path in (
        detail(theirs),
        f"/my/cases/{theirs.pk}/notices/{notice.pk}/",
        f"/my/cases/{theirs.pk}/files/{stored.pk}/",
        f"/my/cases/{mine.pk}/files/{stored.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(f"/my/cases/{theirs.pk}/withdraw/", {"withdraw-reason": "x"}).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == CaseStatus.ACCEPTED


def test_my_own_file_downloads(client, version):
    case = submitted_case(version, now=at(MONDAY))
    stored = case.submissions.first().files.first()
    client.force_login(case.applicant)

    response = client.get(f"/my/cases/{case.pk}/files/{stored.pk}/")

    assert response.status_code == 200
