"""Consultations (网上咨询): an applicant asks about an item from its guide, the item's department
answers in the workbench within a limit of working days, the applicant is told, and staff may
publish the question and answer to the item's FAQ, which the guide shows at once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from catalog.models import Role
from portal.consultations import (
    consultation_answer,
    consultation_ask,
    consultation_publish,
    consultation_unpublish,
)
from portal.models import ApplicantProfile, Consultation, ConsultationStatus
from tests.factories import ItemVersionFactory, UserFactory, staff_user
from tests.factories.calendar import CalendarDayFactory
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification, NotificationChannel

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE, OTHER_PHONE = "13800138000", "13900139000"
QUESTION = "我叫张三，身份证尾号002X。申请前是否需要先办营业执照？"
API = "/api/v1/me/consultations/"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def hall_applicant(phone: str = PHONE, *, email: str = "") -> UserFactory:
    user = UserFactory(username=phone, email=email)
    ApplicantProfile.objects.create(
        user=user, phone=phone, kind="natural", name="张三", id_number="11010519491231002X"
    )
    return user


@pytest.fixture(autouse=True)
def national_day_2026():
    # 国庆节 2026: 1, 2, 5, 6 and 7 October off on weekdays (3 and 4 are a weekend), Saturday
    # 10 October a make-up working day.
    for day in (1, 2, 5, 6, 7):
        CalendarDayFactory(date=date(2026, 10, day))
    CalendarDayFactory(date=date(2026, 10, 10), is_workday=True)


@pytest.fixture
def version():
    return ItemVersionFactory(name="食品经营许可")


@pytest.fixture
def clerk(version):
    return staff_user(Role.WINDOW_CLERK, department=version.department)


@pytest.fixture
def applicant():
    return hall_applicant(email="zhangsan@example.com")


def ask(applicant, version, *, now: datetime | None = None, question: str = QUESTION):
    return consultation_ask(
        applicant=applicant, item_code=version.item.code, question=question, now=now
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- asking --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked_on", "due_on"),
    [
        # An ordinary week: Monday → Thursday.
        (date(2026, 11, 16), date(2026, 11, 19)),
        # Wednesday before National Day: 8 and 9 October, then the make-up Saturday 10.
        (date(2026, 9, 30), date(2026, 10, 10)),
        # Asked on the holiday itself: the first working day after it is day 1.
        (date(2026, 10, 3), date(2026, 10, 10)),
        # Friday 9 October: the make-up Saturday counts, then Monday 12 and Tuesday 13.
        (date(2026, 10, 9), date(2026, 10, 13)),
    ],
)
def test_a_question_is_due_three_working_days_after_the_day_it_was_asked(
    applicant, version, asked_on, due_on
):
    consultation = ask(applicant, version, now=at(asked_on))

    assert consultation.due_on == due_on


def test_the_limit_is_configuration(settings, applicant, version):
    settings.CONSULTATION_ANSWER_WORKDAYS = 1

    consultation = ask(applicant, version, now=at(date(2026, 9, 30)))

    assert consultation.due_on == date(2026, 10, 8)


def test_asking_from_the_guide_routes_the_question_to_the_items_department(applicant, version):
    client = logged_in(applicant)
    guide = client.get(f"/items/{version.item.code}/").content.decode()
    assert f'href="/items/{version.item.code}/ask/"' in guide

    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        form = client.get(f"/items/{version.item.code}/ask/")
        response = client.post(f"/items/{version.item.code}/ask/", {"question": QUESTION})
        page = client.get(response.url).content.decode()

    assert form.status_code == 200
    assert 'for="id_question"' in form.content.decode()
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/my/consultations/{consultation.pk}/"
    assert consultation.applicant == applicant
    assert consultation.department == version.department
    assert consultation.item_version == version
    assert consultation.status == ConsultationStatus.OPEN
    assert QUESTION in page and "2026-10-10" in page


def test_an_empty_question_is_refused_with_the_error_summary_and_nothing_is_asked(
    applicant, version
):
    response = logged_in(applicant).post(f"/items/{version.item.code}/ask/", {"question": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_question"' in page
    assert "Write your question." in page
    assert not Consultation.objects.exists()


def test_a_question_about_an_item_that_is_not_published_is_a_404(applicant):
    draft = ItemVersionFactory(draft=True)

    response = logged_in(applicant).get(f"/items/{draft.item.code}/ask/")

    assert response.status_code == 404
    with pytest.raises(InvalidInput, match="No published item has this code"):
        ask(applicant, draft)


def test_an_anonymous_visitor_is_sent_to_the_hall_log_in(version):
    response = Client().get(f"/items/{version.item.code}/ask/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_an_account_without_applicant_particulars_cannot_ask(version, clerk):
    with pytest.raises(ActionForbidden):
        ask(UserFactory(), version)
    with pytest.raises(ActionForbidden):
        ask(clerk, version)


def test_asking_is_throttled_per_client_address(settings, version):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "consultation": "2/minute"}
    url = f"/items/{version.item.code}/ask/"
    first, second = logged_in(hall_applicant()), logged_in(hall_applicant(OTHER_PHONE))

    statuses = [
        first.post(url, {"question": QUESTION}, REMOTE_ADDR="203.0.113.5").status_code,
        second.post(url, {"question": QUESTION}, REMOTE_ADDR="203.0.113.5").status_code,
    ]
    refused = second.post(url, {"question": QUESTION}, REMOTE_ADDR="203.0.113.5")
    elsewhere = first.post(url, {"question": "另一个问题"}, REMOTE_ADDR="203.0.113.6")

    assert statuses == [302, 302]
    assert refused.status_code == 429
    assert "Too many requests from this address" in refused.content.decode()
    assert elsewhere.status_code == 302
    assert Consultation.objects.count() == 3


# --- the applicant's list and detail -------------------------------------------------------


def test_my_questions_lists_only_mine_newest_first(applicant, version):
    older = ask(applicant, version, now=at(date(2026, 11, 16)), question="第一个问题")
    newer = ask(applicant, version, now=at(date(2026, 11, 17)), question="第二个问题")
    someone_elses = ask(hall_applicant(OTHER_PHONE), version, question="别人的问题")

    page = logged_in(applicant).get("/my/consultations/").content.decode()

    assert f"/my/consultations/{newer.pk}/" in page and f"/my/consultations/{older.pk}/" in page
    assert page.index("第二个问题") < page.index("第一个问题")
    assert "别人的问题" not in page and f"/my/consultations/{someone_elses.pk}/" not in page


def test_another_applicant_gets_a_404_on_my_question_page_and_in_the_api(applicant, version):
    mine = ask(applicant, version)
    other = hall_applicant(OTHER_PHONE)
    api = APIClient()
    api.force_authenticate(other)

    assert logged_in(other).get(f"/my/consultations/{mine.pk}/").status_code == 404
    assert api.get(f"{API}{mine.pk}/").status_code == 404
    assert api.get(API).json()["results"] == []


# --- the workbench queue -------------------------------------------------------------------


def test_the_queue_shows_only_my_departments_open_questions_overdue_first(
    applicant, version, clerk
):
    other_department = ItemVersionFactory()
    on_time = ask(applicant, version, now=at(date(2026, 11, 16)), question="不急的问题")
    overdue = ask(applicant, version, now=at(date(2026, 11, 2)), question="超期的问题")
    answered = ask(applicant, version, now=at(date(2026, 11, 2)), question="已答复的问题")
    consultation_answer(consultation=answered, by=clerk, answer="已答复。")
    elsewhere = ask(applicant, other_department, question="别的部门的问题")

    with time_machine.travel(at(date(2026, 11, 17)), tick=False):
        page = logged_in(clerk).get("/staff/consultations/").content.decode()

    assert f"/staff/consultations/{on_time.pk}/" in page
    assert page.index(f"/staff/consultations/{overdue.pk}/") < page.index(
        f"/staff/consultations/{on_time.pk}/"
    )
    assert "overdue" in page
    assert f"/staff/consultations/{answered.pk}/" not in page
    assert f"/staff/consultations/{elsewhere.pk}/" not in page


def test_the_queue_is_in_the_window_staffs_navigation(clerk):
    page = logged_in(clerk).get("/staff/").content.decode()

    assert 'href="/staff/consultations/"' in page


def test_staff_of_another_department_get_a_404(applicant, version):
    consultation = ask(applicant, version)
    outsider = logged_in(staff_user(Role.WINDOW_CLERK))
    base = f"/staff/consultations/{consultation.pk}/"

    assert outsider.get(base).status_code == 404
    assert outsider.post(f"{base}answer/", {"answer-answer": "答复"}).status_code == 404
    assert (
        outsider.post(f"{base}publish/", {"faq-question": "问", "faq-answer": "答"}).status_code
        == 404
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN


def test_only_window_staff_of_the_department_may_answer(applicant, version):
    consultation = ask(applicant, version)
    handler = staff_user(Role.HANDLER, department=version.department)

    with pytest.raises(ActionForbidden):
        consultation_answer(consultation=consultation, by=handler, answer="答复")
    with pytest.raises(ActionForbidden):
        consultation_answer(
            consultation=consultation, by=staff_user(Role.WINDOW_CLERK), answer="答复"
        )


# --- answering -----------------------------------------------------------------------------


def test_answering_tells_the_applicant_by_sms_and_e_mail(applicant, version, clerk):
    consultation = ask(applicant, version, now=at(date(2026, 11, 16)))
    client = logged_in(clerk)

    with time_machine.travel(at(date(2026, 11, 17)), tick=False):
        response = client.post(
            f"/staff/consultations/{consultation.pk}/answer/",
            {"answer-answer": "需要先取得营业执照。"},
        )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.answered_by == clerk
    assert consultation.answered_on == date(2026, 11, 17)
    assert not consultation.answered_late
    sent = Notification.objects.filter(template="consultation_answered")
    assert {(n.channel, n.address, n.recipient_id) for n in sent} == {
        (NotificationChannel.SMS, PHONE, applicant.pk),
        (NotificationChannel.EMAIL, "zhangsan@example.com", applicant.pk),
    }
    assert sent[0].payload["item"] == "食品经营许可"
    assert sent[0].payload["asked_on"] == "2026-11-16"
    page = logged_in(applicant).get(f"/my/consultations/{consultation.pk}/").content.decode()
    assert "需要先取得营业执照。" in page


def test_answering_twice_is_refused(applicant, version, clerk):
    consultation = ask(applicant, version)
    consultation_answer(consultation=consultation, by=clerk, answer="第一次答复")
    colleague = staff_user(Role.CHIEF_REPRESENTATIVE, department=version.department)

    with pytest.raises(TransitionNotAllowed, match="already been answered"):
        consultation_answer(consultation=consultation.pk, by=colleague, answer="第二次答复")
    response = logged_in(colleague).post(
        f"/staff/consultations/{consultation.pk}/answer/", {"answer-answer": "第二次答复"}
    )

    assert response.status_code == 409
    assert "This question has already been answered." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.answer == "第一次答复" and consultation.answered_by == clerk
    assert Notification.objects.filter(template="consultation_answered").count() == 2


def test_an_empty_answer_is_refused_and_nothing_changes(applicant, version, clerk):
    consultation = ask(applicant, version)

    response = logged_in(clerk).post(
        f"/staff/consultations/{consultation.pk}/answer/", {"answer-answer": ""}
    )

    assert response.status_code == 400
    assert "Write the answer." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    assert not Notification.objects.exists()


def test_an_answer_after_the_due_date_is_recorded_as_late(applicant, version, clerk):
    consultation = ask(applicant, version, now=at(date(2026, 9, 30)))

    consultation_answer(
        consultation=consultation, by=clerk, answer="答复", now=at(date(2026, 10, 12))
    )

    consultation.refresh_from_db()
    assert consultation.answered_late
    assert list(Consultation.objects.answered_late()) == [consultation]


# --- the FAQ -------------------------------------------------------------------------------


def test_publishing_shows_on_the_guide_at_once_and_unpublishing_removes_it(
    applicant, version, clerk, django_capture_on_commit_callbacks
):
    consultation = ask(applicant, version)
    consultation_answer(consultation=consultation, by=clerk, answer="需要先取得营业执照。")
    guide = f"/items/{version.item.code}/"
    before = Client().get(guide).content.decode()  # now cached
    staff = logged_in(clerk)
    form = staff.get(f"/staff/consultations/{consultation.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/staff/consultations/{consultation.pk}/publish/",
            {"faq-question": "申请前是否需要先办营业执照？", "faq-answer": "需要先取得营业执照。"},
        )
    after = Client().get(guide).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/staff/consultations/{consultation.pk}/unpublish/")
    removed = Client().get(guide).content.decode()

    assert QUESTION in form  # the staff member starts from the question as asked
    assert "申请前是否需要先办营业执照？" not in before
    assert response.status_code == 302
    assert "申请前是否需要先办营业执照？" in after and "需要先取得营业执照。" in after
    assert "002X" not in after and "张三" not in after
    assert "申请前是否需要先办营业执照？" not in removed


def test_only_an_answered_question_is_published(applicant, version, clerk):
    consultation = ask(applicant, version)

    with pytest.raises(TransitionNotAllowed):
        consultation_publish(consultation=consultation, by=clerk, question="问", answer="答")
    with pytest.raises(TransitionNotAllowed):
        consultation_unpublish(consultation=consultation, by=clerk)


# --- the API -------------------------------------------------------------------------------


def test_the_api_asks_lists_and_reads_my_questions(applicant, version):
    api = APIClient()
    api.force_authenticate(applicant)

    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        created = api.post(API, {"item_code": version.item.code, "question": QUESTION})
    listed = api.get(API)
    one = api.get(f"{API}{created.json()['id']}/")

    assert created.status_code == 201
    body = created.json()
    assert body["due_on"] == "2026-10-10"
    assert body["status"] == "open" and body["answer"] == ""
    assert body["department"]["code"] == version.department.code
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert one.json()["question"] == QUESTION


def test_the_api_refuses_an_unknown_item_on_its_field(applicant):
    api = APIClient()
    api.force_authenticate(applicant)

    response = api.post(API, {"item_code": "NO-SUCH-ITEM", "question": QUESTION})

    assert response.status_code == 400
    assert response.json()["fields"] == {"item_code": ["No published item has this code."]}


def test_the_api_needs_a_log_in(version):
    assert APIClient().get(API).status_code == 401
    assert APIClient().post(API, {"item_code": version.item.code}).status_code == 401


def test_the_api_throttles_asking(settings, applicant, version):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "consultation": "1/minute"}
    api = APIClient()
    api.force_authenticate(applicant)
    data = {"item_code": version.item.code, "question": QUESTION}

    assert api.post(API, data).status_code == 201
    assert api.post(API, data).status_code == 429
    assert api.get(API).status_code == 200


def test_the_window_clerks_start_page_counts_the_questions_to_answer_and_late_ones(client):
    from datetime import timedelta

    from tests.factories.workflow import ID_NUMBER, item_with_procedure
    from workflow.calendar import shanghai_today

    version = item_with_procedure()
    clerk = staff_user(Role.WINDOW_CLERK, department=version.department)
    applicant = UserFactory()
    ApplicantProfile.objects.create(
        user=applicant, kind="natural", name="王五", phone="13700137001", id_number=ID_NUMBER
    )
    on_time = consultation_ask(
        applicant=applicant, item_code=version.item.code, question="要带原件吗？"
    )
    late = consultation_ask(applicant=applicant, item_code=version.item.code, question="多久办好？")
    Consultation.objects.filter(pk=late.pk).update(due_on=shanghai_today() - timedelta(days=3))
    assert on_time.pk != late.pk
    client.force_login(clerk)

    page = client.get("/staff/").content.decode()

    assert 'id="panel-consultations"' in page
    assert 'id="count-consultations">2<' in page
    assert 'id="count-consultations-overdue">1<' in page
    client.force_login(staff_user(Role.HANDLER, department=version.department))
    assert 'id="panel-consultations"' not in client.get("/staff/").content.decode()
