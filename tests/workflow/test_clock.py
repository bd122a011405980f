"""The case clock on the real holiday schedules: every due date below was counted by hand.

The comments count the working days after the day that starts the period (Art. 82: that day
is not counted). Holidays are those of the State Council notices as the ``chinese_calendar``
package has them, loaded into the calendar tables the way production loads them.
"""

from datetime import date

import pytest

from catalog.models import Role
from tests.factories.workflow import (
    at,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.calendar import calendar_load_from_chinese_calendar, load_work_calendar
from workflow.models import Decision, DeliveryMethod, ExtensionStatus, NoticeKind, StepStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _official_calendar():
    years = calendar_load_from_chinese_calendar()
    assert {2025, 2026} <= set(years)
    assert 2027 not in years


def _item(*, promised: int, statutory: int, first_step: int = 2):
    return item_with_procedure(
        promised_limit=promised,
        statutory_limit=statutory,
        steps=(
            ("承办", Role.HANDLER, first_step),
            ("审核", Role.REVIEWER, 1),
            ("审批", Role.APPROVER, 1),
        ),
        materials=(("申请书", False),),
        extension_allowed=True,
        suspension_allowed=True,
    )


def _accept(version, staff, day: date):
    case = submitted_case(version, now=at(day))
    services.case_accept(case=case, by=staff.clerk, now=at(day))
    case.refresh_from_db()
    return case


def _open_step(case):
    return case.steps.get(status=StepStatus.OPEN)


def assert_recomputed_from_events(case) -> None:
    case.refresh_from_db()
    recomputed = services.case_recompute_due_dates(case)
    assert (recomputed.due_on, recomputed.statutory_due_on) == (case.due_on, case.statutory_due_on)


# The days the tables below are built on, as the loaded calendar must have them.
@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2025, 1, 26), True),  # 春节 2025 make-up, Sunday
        (date(2025, 1, 28), False),  # 春节 2025, first day off
        (date(2025, 2, 4), False),  # 春节 2025, last day off
        (date(2025, 2, 8), True),  # 春节 2025 make-up, Saturday
        (date(2025, 9, 28), True),  # 国庆节 2025 make-up, Sunday
        (date(2025, 10, 8), False),  # 国庆节 2025, last day off
        (date(2025, 10, 11), True),  # 国庆节 2025 make-up, Saturday
        (date(2026, 1, 2), False),  # 元旦 2026, Friday off
        (date(2026, 1, 4), True),  # 元旦 2026 make-up, Sunday
        (date(2026, 2, 14), True),  # 春节 2026 make-up, Saturday
        (date(2026, 2, 23), False),  # 春节 2026, last day off (Monday)
        (date(2026, 2, 28), True),  # 春节 2026 make-up, Saturday
        (date(2026, 9, 20), True),  # 国庆节 2026 make-up, Sunday
        (date(2026, 9, 25), False),  # 中秋 2026, Friday off
        (date(2026, 10, 7), False),  # 国庆节 2026, last day off
        (date(2026, 10, 10), True),  # 国庆节 2026 make-up, Saturday
    ],
)
def test_the_loaded_calendar_has_the_official_holidays_and_make_up_days(day, workday):
    assert load_work_calendar().is_workday(day) is workday


