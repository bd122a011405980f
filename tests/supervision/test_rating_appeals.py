"""The department's appeal (申诉) of a mistaken or malicious poor rating and the office's review
(复核): a leader of that department appeals once, within ten working days; an officer of the
rating's center or above reviews it once — upheld takes the rating out of the statistics and
cancels its open rectification, dismissed leaves both standing."""

from datetime import timedelta

import pytest

from supervision.models import AppealDecision, RectificationStatus
from supervision.rectifications import (
    APPEAL,
    APPEALED,
    DISMISSED,
    REVIEW,
    UPHELD,
    appeal_closes_on,
    appeal_stage,
    rating_actions,
    rating_appeal,
    rating_refusal_for_staff,
    rating_review,
    rectification_answer,
)
from tests.factories.catalog import DepartmentFactory
from tests.factories.workflow import at, department_staff
from tests.factories.workflow_states import procedure_item
from tests.supervision.office import MONDAY
from tests.supervision.rated import rated, rated_office
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification

REASON = "申请人在窗口要求加急未获满足，当场表示要给差评，与办理质量无关。"
NOTE = "经调取窗口录像核实，工作人员按规定办理，评价与事实不符。"
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def office(db):
    return rated_office()


def appeal(rating, by, *, now=None, reason=REASON):
    return rating_appeal(rating=rating, by=by, reason=reason, now=now or at(TUESDAY))


def review(rating, by, decision=AppealDecision.UPHELD, *, note=NOTE):
    return rating_review(rating=rating, by=by, decision=decision, note=note, now=at(TUESDAY, 16))


def test_a_leader_appeals_a_poor_rating_and_the_officers_of_the_tree_are_told(office):
    rating = rated(office, 1)

    appealed = appeal(rating, office.staff.approver)

    assert appealed.appeal_reason == REASON
    assert appealed.appealed_by == office.staff.approver
    assert appeal_stage(appealed) == APPEALED
    assert not appealed.excluded
    told = set(
        Notification.objects.filter(template="rating_appealed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.county_officer.pk, office.city_officer.pk}


@pytest.mark.parametrize("who", ["clerk", "handler", "county_officer", "other_approver"])
def test_only_a_leader_of_that_department_appeals(office, who):
    rating = rated(office, 1)
    user = getattr(office.staff, who, None) or getattr(office, who)

    assert APPEAL not in rating_actions(rating, user, today=TUESDAY)
    with pytest.raises(ActionForbidden) as refused:
        appeal(rating, user)
    assert refused.value.status == 403
    rating.refresh_from_db()
    assert rating.appealed_at is None


def test_the_department_appeals_once(office):
    rating = rated(office, 2)
    appeal(rating, office.staff.approver)

    with pytest.raises(TransitionNotAllowed, match="appealed this rating once"):
        appeal(rating, office.staff.chief, reason="再次申诉")
    rating.refresh_from_db()
    assert rating.appeal_reason == REASON


def test_a_good_rating_is_not_appealed(office):
    rating = rated(office, 5)

    with pytest.raises(TransitionNotAllowed, match="Only a poor rating"):
        appeal(rating, office.staff.approver)


def test_the_appeal_closes_ten_working_days_after_the_rating(office):
    rating = rated(office, 1)
    closes_on = appeal_closes_on(rating)
    assert closes_on == MONDAY + timedelta(days=14)

    assert rating_refusal_for_staff(APPEAL, rating, office.staff.approver, today=closes_on) is None
    with pytest.raises(TransitionNotAllowed, match="time to appeal"):
        appeal(rating, office.staff.approver, now=at(closes_on + timedelta(days=1)))


def test_an_empty_reason_is_refused(office):
    rating = rated(office, 1)

    with pytest.raises(InvalidInput) as refused:
        appeal(rating, office.staff.approver, reason="  ")
    assert "reason" in refused.value.fields


def test_upheld_excludes_the_rating_and_cancels_its_open_rectification(office):
    rating = rated(office, 1)
    appeal(rating, office.staff.approver)

    reviewed = review(rating, office.county_officer)

    assert reviewed.excluded
    assert appeal_stage(reviewed) == UPHELD
    assert reviewed.reviewed_by == office.county_officer
    rating.rectification.refresh_from_db()
    assert rating.rectification.status == RectificationStatus.CANCELLED
    told = set(
        Notification.objects.filter(template="rating_reviewed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.staff.approver.pk, office.staff.chief.pk, office.department.head_id}
    # A cancelled rectification is not answered any more.
    with pytest.raises(TransitionNotAllowed, match="cancelled"):
        rectification_answer(
            rectification=rating.rectification,
            by=office.staff.approver,
            answer="已整改",
            callback_note="已回访",
            now=at(TUESDAY, 17),
        )


def test_upheld_after_the_answer_keeps_the_answered_rectification(office):
    rating = rated(office, 1)
    rectification_answer(
        rectification=rating.rectification,
        by=office.staff.approver,
        answer="已整改",
        callback_note="已回访",
        now=at(TUESDAY),
    )
    appeal(rating, office.staff.approver)

    reviewed = review(rating, office.city_officer)

    assert reviewed.excluded
    rating.rectification.refresh_from_db()
    assert rating.rectification.status == RectificationStatus.ANSWERED


def test_dismissed_leaves_the_rating_and_its_rectification_standing(office):
    rating = rated(office, 1)
    appeal(rating, office.staff.approver)

    reviewed = review(rating, office.city_officer, AppealDecision.DISMISSED)

    assert not reviewed.excluded
    assert appeal_stage(reviewed) == DISMISSED
    rating.rectification.refresh_from_db()
    assert rating.rectification.status == RectificationStatus.OPEN


def test_only_an_officer_of_the_center_or_above_reviews(office):
    rating = rated(office, 1)
    appeal(rating, office.staff.approver)
    rating.refresh_from_db()

    for user in (office.other_officer, office.staff.approver, office.staff.chief):
        assert REVIEW not in rating_actions(rating, user, today=TUESDAY)
        with pytest.raises(ActionForbidden):
            review(rating, user)
    assert REVIEW in rating_actions(rating, office.county_officer, today=TUESDAY)
    assert REVIEW in rating_actions(rating, office.city_officer, today=TUESDAY)


def test_a_county_officer_cannot_review_a_city_departments_rating(office):
    # The city's own department, rated poorly: the county below it does not review.
    city_department = DepartmentFactory(center=office.city)
    office.department, office.staff = city_department, department_staff(city_department)
    office.version = procedure_item(department=city_department)
    rating = rated(office, 1)
    appeal(rating, office.staff.approver)

    with pytest.raises(ActionForbidden):
        review(rating, office.county_officer)
    assert review(rating, office.city_officer).excluded


def test_no_review_before_the_appeal_and_one_review(office):
    rating = rated(office, 1)

    with pytest.raises(TransitionNotAllowed, match="not appealed"):
        review(rating, office.city_officer)
    appeal(rating, office.staff.approver)
    review(rating, office.city_officer, AppealDecision.DISMISSED)
    with pytest.raises(TransitionNotAllowed, match="reviewed already"):
        review(rating, office.county_officer)
    rating.refresh_from_db()
    assert not rating.excluded


def test_a_review_needs_a_decision_and_its_reasons(office):
    rating = rated(office, 1)
    appeal(rating, office.staff.approver)

    with pytest.raises(InvalidInput) as refused:
        review(rating, office.city_officer, "maybe")
    assert "decision" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        review(rating, office.city_officer, note="")
    assert "note" in refused.value.fields
