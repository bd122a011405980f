"""The timeline is the audit trail: neither the ORM nor raw SQL can change or delete it, and no
deletion of a case, a step or an account takes its events along.

The raw SQL is refused by the triggers of workflow/migrations/0007_case_event_append_only.py,
which exist on PostgreSQL only; the deletions through the ORM are refused on every database.
"""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from tests.factories.workflow import at, department_staff
from tests.factories.workflow_states import case_in_state, procedure_item
from workflow.models import Case, CaseEvent, CaseStatus, StepRun

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 11, 16))


def postgres_only(test):
    test = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the triggers that guard the timeline exist on PostgreSQL only",
    )(test)
    return pytest.mark.postgres(test)


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    """Accepted, its first step done: events by the applicant and by staff, on steps."""
    return case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)


def timeline(case: Case) -> list[tuple]:
    return list(
        CaseEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("id", "action", "actor_id", "step_id", "reason", "data")
    )


def raw(sql: str, params=()) -> None:
    # In a savepoint of its own: a refused statement aborts the transaction it runs in.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def check_pending_constraints() -> None:
    # The test's transaction holds the deferred foreign-key checks of the rows it made, and
    # PostgreSQL truncates no table with such checks pending: run them now.
    raw("SET CONSTRAINTS ALL IMMEDIATE")


# --- raw SQL, on PostgreSQL -----------------------------------------------------------------


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflow_caseevent SET reason = 'x'",
        "UPDATE workflow_caseevent SET data = '{}' WHERE case_id = %s",
        "DELETE FROM workflow_caseevent",
        "DELETE FROM workflow_caseevent WHERE case_id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_event(sql, case):
    before = timeline(case)
    assert len(before) >= 4

    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql, [case.pk] if "%s" in sql else ())

    assert timeline(case) == before


@postgres_only
def test_the_database_refuses_to_truncate_the_timeline(case):
    before = timeline(case)
    check_pending_constraints()

    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        # The test connections may flush (tests/conftest.py); a session that did not ask may not.
        raw("SET LOCAL approval_center.flush_case_events = 'off'; TRUNCATE workflow_caseevent")

    assert timeline(case) == before


@postgres_only
def test_the_owner_may_truncate_when_it_asks_as_the_test_flush_does(case):
    class RolledBack(Exception):
        pass

    check_pending_constraints()
    with pytest.raises(RolledBack), transaction.atomic():
        raw("TRUNCATE workflow_caseevent")
        assert not CaseEvent.objects.exists()
        raise RolledBack

    assert len(timeline(case)) >= 4


@postgres_only
def test_the_database_refuses_to_delete_a_case_that_has_a_timeline(case):
    before = timeline(case)
    check_pending_constraints()

    with pytest.raises(IntegrityError):
        raw("DELETE FROM workflow_case WHERE id = %s", [case.pk])

    assert timeline(case) == before


# --- deletions through the ORM, on every database -------------------------------------------


def test_deleting_a_case_is_refused_and_its_events_remain(case):
    before = timeline(case)

    # Its steps would go with it (StepRun.case cascades), but events point at the case and at
    # the steps with PROTECT.
    with pytest.raises(ProtectedError):
        case.delete()

    assert Case.objects.filter(pk=case.pk).exists()
    assert timeline(case) == before


def test_deleting_a_step_that_events_name_is_refused(case):
    step = StepRun.objects.filter(case=case, pk__in=case.events.values("step")).first()
    before = timeline(case)

    with pytest.raises(ProtectedError):
        step.delete()

    assert timeline(case) == before


def test_deleting_the_applicant_account_is_refused_and_the_events_remain(case):
    before = timeline(case)

    with pytest.raises(ProtectedError):
        case.applicant.delete()

    assert timeline(case) == before


def test_deleting_a_staff_account_that_acted_is_refused_and_the_events_remain(case, staff):
    before = timeline(case)
    assert case.events.filter(actor=staff.clerk).exists()

    with pytest.raises(ProtectedError):
        staff.clerk.delete()

    assert timeline(case) == before


def test_no_relation_of_an_event_lets_a_deletion_take_it_along():
    # A new foreign key on CaseEvent must not cascade or null out the trail either.
    on_delete = {
        field.name: field.remote_field.on_delete.__name__
        for field in CaseEvent._meta.get_fields()
        if field.many_to_one
    }

    assert on_delete == {"case": "PROTECT", "actor": "PROTECT", "step": "PROTECT"}


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflow_jointcaseevent SET action = 'x'",
        "DELETE FROM workflow_jointcaseevent",
    ],
)
def test_the_database_refuses_to_change_a_joint_case_timeline(sql):
    from django.db import DatabaseError

    from tests.factories.workflow import joint_case_taken_in, joint_item_of_two
    from workflow.models import JointCaseEvent

    joint_item, lead_item, other_item = joint_item_of_two()
    lead = department_staff(lead_item.department)
    joint = joint_case_taken_in(joint_item, lead_item, other_item, by=lead.clerk, now=NOW)
    before = list(JointCaseEvent.objects.filter(joint_case=joint).values_list("id", "action"))

    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql)

    assert (
        list(JointCaseEvent.objects.filter(joint_case=joint).values_list("id", "action")) == before
    )
