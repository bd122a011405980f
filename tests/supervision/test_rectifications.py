"""Rectifications (整改) of poor ratings: a leader of the department rated answers once, with
what was put right and the call-back to the applicant; a late answer is taken and kept late; the
applicant and the supervision officers are told."""

from datetime import timedelta

import pytest

from catalog.models import Role
from supervision.demo_staffrate import demo_staffrate_load
from supervision.models import RectificationStatus
from supervision.rectifications import (
    ANSWER,
    rectification_actions,
    rectification_answer,
    rectification_answered_late,
    rectification_refusal,
)
from tests.factories.catalog import staff_user
from tests.factories.workflow import at
from tests.supervision.office import MONDAY
from tests.supervision.rated import rated, rated_office
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification

ANSWER_TEXT = "经核查，窗口人员解释不耐心，已批评教育并调整岗位。"
CALLBACK = "11月18日电话回访申请人，申请人表示认可。"


@pytest.fixture
def office(db):
    return rated_office()


def answer(rectification, by, *, now=None, **texts):
    texts.setdefault("answer", ANSWER_TEXT)
    texts.setdefault("callback_note", CALLBACK)
    return rectification_answer(
        rectification=rectification, by=by, now=now or at(MONDAY + timedelta(days=2)), **texts
    )


def test_a_poor_rating_opens_a_rectification_due_in_five_working_days(office):
    rectification = rated(office, 1).rectification

    assert rectification.status == RectificationStatus.OPEN
    assert rectification.opened_on == MONDAY
    # Five working days after Monday 16 November: Monday 23 November.
    assert rectification.due_on == MONDAY + timedelta(days=7)
    assert rectification.department == office.department
    # The rating knows the window and the clerk who handed the result over.
    assert rectification.rating.window == office.window
    assert rectification.rating.staff == office.staff.clerk


def test_a_leader_of_the_department_answers_and_the_applicant_and_officers_are_told(office):
    rectification = rated(office, 2).rectification

    answered = answer(rectification, office.staff.chief)

    assert answered.status == RectificationStatus.ANSWERED
    assert answered.answer == ANSWER_TEXT
    assert answered.callback_note == CALLBACK
    assert answered.answered_by == office.staff.chief
    assert answered.answered_on == MONDAY + timedelta(days=2)
    assert not rectification_answered_late(answered)
    to_applicant = Notification.objects.filter(template="rectification_answered")
    assert {n.recipient_id for n in to_applicant} == {rectification.case.applicant_id}
    assert to_applicant.first().payload["answer"] == ANSWER_TEXT
    officers = set(
        Notification.objects.filter(template="rectification_answered_office").values_list(
            "recipient_id", flat=True
        )
    )
    assert officers == {office.county_officer.pk, office.city_officer.pk}


@pytest.mark.parametrize("who", ["clerk", "handler", "county_officer", "other_approver"])
def test_only_a_leader_of_the_department_answers(office, who):
    rectification = rated(office, 1).rectification
    user = getattr(office.staff, who, None) or getattr(office, who)

    assert rectification_refusal(ANSWER, rectification, user) is not None
    assert rectification_actions(rectification, user) == []
    with pytest.raises(ActionForbidden) as refused:
        answer(rectification, user)
    assert refused.value.status == 403
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_a_rectification_is_answered_once(office):
    rectification = rated(office, 1).rectification
    answer(rectification, office.staff.approver)
    rectification.refresh_from_db()

    assert rectification_actions(rectification, office.staff.chief) == []
    with pytest.raises(TransitionNotAllowed, match="answered already") as refused:
        answer(rectification, office.staff.chief, answer="再次回复")
    assert refused.value.status == 409
    rectification.refresh_from_db()
    assert rectification.answer == ANSWER_TEXT
    assert rectification.answered_by == office.staff.approver


def test_both_texts_are_required(office):
    rectification = rated(office, 1).rectification

    with pytest.raises(InvalidInput) as refused:
        answer(rectification, office.staff.approver, answer="  ", callback_note="")

    assert set(refused.value.fields) == {"answer", "callback_note"}
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_a_late_answer_is_taken_and_recorded_late(office):
    rectification = rated(office, 1).rectification
    late_day = rectification.due_on + timedelta(days=1)

    answered = answer(rectification, office.staff.approver, now=at(late_day))

    assert answered.status == RectificationStatus.ANSWERED
    assert answered.answered_on == late_day
    assert rectification_answered_late(answered)
    told = Notification.objects.filter(template="rectification_answered_office").first()
    assert rectification.due_on.isoformat() in told.payload["late"]


def test_a_good_rating_opens_no_rectification(office):
    rating = rated(office, 4)

    assert not rating.poor
    assert not hasattr(rating, "rectification") or rating.rectification is None


def test_the_demo_answers_one_and_appeals_one_then_adds_nothing(office):
    assert demo_staffrate_load(now=at(MONDAY + timedelta(days=1))) == {}
    staff_user(Role.SUPERVISION_OFFICER, center=office.city, username="supervisor")
    first, second, _good = rated(office, 1), rated(office, 2), rated(office, 5)

    added = demo_staffrate_load(now=at(MONDAY + timedelta(days=1)))

    assert added == {"rectifications_answered": 1, "ratings_appealed": 1, "appeals_upheld": 1}
    first.rectification.refresh_from_db()
    second.refresh_from_db()
    second.rectification.refresh_from_db()
    assert first.rectification.status == RectificationStatus.ANSWERED
    assert first.rectification.callback_note
    assert second.excluded
    assert second.rectification.status == RectificationStatus.CANCELLED
    assert demo_staffrate_load(now=at(MONDAY + timedelta(days=2))) == {}