@pytest.mark.parametrize(
    ("accepted", "promised", "statutory", "due_on", "statutory_due_on", "first_step_due_on"),
    [
        # 国庆节 2025 (Oct 1–8 off, make-up Sun Sep 28 and Sat Oct 11), accepted Tue Sep 30.
        # Promised: Oct 9, 10, 11 (Sat, make-up), 13, 14 = 5.
        # Statutory: …14 (5), 15, 16, 17 (8), 20–24 (13), 27–31 (18), Nov 3, 4 = 20.
        # Step (2): Oct 9, 10.
        (date(2025, 9, 30), 5, 20, date(2025, 10, 14), date(2025, 11, 4), date(2025, 10, 10)),
        # 国庆节 2025, accepted Fri Sep 26: the make-up Sunday is the first working day.
        # Promised: Sep 28 (Sun), 29, 30, Oct 9, 10 = 5.
        # Statutory: …10 (5), 11 (Sat), 13–17 (11), 20–24 (16), 27, 28, 29, 30 = 20.
        # Step (2): Sep 28, 29.
        (date(2025, 9, 26), 5, 20, date(2025, 10, 10), date(2025, 10, 30), date(2025, 9, 29)),
        # 国庆节 2026 (Oct 1–7 off, make-up Sun Sep 20 and Sat Oct 10), accepted Wed Sep 30.
        # Promised: Oct 8, 9, 10 (Sat, make-up), 12, 13 = 5.
        # Statutory: …13 (5), 14, 15, 16 (8), 19–23 (13), 26–30 (18), Nov 2, 3 = 20.
        # Step (2): Oct 8, 9.
        (date(2026, 9, 30), 5, 20, date(2026, 10, 13), date(2026, 11, 3), date(2026, 10, 9)),
        # 国庆节 2026 and 中秋 (Fri Sep 25 off), accepted Fri Sep 18 before the make-up Sunday.
        # Promised: Sep 20 (Sun), 21, 22, 23, 24 = 5.
        # Statutory: …24 (5), 28, 29, 30 (8), Oct 8, 9, 10 (Sat) (11), 12–16 (16),
        # 19, 20, 21, 22 = 20. Step (2): Sep 20, 21.
        (date(2026, 9, 18), 5, 20, date(2026, 9, 24), date(2026, 10, 22), date(2026, 9, 21)),
        # 春节 2025 (Jan 28–Feb 4 off, make-up Sun Jan 26 and Sat Feb 8), accepted Fri Jan 24.
        # Promised: Jan 26 (Sun), 27, Feb 5, 6, 7 = 5.
        # Statutory: …7 (5), 8 (Sat) (6), 10–14 (11), 17–21 (16), 24, 25, 26, 27 = 20.
        # Step (2): Jan 26, 27.
        (date(2025, 1, 24), 5, 20, date(2025, 2, 7), date(2025, 2, 27), date(2025, 1, 27)),
        # 春节 2026 (Feb 15–23 off, make-up Sat Feb 14 and Sat Feb 28), accepted Fri Feb 13.
        # Promised: Feb 14 (Sat), 24, 25, 26, 27 = 5.
        # Statutory: …27 (5), 28 (Sat) (6), Mar 2–6 (11), 9–13 (16), 16, 17, 18, 19 = 20.
        # Step (2): Feb 14, 24.
        (date(2026, 2, 13), 5, 20, date(2026, 2, 27), date(2026, 3, 19), date(2026, 2, 24)),
        # 春节 2026 with a longer promise, accepted Thu Feb 12.
        # Promised (10): Feb 13, 14 (Sat), 24–27 (6), 28 (Sat) (7), Mar 2, 3, 4 = 10.
        # Statutory: …4 (10), 5, 6 (12), 9–13 (17), 16, 17, 18 = 20.
        # Step (2): Feb 13, 14 (the make-up Saturday).
        (date(2026, 2, 12), 10, 20, date(2026, 3, 4), date(2026, 3, 18), date(2026, 2, 14)),
        # Accepted on a make-up Saturday (国庆节 2026, Sat Oct 10): the day itself is not counted.
        # Promised: Oct 12–16 = 5. Statutory: …16 (5), 19–23 (10), 26–30 (15), Nov 2–6 = 20.
        # Step (2): Oct 12, 13.
        (date(2026, 10, 10), 5, 20, date(2026, 10, 16), date(2026, 11, 6), date(2026, 10, 13)),
        # Accepted on a holiday (春节 2026, Tue Feb 17: a window open during the festival).
        # Promised: Feb 24, 25, 26, 27, 28 (Sat, make-up) = 5: due on a Saturday.
        # Statutory: …28 (5), Mar 2–6 (10), 9–13 (15), 16–20 = 20. Step (2): Feb 24, 25.
        (date(2026, 2, 17), 5, 20, date(2026, 2, 28), date(2026, 3, 20), date(2026, 2, 25)),
    ],
)
def test_acceptance_before_and_on_holidays_sets_the_due_dates_counted_in_working_days(
    accepted, promised, statutory, due_on, statutory_due_on, first_step_due_on
):
    version = _item(promised=promised, statutory=statutory)
    staff = department_staff(version.department)

    case = _accept(version, staff, accepted)

    assert case.accepted_on == accepted
    assert (case.due_on, case.statutory_due_on) == (due_on, statutory_due_on)
    assert _open_step(case).due_on == first_step_due_on
    receipt = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert receipt.content["due_on"] == due_on.isoformat()
    assert receipt.content["statutory_due_on"] == statutory_due_on.isoformat()
    assert_recomputed_from_events(case)


