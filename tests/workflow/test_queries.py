"""The due-date querysets: overdue and due within n working days, for cases, steps and intake.

A suspended case (Art. 45) is neither overdue nor due: its clock is stopped. A submitted round
is overdue for intake only while it still awaits the window's answer (Art. 32).
"""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps

from tests.factories.workflow import accepted_case, at, department_staff, submitted_case
from tests.factories.workflow_states import SUPPLEMENTED_MATERIAL, open_step, procedure_item
from workflow import services
from workflow.deadlines import WorkCalendar, add_workdays
from workflow.models import Case, SpecialProcedure, StepRun, Submission

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
WEEKDAYS = WorkCalendar.weekdays_only()


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    return accepted_case(version, staff, now=at(MONDAY))


def suspend(case, staff):
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure=SpecialProcedure.EXPERT_REVIEW,
        reason="专家评审",
        expected_days=5,
        now=at(MONDAY),
    )


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- cases ----------------------------------------------------------------------------------


def test_a_case_is_overdue_from_the_day_after_its_due_date(case):
    assert case.pk not in ids(Case.objects.overdue(on=case.due_on))
    assert case.pk in ids(Case.objects.overdue(on=case.due_on + timedelta(days=1)))


@pytest.mark.parametrize(
    ("workdays_before", "within"),
    [
        (0, True),  # due today
        (2, True),  # the last of the two working days
        (3, False),  # one working day too far
    ],
)
def test_a_case_is_due_within_n_working_days(case, workdays_before, within):
    on = case.due_on
    for _n in range(workdays_before):
        on -= timedelta(days=1)
        while not WEEKDAYS.is_workday(on):
            on -= timedelta(days=1)

    found = case.pk in ids(Case.objects.due_within(2, on=on, calendar=WEEKDAYS))

    assert found is within
    assert add_workdays(on, workdays_before, calendar=WEEKDAYS) == case.due_on


def test_a_case_past_its_due_date_is_not_due_within(case):
    assert case.pk not in ids(
        Case.objects.due_within(2, on=case.due_on + timedelta(days=1), calendar=WEEKDAYS)
    )


def test_due_within_loads_the_stored_calendar_when_none_is_given(case):
    assert case.pk in ids(Case.objects.due_within(0, on=case.due_on))


def test_a_suspended_case_is_neither_overdue_nor_due(case, staff):
    suspend(case, staff)

    assert case.pk not in ids(Case.objects.overdue(on=case.due_on + timedelta(days=30)))
    assert case.pk not in ids(Case.objects.due_within(2, on=case.due_on, calendar=WEEKDAYS))


def test_a_case_before_acceptance_is_never_overdue(version):
    submitted = submitted_case(version, now=at(MONDAY))

    assert submitted.pk not in ids(Case.objects.overdue(on=MONDAY + timedelta(days=365)))


# --- steps ----------------------------------------------------------------------------------


def test_an_open_step_is_overdue_from_the_day_after_its_due_date(case):
    step = open_step(case)

    assert step.pk not in ids(StepRun.objects.overdue(on=step.due_on))
    assert step.pk in ids(StepRun.objects.overdue(on=step.due_on + timedelta(days=1)))


def test_an_open_step_is_due_within_n_working_days(case):
    step = open_step(case)

    assert step.pk in ids(StepRun.objects.due_within(0, on=step.due_on, calendar=WEEKDAYS))
    assert step.pk not in ids(
        StepRun.objects.due_within(2, on=step.due_on + timedelta(days=1), calendar=WEEKDAYS)
    )


def test_waiting_steps_are_never_overdue(case):
    late = ids(StepRun.objects.overdue(on=MONDAY + timedelta(days=365)))

    assert late == {open_step(case).pk}


def test_the_steps_of_a_suspended_case_are_neither_overdue_nor_due(case, staff):
    step = open_step(case)
    suspend(case, staff)

    assert step.pk not in ids(StepRun.objects.overdue(on=step.due_on + timedelta(days=30)))
    assert step.pk not in ids(StepRun.objects.due_within(2, on=step.due_on, calendar=WEEKDAYS))


# --- intake ---------------------------------------------------------------------------------


def submitted_round(version) -> Submission:
    """A submitted first round with its intake due date (Art. 32: 5 working days)."""
    case = submitted_case(version, now=at(MONDAY))
    submission = case.submissions.get(round=1)
    submission.intake_due_on = add_workdays(submission.received_on, 5, calendar=WEEKDAYS)
    submission.save(update_fields=["intake_due_on"])
    return submission


def test_a_submitted_round_is_intake_overdue_after_its_intake_due_date(version):
    submission = submitted_round(version)

    assert submission.pk not in ids(Submission.objects.intake_overdue(on=submission.intake_due_on))
    assert submission.pk in ids(
        Submission.objects.intake_overdue(on=submission.intake_due_on + timedelta(days=1))
    )


def test_an_answered_round_is_not_intake_overdue(version, staff):
    supplemented, accepted = submitted_round(version), submitted_round(version)
    material = version.materials.get(name=SUPPLEMENTED_MATERIAL)
    services.case_request_supplement(
        case=supplemented.case,
        by=staff.clerk,
        items=[{"material": material.pk, "reason": "已过有效期"}],
        now=at(MONDAY),
    )
    services.case_accept(
        case=accepted.case, by=staff.clerk, now=at(MONDAY), deferred_due_on=date(2100, 1, 1)
    )

    late = ids(Submission.objects.intake_overdue(on=MONDAY + timedelta(days=30)))

    assert late.isdisjoint({supplemented.pk, accepted.pk})


def test_the_migration_gives_submitted_rounds_their_intake_due_date(version):
    submission = submitted_round(version)
    Submission.objects.filter(pk=submission.pk).update(intake_due_on=None)
    migration = importlib.import_module("workflow.migrations.0009_read_indexes")

    migration.backfill_intake_due_on(apps, None)

    submission.refresh_from_db()
    assert submission.intake_due_on == add_workdays(submission.received_on, 5, calendar=WEEKDAYS)
