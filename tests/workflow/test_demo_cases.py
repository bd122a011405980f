"""The demo city's cases: every state and every queue of the workbench has something in it, for
varied people and companies, nothing is dated after the load, and loading is repeatable."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import override_settings

from catalog.demo import DEMO_PASSWORD, demo_city_load
from catalog.models import ApplicantType, Department
from workflow.calendar import load_work_calendar
from workflow.deadlines import workdays_between
from workflow.demo import APPLICANT_USERNAME, demo_cases_load
from workflow.demo.applicants import HENGDA
from workflow.filters import due_soon, overdue
from workflow.identifiers import validate_credit_code, validate_resident_id
from workflow.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Decision,
    Extension,
    ExtensionStatus,
    JointCase,
)
from workflow.selectors import (
    case_counts_for_staff,
    cases_for_applicant,
    cases_for_staff,
    extensions_awaiting_decision,
    fees_unrecorded,
    open_steps_for_staff,
    steps_claimed_by,
)
from workflow.services import case_recompute_due_dates

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday, before the office opens: today's acceptances and requests must fit before 07:30.
LOAD_AT = datetime(2026, 6, 3, 7, 30, tzinfo=SHANGHAI)
TODAY = LOAD_AT.date()
DEMO_DEPARTMENTS = ("SCJ", "ZJJ", "ZGJ")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Moments the notification outbox books ahead (when to try again): schedules, not events.
SCHEDULES = {("Notification", "next_attempt_at")}


def _load_cases() -> int:
    with time_machine.travel(LOAD_AT, tick=False):
        return demo_cases_load(password=DEMO_PASSWORD)


def _fingerprint() -> list[tuple]:
    """What a load made, without ids or the random query codes."""
    cases = Case.objects.order_by("created_at", "id").values_list(
        "department__code",
        "item_version__item__code",
        "applicant_name",
        "id_number",
        "credit_code",
        "agent_name",
        "status",
        "channel",
        "green_channel",
        "number",
        "received_on",
        "accepted_on",
        "due_on",
        "decided_on",
        "decision",
        "licence_number",
        "delivered_on",
    )
    events = CaseEvent.objects.order_by("at", "id").values_list(
        "case__number", "case__applicant_name", "action", "at", "to_status"
    )
    return [*cases, *events]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # Loaded once for the module, in a transaction rolled back after its last test. The cases
    # are loaded twice, the first load rolled back, to see that the same day gives the same
    # cases; the second is what the tests read.
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        demo_city_load(password=DEMO_PASSWORD)
        first = transaction.savepoint()
        _load_cases()
        earlier = _fingerprint()
        transaction.savepoint_rollback(first)
        created = _load_cases()
        yield {"created": created, "earlier": earlier}
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def loaded(demo, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return demo


def user(username):
    return get_user_model().objects.get(username=username)


def test_a_few_hundred_cases_in_every_status(loaded):
    statuses = Counter(Case.objects.values_list("status", flat=True))

    assert loaded["created"] == Case.objects.count()
    assert 250 <= Case.objects.count() <= 400
    assert set(statuses) == set(CaseStatus.values)


def test_no_moment_of_the_demo_is_after_the_load(loaded):
    # Every timestamp column of every workflow model, and every date that records something
    # that happened (not a due date or a licence's validity), is at or before the load.
    checked = 0
    for model in apps.get_app_config("workflow").get_models():
        if model._meta.model_name in ("calendaryear", "calendarday"):
            continue  # the holiday schedule, not the demo's
        for field in model._meta.concrete_fields:
            if (model.__name__, field.name) in SCHEDULES:
                continue
            if isinstance(field, models.DateTimeField):
                limit = LOAD_AT
            elif isinstance(field, models.DateField):
                if field.name.endswith("due_on") or field.name == "valid_until":
                    continue
                limit = TODAY
            else:
                continue
            latest = model.objects.aggregate(latest=models.Max(field.name))["latest"]
            assert latest is None or latest <= limit, (model.__name__, field.name, latest)
            checked += 1
    assert checked > 20


def test_the_clock_stands_everywhere_it_can(loaded):
    calendar = load_work_calendar()
    late_by = {
        workdays_between(case.due_on, TODAY, calendar=calendar)
        for case in Case.objects.filter(overdue(TODAY))
    }
    soon = Case.objects.filter(due_soon(TODAY, calendar))

    assert {1, 3} <= late_by and max(late_by) >= 8
    assert soon.filter(due_on=TODAY).exists() and soon.exclude(due_on=TODAY).exists()
    assert Case.objects.filter(suspended_since__isnull=False).exists()  # Art. 45
    assert Case.objects.filter(suspensions__ended_on__isnull=False).exists()
    extensions = set(Extension.objects.values_list("status", flat=True))
    assert {ExtensionStatus.APPROVED, ExtensionStatus.REQUESTED} <= extensions  # Art. 42
    assert Case.objects.filter(intake_late=True).exists()  # Art. 32
    late_prereview = Case.objects.filter(
        status=CaseStatus.SUBMITTED, submissions__intake_due_on__lt=TODAY
    )
    assert late_prereview.exists()
    decisions = CaseEvent.objects.filter(action="decide")
    assert decisions.filter(data__late=True).exists()
    assert decisions.filter(data__late=False).exists()
    assert set(Case.objects.exclude(decision="").values_list("decision", flat=True)) == {
        Decision.APPROVED,
        Decision.DENIED,
    }
    assert Case.objects.filter(green_channel=True).exists()
    assert Case.objects.filter(is_immediate=True, status=CaseStatus.COMPLETED).exists()
    assert JointCase.objects.count() >= 2
    assert len(set(JointCase.objects.values_list("status", flat=True))) >= 2


def test_applicants_are_many_people_and_companies_with_valid_numbers(loaded):
    names = Counter(Case.objects.values_list("applicant_name", flat=True))

    assert len(names) >= 80
    assert names.most_common(1)[0][1] <= 15
    assert names["张三"] < Case.objects.count() // 10
    people = Case.objects.filter(applicant_kind=ApplicantType.NATURAL)
    companies = Case.objects.filter(applicant_kind=ApplicantType.LEGAL)
    assert people.count() >= 40 and companies.count() >= 40
    for number in people.values_list("id_number", flat=True):
        validate_resident_id(number)
    for code, agent, agent_number in companies.values_list(
        "credit_code", "agent_name", "agent_id_number"
    ):
        validate_credit_code(code)
        validate_resident_id(agent_number)
        assert agent


def test_each_demo_department_gives_every_role_something_to_do(loaded):
    calendar = load_work_calendar()
    for code in DEMO_DEPARTMENTS:
        department = Department.objects.get(code=code)
        assert Case.objects.filter(department=department).count() >= 80, code
        clerk = user(f"{code.lower()}_clerk")
        cases = cases_for_staff(clerk).filter(department=department)
        assert cases.filter(status=CaseStatus.SUBMITTED).count() >= 5, code  # pre-review
        assert cases.filter(status=CaseStatus.DECIDED).exists(), code  # to deliver
        for role in ("handler", "reviewer", "approver"):
            staff = user(f"{code.lower()}_{role}")
            assert steps_claimed_by(staff).exists(), (code, role)
            queue = open_steps_for_staff(staff).filter(assignee=None, case__department=department)
            assert queue.exists(), (code, role)
        approver = user(f"{code.lower()}_approver")
        assert extensions_awaiting_decision(approver).exists(), code
    fee_clerk = user("fee_clerk")
    to_record = cases_for_staff(fee_clerk).filter(
        status=CaseStatus.DECIDED, decision=Decision.APPROVED
    )
    assert any(fees_unrecorded(case) for case in to_record)
    counts = case_counts_for_staff(user("supervisor"), today=TODAY, calendar=calendar)
    assert counts["overdue"] >= 20 and counts["due_soon"] > 0 and counts["prereview"] > 0


def test_the_demo_applicant_has_cases_of_his_own(loaded):
    zhang_san = user(APPLICANT_USERNAME)

    assert zhang_san.check_password(DEMO_PASSWORD)
    assert cases_for_applicant(zhang_san).exists()


@pytest.mark.parametrize("username", [APPLICANT_USERNAME, HENGDA.phone])
def test_each_hall_account_meets_every_state_an_applicant_meets(loaded, username):
    cases = list(cases_for_applicant(user(username)))
    statuses = {case.status for case in cases}

    assert {
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.NEEDS_SUPPLEMENT,
        CaseStatus.IN_PROGRESS,
        CaseStatus.DECIDED,
        CaseStatus.COMPLETED,
    } <= statuses
    assert any(case.suspended_since is not None for case in cases)
    # Each case of the company is the company's, applied for by its agent.
    if username == HENGDA.phone:
        assert {case.applicant_kind for case in cases} == {ApplicantType.LEGAL}
        assert {case.credit_code for case in cases} == {HENGDA.credit_code}


def test_every_due_date_is_the_one_the_rules_derive(loaded):
    for case in Case.objects.exclude(accepted_on=None):
        dates = case_recompute_due_dates(case)
        assert (dates.due_on, dates.statutory_due_on) == (case.due_on, case.statutory_due_on)


def test_the_same_day_gives_the_same_cases(loaded):
    assert _fingerprint() == loaded["earlier"]


def test_loading_again_adds_nothing_and_changes_nothing(loaded):
    workflow_models = [
        m
        for m in apps.get_app_config("workflow").get_models()
        if m._meta.model_name != "numbersequence"
    ]
    before = {m._meta.label: m.objects.count() for m in workflow_models}
    users = get_user_model().objects.count()
    fingerprint = _fingerprint()

    assert _load_cases() == 0

    assert {m._meta.label: m.objects.count() for m in workflow_models} == before
    assert get_user_model().objects.count() == users
    assert _fingerprint() == fingerprint


def test_each_case_is_dated_by_its_first_event_not_by_the_load(loaded):
    # The hall's "my cases" and the staff lists sort by creation: the demo's order, not the load's.
    for case in Case.objects.prefetch_related("events"):
        assert case.created_at == min(event.at for event in case.events.all()), case
