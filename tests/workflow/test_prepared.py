"""The reads every action makes, compiled once (workflow.prepared), answer exactly what their
querysets answer, on SQLite and on PostgreSQL, where they are prepared once per session."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from catalog.models import Role
from tests.factories.workflow import (
    accepted_case,
    at,
    decided_case,
    department_staff,
    draft_case,
    submitted_case,
)
from tests.factories.workflow_states import procedure_item
from workflow import services
from workflow.notifications import ROLE_ADDRESSES
from workflow.permissions import (
    CASE_FEE_RECORDS,
    CASE_FILES,
    CASE_OPEN_ROUNDS,
    CASE_STEPS,
    Situation,
)
from workflow.services.transition import CASE_LOCK

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    return accepted_case(version, staff, now=at(MONDAY))


def fields(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def test_the_lock_reads_the_case_its_department_center_and_applicant_as_the_queryset_does(
    case,
):
    with transaction.atomic():
        (locked,) = CASE_LOCK.run(case=case.pk)
        (expected,) = CASE_LOCK.queryset(case=case.pk)

    assert fields(locked) == fields(expected)
    with CaptureQueriesContext(connection) as queries:
        assert locked.department.name == expected.department.name
        assert locked.department.center.code == expected.department.center.code
        assert locked.applicant.email == expected.applicant.email
    assert len(queries) == 0  # read along with the row


def test_the_lock_of_an_unknown_case_finds_nothing(case):
    with transaction.atomic():
        assert CASE_LOCK.run(case=case.pk + 1000) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lock_is_refused_outside_a_transaction(case):
    with pytest.raises(TransactionManagementError):
        CASE_LOCK.run(case=case.pk)


def test_the_steps_are_those_of_the_case_in_order(case, version, staff):
    other = accepted_case(version, staff, now=at(MONDAY))

    steps = CASE_STEPS.run(case=case.pk)

    assert [fields(s) for s in steps] == [fields(s) for s in case.steps.all()]
    assert {s.case_id for s in steps} == {case.pk}
    assert other.pk not in {s.case_id for s in steps}


def test_the_files_say_which_round_is_still_being_prepared(version, staff):
    sent = submitted_case(version, now=at(MONDAY))
    draft = draft_case(version, now=at(MONDAY))

    sent_files = CASE_FILES.run(case=sent.pk)
    draft_files = CASE_FILES.run(case=draft.pk)

    assert sorted(sent_files) == sorted(CASE_FILES.queryset(case=sent.pk))
    assert sent_files and all(submitted is not None for _m, submitted in sent_files)
    assert draft_files and all(submitted is None for _m, submitted in draft_files)


def test_the_open_round_is_the_one_not_sent_in_yet(version):
    draft = draft_case(version, now=at(MONDAY))
    (round_,) = CASE_OPEN_ROUNDS.run(case=draft.pk)
    assert (round_.round, round_.submitted_at) == (1, None)

    services.case_submit(case=draft, by=draft.applicant, now=at(MONDAY))

    assert CASE_OPEN_ROUNDS.run(case=draft.pk) == []


def test_two_cases_of_one_item_each_know_their_own_materials(version, staff):
    """The item's materials are read once per process; each case gets its own copies."""
    sent = submitted_case(version, now=at(MONDAY))
    empty = services.case_create(
        version=version,
        by=sent.applicant,
        channel=sent.channel,
        applicant_kind=sent.applicant_kind,
        applicant_name=sent.applicant_name,
        id_number=sent.id_number,
        contact_phone=sent.contact_phone,
        now=at(MONDAY),
    )

    supplied = {m.pk for m in Situation(sent, staff.clerk).materials if m.supplied}
    none = {m.pk for m in Situation(empty, staff.clerk).materials if m.supplied}
    again = {m.pk for m in Situation(sent, staff.clerk).materials if m.supplied}

    assert supplied and none == set() and again == supplied


def test_the_fee_records_are_the_names_recorded(version, staff):
    fee = version.fees.first()
    assert fee is not None
    case = decided_case(version, staff, now=at(MONDAY))
    assert CASE_FEE_RECORDS.run(case=case.pk) == []
    services.fee_record(
        case=case, by=staff.fee_clerk, fee_name=fee.name, amount=fee.amount, receipt_number="R1"
    )
    assert CASE_FEE_RECORDS.run(case=case.pk) == [fee.name]


def test_the_addresses_of_a_role_are_its_active_holders_with_e_mail(version, staff):
    department = version.department
    staff.reviewer.email = "reviewer@example.cn"
    staff.reviewer.save()
    staff.handler.email = ""
    staff.handler.save()

    found = ROLE_ADDRESSES.run(department=department.pk, role=Role.REVIEWER)

    assert found == list(ROLE_ADDRESSES.queryset(department=department.pk, role=Role.REVIEWER))
    assert found == [(staff.reviewer.pk, staff.reviewer.email)]
    assert ROLE_ADDRESSES.run(department=department.pk, role=Role.HANDLER) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side statements")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_read_is_prepared_once_per_session_and_again_after_a_reconnect(case):
    with CaptureQueriesContext(connection) as queries:
        CASE_STEPS.run(case=case.pk)
    assert queries[0]["sql"].startswith("EXECUTE approval_")

    # A new session knows no prepared statement: the read prepares it again.
    connection.close()
    connection.connect()
    assert [s.pk for s in CASE_STEPS.run(case=case.pk)] == [s.pk for s in case.steps.all()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side statements")
def test_with_prepared_statements_off_the_plain_sql_is_sent(case, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False

    with CaptureQueriesContext(connection) as queries:
        steps = CASE_STEPS.run(case=case.pk)

    assert queries[0]["sql"].startswith("SELECT")
    assert [s.pk for s in steps] == [s.pk for s in case.steps.all()]
