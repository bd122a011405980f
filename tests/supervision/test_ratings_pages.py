"""The staff pages of ratings: the ratings list and one rating with its rectification, the
leader's appeal and the officer's review; the rectifications list (the open ones by due date,
the overdue marked) and the answer form; the month's statistics per window, staff member and
department; the Excel exports; the navigation and the leader's start-page panel. Another
department's leader gets 404s, a clerk the 403 page."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from supervision.models import AppealDecision, RectificationStatus
from supervision.rectifications import rating_appeal, rectification_answer
from tests.factories.workflow import at
from tests.supervision.office import MONDAY
from tests.supervision.rated import logged_in, rated, rated_office

TUESDAY = MONDAY + timedelta(days=1)
RATINGS = "/staff/supervision/ratings/"
RECTIFICATIONS = "/staff/supervision/rectifications/"
STATISTICS = "/staff/supervision/ratings/statistics/?month=2026-11"


@pytest.fixture
def office(db):
    with time_machine.travel(at(TUESDAY, 11), tick=False):
        yield rated_office()


def test_a_leader_lists_the_ratings_of_their_department_and_an_officer_those_of_the_tree(office):
    poor, good = rated(office, 1), rated(office, 5)

    for user in (office.staff.approver, office.county_officer, office.city_officer):
        page = logged_in(user).get(RATINGS)
        assert page.status_code == 200
        html = page.content.decode()
        assert poor.case.number in html and good.case.number in html
        assert "Window 01" in html
    page = logged_in(office.other_approver).get(RATINGS)
    assert poor.case.number not in page.content.decode()
    assert logged_in(office.staff.clerk).get(RATINGS).status_code == 403


def test_the_ratings_list_filters_poor_month_and_appeal(office):
    poor, good = rated(office, 2), rated(office, 4)
    client = logged_in(office.county_officer)

    html = client.get(RATINGS, {"poor": "yes", "month": "2026-11"}).content.decode()
    assert poor.case.number in html and good.case.number not in html
    html = client.get(RATINGS, {"month": "2026-10"}).content.decode()
    assert poor.case.number not in html
    html = client.get(RATINGS, {"appeal": "appealed"}).content.decode()
    assert poor.case.number not in html
    assert client.get(RATINGS, {"month": "November"}).status_code == 400


def test_another_departments_leader_gets_404_on_every_page_and_form(office):
    rating = rated(office, 1)
    client = logged_in(office.other_approver)
    rectification = rating.rectification

    for path in (f"{RATINGS}{rating.pk}/", f"{RECTIFICATIONS}{rectification.pk}/"):
        assert client.get(path).status_code == 404
    assert client.post(f"{RATINGS}{rating.pk}/appeal/", {"appeal-reason": "x"}).status_code == 404
    assert (
        client.post(
            f"{RECTIFICATIONS}{rectification.pk}/answer/",
            {"answer-answer": "x", "answer-callback_note": "y"},
        ).status_code
        == 404
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_the_leader_answers_the_rectification_on_its_page(office):
    rectification = rated(office, 1).rectification
    client = logged_in(office.staff.approver)
    page = client.get(f"{RECTIFICATIONS}{rectification.pk}/")
    assert 'name="answer-callback_note"' in page.content.decode()

    response = client.post(
        f"{RECTIFICATIONS}{rectification.pk}/answer/",
        {"answer-answer": "已批评教育窗口人员", "answer-callback_note": "已电话回访，申请人认可"},
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "已电话回访，申请人认可" in html
    assert 'name="answer-answer"' not in html
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED


def test_an_empty_answer_shows_the_error_summary_and_an_officer_gets_no_form(office):
    rectification = rated(office, 1).rectification

    response = logged_in(office.staff.chief).post(
        f"{RECTIFICATIONS}{rectification.pk}/answer/",
        {"answer-answer": "", "answer-callback_note": ""},
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    page = logged_in(office.county_officer).get(f"{RECTIFICATIONS}{rectification.pk}/")
    assert 'name="answer-answer"' not in page.content.decode()
    response = logged_in(office.county_officer).post(
        f"{RECTIFICATIONS}{rectification.pk}/answer/",
        {"answer-answer": "a", "answer-callback_note": "b"},
    )
    assert response.status_code == 403


def test_the_rectifications_list_puts_the_open_ones_by_due_date_and_marks_the_overdue(office):
    late = rated(office, 1, day=MONDAY - timedelta(days=14)).rectification
    soon = rated(office, 1).rectification
    answered = rated(office, 2).rectification
    rectification_answer(
        rectification=answered,
        by=office.staff.approver,
        answer="已整改",
        callback_note="已回访",
        now=at(TUESDAY),
    )

    html = logged_in(office.staff.approver).get(RECTIFICATIONS).content.decode()

    assert html.index(late.case.number) < html.index(soon.case.number)
    assert answered.case.number not in html
    assert 'class="overdue"' in html
    html = logged_in(office.staff.approver).get(RECTIFICATIONS, {"status": "answered"})
    assert answered.case.number in html.content.decode()
    html = logged_in(office.staff.approver).get(RECTIFICATIONS, {"status": "overdue"})
    assert soon.case.number not in html.content.decode()


def test_appeal_upheld_on_the_pages_takes_the_rating_out_of_the_statistics(office):
    rating = rated(office, 1)
    rated(office, 5)
    officer = logged_in(office.county_officer)
    before = officer.get(STATISTICS).content.decode()
    assert 'id="stat-ratings">2<' in before and 'id="stat-poor">1<' in before

    leader = logged_in(office.staff.approver)
    page = leader.get(f"{RATINGS}{rating.pk}/").content.decode()
    assert 'name="appeal-reason"' in page and 'name="review-decision"' not in page
    leader.post(f"{RATINGS}{rating.pk}/appeal/", {"appeal-reason": "恶意差评，有录像为证"})
    page = officer.get(f"{RATINGS}{rating.pk}/").content.decode()
    assert 'name="review-decision"' in page and "恶意差评，有录像为证" in page
    response = officer.post(
        f"{RATINGS}{rating.pk}/review/",
        {"review-decision": AppealDecision.UPHELD, "review-note": "经核实，评价与事实不符"},
        follow=True,
    )

    assert response.status_code == 200
    assert "excluded on appeal" in response.content.decode()
    after = officer.get(STATISTICS).content.decode()
    assert 'id="stat-ratings">1<' in after and 'id="stat-poor">0<' in after
    assert "100.0 %" in after
    rating.rectification.refresh_from_db()
    assert rating.rectification.status == RectificationStatus.CANCELLED


def test_the_statistics_group_by_window_staff_member_and_department(office):
    rated(office, 1)
    rated(office, 4)
    rated(office, 5)

    html = logged_in(office.staff.approver).get(STATISTICS).content.decode()

    assert 'id="by-window"' in html and 'id="by-staff"' in html and 'id="by-department"' in html
    assert "66.7 %" in html
    assert office.department.name in html
    assert logged_in(office.staff.approver).get(RATINGS + "statistics/?month=13").status_code == 400
    html = logged_in(office.other_approver).get(STATISTICS).content.decode()
    assert 'id="stat-ratings">0<' in html


def test_a_dismissed_appeal_leaves_the_rating_counted(office):
    rating = rated(office, 1)
    rating_appeal(rating=rating, by=office.staff.chief, reason="申诉", now=at(TUESDAY))

    logged_in(office.city_officer).post(
        f"{RATINGS}{rating.pk}/review/",
        {"review-decision": AppealDecision.DISMISSED, "review-note": "录像显示态度确有问题"},
    )

    html = logged_in(office.city_officer).get(STATISTICS).content.decode()
    assert 'id="stat-poor">1<' in html
    rating.refresh_from_db()
    assert not rating.excluded and rating.appeal_decision == AppealDecision.DISMISSED


def test_the_exports_hold_what_the_lists_show(office):
    poor, good = rated(office, 1), rated(office, 5)
    client = logged_in(office.county_officer)

    response = client.get("/staff/supervision/exports/ratings.xlsx", {"poor": "yes"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [poor.case.number]
    response = client.get("/staff/supervision/exports/rectifications.xlsx", {"status": "open"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [poor.case.number]
    assert good.case.number not in str(rows)
    other = logged_in(office.other_approver).get("/staff/supervision/exports/ratings.xlsx")
    sheet = load_workbook(BytesIO(b"".join(other.streaming_content))).active
    assert sheet.max_row == 1


def test_the_navigation_and_the_leaders_panel(office):
    rectification = rated(office, 1, day=MONDAY - timedelta(days=14)).rectification
    rated(office, 1)

    start = logged_in(office.staff.approver).get("/staff/").content.decode()
    assert "Rectifications to answer" in start
    assert 'id="count-rectifications">2<' in start
    assert 'id="count-rectifications-overdue">1<' in start
    assert f"{RECTIFICATIONS}{rectification.pk}/" in start
    assert RATINGS in start
    officer = logged_in(office.county_officer).get("/staff/").content.decode()
    assert RATINGS in officer and RECTIFICATIONS in officer
    assert "Rectifications to answer" not in officer