@pytest.mark.parametrize(
    ("suspended", "resumed", "workdays", "due_on", "statutory_due_on", "step_due_on"),
    [
        # Accepted Mon Sep 21 2026, promised 10: Sep 22, 23, 24, 28, 29, 30, Oct 8, 9,
        # 10 (Sat), 12; statutory 20: …12 (10), 13–16 (14), 19–23 (19), 26. Step (5): Sep 29.
        #
        # Suspended over 国庆节 2026, Tue Sep 29 → Fri Oct 9: Sep 30, Oct 8, 9 = 3 working days;
        # the seven days off are not working days and shift nothing.
        # Promised: Oct 12 + 3 = 13, 14, 15. Statutory: Oct 26 + 3 = 27, 28, 29.
        # Step: Sep 29 + 3 = Sep 30, Oct 8, 9.
        (
            date(2026, 9, 29),
            date(2026, 10, 9),
            3,
            date(2026, 10, 15),
            date(2026, 10, 29),
            date(2026, 10, 9),
        ),
        # Suspended over 中秋 2026 and the weekend after it, Thu Sep 24 → Mon Sep 28:
        # Sep 28 = 1 working day (Fri 25 is 中秋, 26–27 the weekend).
        # Promised: Oct 12 + 1 = 13. Statutory: Oct 26 + 1 = 27. Step: Sep 29 + 1 = Sep 30.
        (
            date(2026, 9, 24),
            date(2026, 9, 28),
            1,
            date(2026, 10, 13),
            date(2026, 10, 27),
            date(2026, 9, 30),
        ),
        # Suspended and resumed across 国庆节 and its make-up Saturday, Wed Sep 30 → Mon Oct 12:
        # Oct 8, 9, 10 (Sat), 12 = 4. Promised: Oct 12 + 4 = 13, 14, 15, 16.
        # Statutory: Oct 26 + 4 = 27, 28, 29, 30. Step: Sep 29 + 4 = Sep 30, Oct 8, 9, 10.
        (
            date(2026, 9, 30),
            date(2026, 10, 12),
            4,
            date(2026, 10, 16),
            date(2026, 10, 30),
            date(2026, 10, 10),
        ),
    ],
)
def test_a_suspension_across_a_holiday_moves_every_open_due_date_by_the_working_days_lost(
    suspended, resumed, workdays, due_on, statutory_due_on, step_due_on
):
    version = _item(promised=10, statutory=20, first_step=5)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2026, 9, 21))
    assert (case.due_on, case.statutory_due_on) == (date(2026, 10, 12), date(2026, 10, 26))
    assert _open_step(case).due_on == date(2026, 9, 29)

    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="testing",
        reason="送检验机构检测",
        expected_days=3,
        now=at(suspended),
    )
    case.refresh_from_db()
    assert case.clock == "suspended"
    # While suspended nothing moves yet: the days lost are known only at resumption.
    assert case.due_on == date(2026, 10, 12)
    assert_recomputed_from_events(case)

    suspension = services.case_resume(case=case, by=staff.handler, now=at(resumed))

    case.refresh_from_db()
    assert suspension.workdays == workdays
    assert case.clock == "running"
    assert (case.due_on, case.statutory_due_on) == (due_on, statutory_due_on)
    assert _open_step(case).due_on == step_due_on
    assert case.events.get(action="resume").data["workdays"] == workdays
    assert_recomputed_from_events(case)


def test_an_extension_of_ten_days_approved_across_new_year_moves_the_due_dates():
    # Accepted Mon Dec 15 2025. Promised 5: Dec 16–19 (4), 22. Statutory 20: …22 (5),
    # 23–26 (9), 29–31 (12), [元旦 Jan 1–3 off], Jan 4 (Sun, make-up) (13), 5–9 (18), 12, 13.
    # Step (2): Dec 16, 17.
    version = _item(promised=5, statutory=20)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2025, 12, 15))
    assert (case.due_on, case.statutory_due_on) == (date(2025, 12, 22), date(2026, 1, 13))

    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="需现场核查", now=at(date(2025, 12, 18))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2025, 12, 19))
    )

    case.refresh_from_db()
    # Promised: Dec 22 + 10 = 23, 24, 25, 26, 29, 30, 31, Jan 4 (Sun), 5, 6.
    assert case.due_on == date(2026, 1, 6)
    # Statutory: Jan 13 + 10 = 14, 15, 16, 19–23 (8), 26, 27.
    assert case.statutory_due_on == date(2026, 1, 27)
    # Step: Dec 17 + 10 = 18, 19, 22–26 (7), 29, 30, 31.
    assert _open_step(case).due_on == date(2025, 12, 31)
    notice = case.notices.get(kind=NoticeKind.EXTENSION)
    assert notice.content["due_on"] == "2026-01-06"
    assert_recomputed_from_events(case)


