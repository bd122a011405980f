"""Correction and accountability (纠错 / 问责): the office records one correction per yellow or
red card; the department's leader appeals it once; the office reviews the appeal — upheld keeps
the card, revoked takes it out of the statistics and resolves it. Scoped down the tree and to
the department, on the pages and in the API."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from supervision.corrections import (
    correction_actions,
    correction_appeal,
    correction_record,
    correction_review,
    corrections_visible_to,
)
from supervision.models import AlertLevel, AlertRule, AppealReview, Correction, CorrectionOutcome
from tests.factories.catalog import UserFactory
from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from tests.supervision.office import MONDAY, card, supervised_office
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification

CORRECTIONS = "/api/v1/supervision/corrections/"
PAGES = "/staff/supervision/corrections/"
TUESDAY = date(2026, 11, 17)


@pytest.fixture
def office(db):
    return supervised_office()


def record(office, alert=None, *, by=None, outcome=CorrectionOutcome.NOTICE, **kwargs):
    kwargs.setdefault("responsible_person", "王五（承办人）")
    kwargs.setdefault("note", "超期两个工作日未办结，未说明理由。")
    return correction_record(
        by=by or office.county_officer,
        alert=alert or card(office.case()),
        outcome=outcome,
        now=at(MONDAY),
        **kwargs,
    )


def appealed(office) -> Correction:
    correction = record(office)
    return correction_appeal(
        correction=correction,
        by=office.staff.approver,
        reason="系申请人要求延后补充材料，已有书面说明。",
        now=at(MONDAY),
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_for(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- recording ------------------------------------------------------------------------------


def test_the_office_records_a_correction_about_a_red_card_and_the_leaders_are_told(office):
    alert = card(office.case())

    correction = record(office, alert, by=office.city_officer)

    assert correction.alert == alert
    assert correction.department == office.department
    assert correction.center == office.county
    assert correction.recorded_by == office.city_officer
    assert correction.rectify_by is None
    told = set(
        Notification.objects.filter(template="correction_recorded").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.staff.approver.pk, office.staff.chief.pk, office.department.head_id}
    payload = Notification.objects.filter(template="correction_recorded").first().payload
    assert payload["outcome"] == "Circulated notice (通报)"
    assert alert.case.number in payload["alert"]


def test_a_yellow_card_takes_a_correction_a_reminder_does_not(office):
    assert record(office, card(office.case(), level=AlertLevel.YELLOW)).pk

    with pytest.raises(TransitionNotAllowed, match="A reminder is not a card") as refused:
        record(office, card(office.case(), level=AlertLevel.REMINDER))
    assert refused.value.status == 409


def test_one_correction_per_card(office):
    alert = card(office.case())
    record(office, alert)

    with pytest.raises(TransitionNotAllowed, match="recorded for this card already"):
        record(office, alert, by=office.city_officer)
    assert Correction.objects.count() == 1


def test_a_rectification_needs_a_date_after_today(office):
    alert = card(office.case())
    for rectify_by, words in ((None, "Give the date"), (MONDAY, "must be after today")):
        with pytest.raises(InvalidInput, match=words) as refused:
            record(office, alert, outcome=CorrectionOutcome.RECTIFY, rectify_by=rectify_by)
        assert "rectify_by" in refused.value.fields

    correction = record(
        office, alert, outcome=CorrectionOutcome.RECTIFY, rectify_by=date(2026, 11, 30)
    )
    assert correction.rectify_by == date(2026, 11, 30)
    # Another outcome keeps no date.
    assert record(office, rectify_by=date(2026, 11, 30)).rectify_by is None


def test_only_an_officer_of_the_tree_records_and_the_input_is_checked(office):
    alert = card(office.case())
    for outsider in (office.other_officer, office.staff.approver):
        with pytest.raises(ActionForbidden):
            record(office, alert, by=outsider)
    for field, value in (("responsible_person", " "), ("note", ""), ("outcome", "nonsense")):
        with pytest.raises(InvalidInput) as refused:
            record(office, alert, **{field: value})
        assert field in refused.value.fields
    assert not Correction.objects.exists()


# --- appeal and review ----------------------------------------------------------------------


def test_the_department_appeals_once_and_the_officers_of_its_tree_are_told(office):
    correction = record(office)
    for outsider in (office.staff.clerk, office.other_approver, office.county_officer):
        with pytest.raises(ActionForbidden):
            correction_appeal(correction=correction, by=outsider, reason="不服。", now=at(MONDAY))

    appealed_once = correction_appeal(
        correction=correction, by=office.staff.chief, reason="已书面说明理由。", now=at(MONDAY)
    )
    with pytest.raises(TransitionNotAllowed, match="cannot appeal again"):
        correction_appeal(
            correction=correction, by=office.staff.approver, reason="再次申诉。", now=at(MONDAY)
        )

    assert appealed_once.appealed_by == office.staff.chief
    told = set(
        Notification.objects.filter(template="correction_appealed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.county_officer.pk, office.city_officer.pk}


def test_a_correction_is_reviewed_only_after_an_appeal_and_once(office):
    correction = record(office)
    with pytest.raises(TransitionNotAllowed, match="has not appealed"):
        correction_review(
            correction=correction,
            by=office.county_officer,
            review=AppealReview.UPHELD,
            note="维持。",
            now=at(TUESDAY),
        )
    correction_appeal(
        correction=correction, by=office.staff.approver, reason="理由。", now=at(MONDAY)
    )
    with pytest.raises(ActionForbidden):
        correction_review(
            correction=correction,
            by=office.staff.approver,
            review=AppealReview.REVOKED,
            note="撤销。",
            now=at(TUESDAY),
        )
    with pytest.raises(InvalidInput):
        correction_review(
            correction=correction,
            by=office.county_officer,
            review="maybe",
            note="x",
            now=at(TUESDAY),
        )
    correction_review(
        correction=correction,
        by=office.county_officer,
        review=AppealReview.UPHELD,
        note="理由不成立，维持。",
        now=at(TUESDAY),
    )
    with pytest.raises(TransitionNotAllowed, match="reviewed already"):
        correction_review(
            correction=correction,
            by=office.city_officer,
            review=AppealReview.REVOKED,
            note="撤销。",
            now=at(TUESDAY),
        )


def test_a_revoked_card_leaves_the_statistics_and_is_resolved(office):
    correction = appealed(office)

    reviewed = correction_review(
        correction=correction,
        by=office.county_officer,
        review=AppealReview.REVOKED,
        note="申请人书面要求延期，超期不属部门责任。",
        now=at(TUESDAY),
    )

    alert = reviewed.alert
    alert.refresh_from_db()
    assert alert.revoked_on == TUESDAY
    assert alert.resolved_on == TUESDAY
    assert reviewed.review == AppealReview.REVOKED
    told = set(
        Notification.objects.filter(template="correction_reviewed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.staff.approver.pk, office.staff.chief.pk, office.department.head_id}
    # A revoked card takes no further correction.
    with pytest.raises(TransitionNotAllowed, match="revoked"):
        record(office, alert)


def test_an_upheld_correction_leaves_the_card_as_it_was(office):
    correction = appealed(office)

    correction_review(
        correction=correction,
        by=office.county_officer,
        review=AppealReview.UPHELD,
        note="维持原处理。",
        now=at(TUESDAY),
    )

    correction.alert.refresh_from_db()
    assert correction.alert.revoked_on is None
    assert correction.alert.resolved_on is None


def test_what_is_offered_is_what_is_allowed(office):
    correction = record(office)

    assert correction_actions(correction, office.staff.approver) == ["appeal"]
    assert correction_actions(correction, office.county_officer) == []
    correction = correction_appeal(
        correction=correction, by=office.staff.approver, reason="理由。", now=at(MONDAY)
    )
    assert correction_actions(correction, office.staff.approver) == []
    assert correction_actions(correction, office.city_officer) == ["review"]


# --- scope ----------------------------------------------------------------------------------


def test_a_county_officer_never_sees_the_citys_or_another_countys_corrections(office):
    mine = record(office)
    city_department = office.city.departments.create(code="CITY-D", name="市局")
    city_case = accepted_case(
        item_with_procedure(department=city_department),
        department_staff(city_department),
        now=at(MONDAY),
    )
    citys = record(office, card(city_case), by=office.city_officer)
    other_case = accepted_case(
        item_with_procedure(department=office.other_department),
        department_staff(office.other_department),
        now=at(MONDAY),
    )
    others = record(office, card(other_case), by=office.other_officer)

    assert list(corrections_visible_to(office.county_officer)) == [mine]
    assert set(corrections_visible_to(office.city_officer)) == {mine, citys, others}
    assert list(corrections_visible_to(office.staff.approver)) == [mine]
    pages, api = logged_in(office.county_officer), client_for(office.county_officer)
    for correction in (citys, others):
        assert pages.get(f"{PAGES}{correction.pk}/").status_code == 404
        assert api.get(f"{CORRECTIONS}{correction.pk}/").status_code == 404
        assert (
            pages.get(f"/staff/supervision/alerts/{correction.alert_id}/correct/").status_code
            == 404
        )
    assert [c["id"] for c in api.get(CORRECTIONS).json()["results"]] == [mine.pk]


# --- pages ----------------------------------------------------------------------------------


def test_the_officer_records_a_correction_from_the_card(office):
    alert = card(office.case())
    client = logged_in(office.county_officer)
    target = f"/staff/supervision/alerts/{alert.pk}/correct/"

    with time_machine.travel(at(MONDAY), tick=False):
        form = client.get(target)
        refused = client.post(
            target, {"outcome": "rectify", "responsible_person": "王五", "note": "超期。"}
        )
        done = client.post(
            target,
            {
                "outcome": "rectify",
                "responsible_person": "王五",
                "note": "超期。",
                "rectify_by": "2026-11-30",
            },
        )
        again = client.get(target)

    assert form.status_code == 200 and alert.case.number in form.content.decode()
    assert refused.status_code == 400
    assert "Give the date by which the department must rectify." in refused.content.decode()
    correction = Correction.objects.get()
    assert done.status_code == 302 and done.url == f"{PAGES}{correction.pk}/"
    assert again.status_code == 409
    assert f"{PAGES}{correction.pk}/" in again.content.decode()
    # Leaders and other staff do not record corrections.
    assert logged_in(office.staff.approver).get(target).status_code == 403
    assert logged_in(UserFactory()).get(target).status_code == 403


def test_the_leader_appeals_and_the_office_revokes_on_the_pages(office):
    correction = record(office)
    leader, officer = logged_in(office.staff.approver), logged_in(office.county_officer)

    detail = leader.get(f"{PAGES}{correction.pk}/").content.decode()
    assert "Appeal the correction" in detail and "Review the appeal" not in detail
    assert leader.post(f"{PAGES}{correction.pk}/appeal/", {"appeal-reason": ""}).status_code == 400
    assert (
        leader.post(
            f"{PAGES}{correction.pk}/appeal/", {"appeal-reason": "有书面说明。"}
        ).status_code
        == 302
    )
    assert (
        leader.post(f"{PAGES}{correction.pk}/appeal/", {"appeal-reason": "再诉。"}).status_code
        == 409
    )
    assert "Review the appeal" in officer.get(f"{PAGES}{correction.pk}/").content.decode()
    assert (
        leader.post(
            f"{PAGES}{correction.pk}/review/", {"review-review": "revoked", "review-note": "x"}
        ).status_code
        == 403
    )
    revoked = officer.post(
        f"{PAGES}{correction.pk}/review/",
        {"review-review": "revoked", "review-note": "不属部门责任。"},
    )

    assert revoked.status_code == 302
    correction.alert.refresh_from_db()
    assert correction.alert.revoked_on is not None
    listed = officer.get(PAGES, {"stage": "revoked"}).content.decode()
    assert "Revoked on appeal" in listed and "王五" in listed
    assert office.department.name in officer.get(PAGES, {"stage": "revoked"}).content.decode()
    assert "No correction matches." in officer.get(PAGES, {"stage": "appealed"}).content.decode()
    assert officer.get(PAGES, {"stage": "nonsense"}).status_code == 400
    assert logged_in(office.staff.clerk).get(PAGES).status_code == 403


def test_the_list_reads_a_constant_number_of_queries(office, django_assert_max_num_queries):
    client = logged_in(office.county_officer)
    for _ in range(3):
        record(office)
    with django_assert_max_num_queries(14):
        few = client.get(PAGES)
    for _ in range(10):
        record(office)
    with django_assert_max_num_queries(14):
        many = client.get(PAGES)
    assert len(few.context["page"].object_list) == 3
    assert len(many.context["page"].object_list) == 13


# --- the API --------------------------------------------------------------------------------


def test_the_api_records_appeals_and_reviews(office):
    alert = card(office.case(), rule=AlertRule.STEP_DUE)
    officer, leader = client_for(office.county_officer), client_for(office.staff.approver)

    created = officer.post(
        CORRECTIONS,
        {
            "alert": alert.pk,
            "outcome": "accountability",
            "responsible_person": "王五",
            "note": "环节超期。",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["stage"] == "recorded" and body["case_number"] == alert.case.number
    assert body["alert_rule"] == "step_due" and body["actions"] == []
    pk = body["id"]

    assert leader.get(f"{CORRECTIONS}{pk}/").json()["actions"] == ["appeal"]
    appeal = leader.post(f"{CORRECTIONS}{pk}/appeal/", {"reason": "有说明。"}, format="json")
    assert appeal.status_code == 200 and appeal.json()["stage"] == "appealed"
    again = leader.post(f"{CORRECTIONS}{pk}/appeal/", {"reason": "再诉。"}, format="json")
    assert again.status_code == 409 and "cannot appeal again" in again.json()["detail"]
    review = officer.post(
        f"{CORRECTIONS}{pk}/review/", {"review": "revoked", "note": "撤销。"}, format="json"
    )
    assert review.status_code == 200
    assert review.json()["stage"] == "revoked" and review.json()["alert_revoked_on"]

    listed = officer.get(CORRECTIONS, {"stage": "revoked", "alert": alert.pk}).json()
    assert [c["id"] for c in listed["results"]] == [pk]
    assert officer.get(CORRECTIONS, {"stage": "recorded"}).json()["results"] == []


def test_the_api_refuses_in_json(office):
    alert = card(office.case())
    officer, leader = client_for(office.county_officer), client_for(office.staff.approver)
    reminder = card(office.case(), level=AlertLevel.REMINDER)
    body = {"outcome": "reminder", "responsible_person": "王五", "note": "提醒。"}

    by_leader = leader.post(CORRECTIONS, {**body, "alert": alert.pk}, format="json")
    assert by_leader.status_code == 403 and "supervision officer" in by_leader.json()["detail"]
    on_reminder = officer.post(CORRECTIONS, {**body, "alert": reminder.pk}, format="json")
    assert on_reminder.status_code == 409
    unseen = client_for(office.other_officer).post(
        CORRECTIONS, {**body, "alert": alert.pk}, format="json"
    )
    assert unseen.status_code == 400 and "alert" in unseen.json()["fields"]
    blank = officer.post(CORRECTIONS, {**body, "alert": alert.pk, "note": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["fields"]["note"]
    correction = record(office, alert)
    review_first = officer.post(
        f"{CORRECTIONS}{correction.pk}/review/", {"review": "upheld", "note": "x"}, format="json"
    )
    assert review_first.status_code == 409
    clerk = client_for(office.staff.clerk)
    assert clerk.get(CORRECTIONS).status_code == 403
    assert clerk.get(CORRECTIONS).json()["detail"]
    assert APIClient().get(CORRECTIONS).status_code == 401