def test_an_extension_that_is_refused_changes_no_due_date():
    version = _item(promised=5, statutory=20)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2025, 12, 15))
    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="需现场核查", now=at(date(2025, 12, 18))
    )

    services.extension_decide(
        extension=extension,
        by=staff.approver,
        approve=False,
        note="材料齐全，无需延期",
        now=at(date(2025, 12, 19)),
    )

    case.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert (case.due_on, case.statutory_due_on) == (date(2025, 12, 22), date(2026, 1, 13))
    assert _open_step(case).due_on == date(2025, 12, 17)
    assert not case.notices.filter(kind=NoticeKind.EXTENSION).exists()
    assert_recomputed_from_events(case)


def test_suspension_resumption_and_extension_together_are_recomputed_from_the_clock_rows():
    # Accepted Mon Sep 21 2026, promised 10 → Oct 12, statutory 20 → Oct 26 (see above).
    version = _item(promised=10, statutory=20, first_step=5)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2026, 9, 21))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="expert_review",
        reason="组织专家评审",
        expected_days=5,
        now=at(date(2026, 9, 29)),
    )
    services.case_resume(case=case, by=staff.handler, now=at(date(2026, 10, 9)))  # 3 days
    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="情况复杂", now=at(date(2026, 10, 12))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2026, 10, 12))
    )

    case.refresh_from_db()
    # Promised: Oct 15 + 10 = 16, 19–23 (6), 26, 27, 28, 29: 23 working days after Sep 21.
    assert case.due_on == date(2026, 10, 29)
    # Statutory: Oct 29 + 10 = 30, Nov 2–6 (6), 9, 10, 11, 12.
    assert case.statutory_due_on == date(2026, 11, 12)
    assert_recomputed_from_events(case)

    # A second suspension still open counts nothing yet, and then 2 days: Wed Oct 14 → Fri 16.
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="inspection",
        reason="现场勘验",
        expected_days=2,
        now=at(date(2026, 10, 14)),
    )
    assert_recomputed_from_events(case)
    services.case_resume(case=case, by=staff.handler, now=at(date(2026, 10, 16)))

    case.refresh_from_db()
    # Promised: Oct 29 + 2 = 30, Nov 2. Statutory: Nov 12 + 2 = 13, 16.
    assert (case.due_on, case.statutory_due_on) == (date(2026, 11, 2), date(2026, 11, 16))
    assert_recomputed_from_events(case)


@pytest.mark.parametrize(
    ("received", "answered", "accepted", "late", "accepted_on", "due_on"),
    [
        # Received Fri Sep 26 2025; the 5 working days of Art. 32 run over 国庆节 2025:
        # Sep 28 (Sun, make-up), 29, 30, Oct 9, 10. A notice on Sat Oct 11 (make-up) is the
        # 6th working day: late, so acceptance counts from Sep 26.
        # Promised 10 from Sep 26: Sep 28, 29, 30, Oct 9, 10, 11, 13, 14, 15, 16.
        (
            date(2025, 9, 26),
            date(2025, 10, 11),
            date(2025, 10, 14),
            True,
            date(2025, 9, 26),
            date(2025, 10, 16),
        ),
        # The same notice on Fri Oct 10, the 5th working day, is in time: acceptance counts from
        # the day the supplemented application is accepted, Tue Oct 14.
        # Promised 10 from Oct 14: 15, 16, 17, 20–24 (8), 27, 28.
        (
            date(2025, 9, 26),
            date(2025, 10, 10),
            date(2025, 10, 14),
            False,
            date(2025, 10, 14),
            date(2025, 10, 28),
        ),
        # Received Thu Feb 12 2026; 5 working days over 春节 2026: Feb 13, 14 (Sat, make-up),
        # 24, 25, 26. A notice on Fri Feb 27 is late; acceptance on Mon Mar 2 counts from Feb 12.
        # Promised 10 from Feb 12: Feb 13, 14, 24–27 (6), 28 (Sat), Mar 2, 3, 4.
        (
            date(2026, 2, 12),
            date(2026, 2, 27),
            date(2026, 3, 2),
            True,
            date(2026, 2, 12),
            date(2026, 3, 4),
        ),
    ],
)
def test_a_late_supplement_notice_counts_acceptance_from_the_first_receipt(
    received, answered, accepted, late, accepted_on, due_on
):
    version = _item(promised=10, statutory=20)
    staff = department_staff(version.department)
    case = submitted_case(version, now=at(received))
    form = version.materials.get(name="申请书")

    services.case_request_supplement(
        case=case,
        by=staff.clerk,
        items=[{"material": form.pk, "reason": "未签字"}],
        now=at(answered),
    )
    assert case.events.get(action="request-supplement").data["late"] is late
    services.case_attach_material(case=case, material=form, upload=pdf(), by=case.applicant)
    # The applicant brings the supplement to the window, which accepts it the same day.
    services.case_submit(case=case, by=case.applicant, now=at(accepted))
    services.case_accept(case=case, by=staff.clerk, now=at(accepted))

    case.refresh_from_db()
    assert case.received_on == accepted
    assert case.intake_late is late
    assert case.accepted_on == accepted_on
    assert case.due_on == due_on
    assert case.events.get(action="accept").data["number"] == case.number
    assert_recomputed_from_events(case)


def test_a_due_date_in_a_year_without_a_schedule_is_counted_on_weekdays_only():
    # 2027's holidays are not published (not loaded): Fri Jan 1 2027 counts as a working day.
    # Accepted Mon Dec 21 2026. Promised 10: Dec 22–25 (4), 28–31 (8), Jan 1 (Fri), Jan 4.
    # Statutory 20: …Jan 4 (10), 5–8 (14), 11–15 (19), 18. Step (2): Dec 22, 23.
    version = _item(promised=10, statutory=20)
    staff = department_staff(version.department)

    case = _accept(version, staff, date(2026, 12, 21))

    assert case.due_on == date(2027, 1, 4)
    assert case.statutory_due_on == date(2027, 1, 18)
    assert _open_step(case).due_on == date(2026, 12, 23)
    assert not load_work_calendar().knows(case.accepted_on, case.due_on)
    assert_recomputed_from_events(case)


@pytest.mark.parametrize(
    ("decided", "late", "delivery_due_on"),
    [
        # Accepted Mon Sep 21 2026, promised 5: Sep 22, 23, 24, [中秋 Fri 25], 28, 29.
        # Decided on the due day, Tue Sep 29: in time. Delivery (Art. 44, 10 working days)
        # over 国庆节 2026: Sep 30, Oct 8, 9, 10 (Sat, make-up), 12–16 (9), 19.
        (date(2026, 9, 29), False, date(2026, 10, 19)),
        # Decided a day after the due date, Wed Sep 30: late. Delivery: Oct 8, 9, 10 (Sat),
        # 12–16 (8), 19, 20.
        (date(2026, 9, 30), True, date(2026, 10, 20)),
    ],
)
def test_a_decision_after_the_due_date_is_recorded_late_and_delivery_is_due_in_ten_days(
    decided, late, delivery_due_on
):
    version = _item(promised=5, statutory=20, first_step=1)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2026, 9, 21))
    assert case.due_on == date(2026, 9, 29)
    last = run_to_last_step(case, staff, now=at(date(2026, 9, 28)))

    notice = services.case_decide(
        case=case,
        by=last.assignee,
        decision=Decision.APPROVED,
        licence_number="JY13301002026001",
        now=at(decided),
    )

    case.refresh_from_db()
    assert case.decided_on == decided
    assert case.events.get(action="decide").data["late"] is late
    assert notice.content["late"] is late
    assert case.delivery_due_on == delivery_due_on
    assert_recomputed_from_events(case)


def test_delivery_after_its_own_due_date_is_recorded_late():
    version = _item(promised=5, statutory=20, first_step=1)
    staff = department_staff(version.department)
    case = _accept(version, staff, date(2026, 9, 21))
    last = run_to_last_step(case, staff, now=at(date(2026, 9, 28)))
    services.case_decide(
        case=case,
        by=last.assignee,
        decision=Decision.APPROVED,
        licence_number="JY13301002026001",
        now=at(date(2026, 9, 30)),
    )

    # Due Tue Oct 20 (see above); handed over the day after.
    services.case_deliver(
        case=case, by=staff.clerk, method=DeliveryMethod.PICKUP, now=at(date(2026, 10, 21))
    )

    case.refresh_from_db()
    assert case.delivery_due_on == date(2026, 10, 20)
    assert case.events.get(action="deliver").data["late"] is True
    assert_recomputed_from_events(case)
