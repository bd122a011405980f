"""The supervision scan (电子监察): one set-based pass that raises, escalates, resolves and
re-opens alerts, and counts the monitoring room's figures.

Never a loop over cases: the pass is the same handful of statements whatever their number.

1. Every subject in violation today, with the level it stands at, is one branch of a
   ``UNION ALL`` per rule. Working-day thresholds are plain date comparisons against dates
   computed once here with the calendar ("red when overdue by more than m working days" is
   ``due_on < the working day m working days before today``), per center level through a
   ``CASE`` on the center's level.
2. One full join of that set with the open alerts writes what changed to a temporary table:
   a subject standing without an open alert at its level, an open alert whose subject no
   longer stands there, an open alert whose due date moved. In a steady state it holds a few
   rows, whatever the number of cases.
3. From it one ``UPDATE`` resolves (the case was decided or withdrawn, an extension or a
   resumed suspension moved the due date, the step was done, the urge answered, the result
   delivered; a card that escalates closes the lower one, so an open alert is its subject's
   current level), one re-opens what stands again, and one ``INSERT … ON CONFLICT (subject,
   rule, level) DO NOTHING`` raises the rest. A revoked card (``revoked_on`` set) is never
   raised or re-opened again: its row keeps the key.
4. One ``INSERT … SELECT … GROUP BY … ON CONFLICT (department_id) DO UPDATE`` counts the
   monitoring room's figures, and the alerts raised are announced through the outbox.

Levels are exclusive bands of one subject: a reminder while the due date is near, a yellow card
once it has passed, a red card once it is more than the rule's working days past. A suspended
case (Art. 45) is neither due nor overdue: it raises nothing, and its due-date alerts close
until it resumes (re-opened then if its due date, moved by the suspension, is still past). A
violation that is a past fact (a late decision, a late delivery, a fee off the standard, a late
answer to a question, a month without intake) has nothing left to move on: it stays open for
:data:`FACT_DAYS` days, the office's time to record a correction, then closes, kept for the
record.

The whole pass is one transaction under a PostgreSQL advisory lock, so two scans never run at
once (the second returns ``skipped``); the alerts' unique key guarantees that a case transition
committing in the middle of a scan never makes a second alert of one kind. The SQL is one text
for PostgreSQL and SQLite (≥ 3.39, for the full join); only the lock and the planner settings
are PostgreSQL's.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from catalog.models import (
    CenterLevel,
    Department,
    Role,
    ServiceCenter,
    StaffContact,
    StaffMembership,
    Window,
)
from workflow.calendar import SHANGHAI, load_work_calendar, shanghai_today
from workflow.deadlines import WorkCalendar, add_workdays
from workflow.models import CLOCK_STATES, Case, FeeRecord, StepRun, Submission, Suspension
from workflow.notifications import StaffMessage, notify_staff_many

from .models import (
    Alert,
    AlertLevel,
    AlertRule,
    Complaint,
    DepartmentFigures,
    Rectification,
    Urge,
    UrgeCase,
)
from .rules import Rules, rules_in_force

# How long a past-fact violation stays on the open lists (calendar days).
FACT_DAYS = 30

# pg_try_advisory_xact_lock's key: one scan at a time across every worker and machine.
SCAN_LOCK = zlib.crc32(b"supervision.scan")

TODO = "supervision_scan_todo"

RULES = tuple(AlertRule.values)


@dataclass(frozen=True)
class ScanResult:
    """What one scan did: alerts raised, resolved and re-opened, notifications written, and
    the number of statements it sent (the same for ten cases as for a million)."""

    today: date
    skipped: bool = False
    raised: int = 0
    resolved: int = 0
    reopened: int = 0
    notified: int = 0
    statements: int = 0


# --- dates the statements compare with ------------------------------------------------------


def workday_before(today: date, n: int, *, calendar: WorkCalendar) -> date:
    """The working day ``n`` working days before ``today`` (``n`` ≥ 1).

    A date is overdue by more than ``n`` working days on ``today`` exactly when it is before
    this day: ``workdays_between(d, today) > n`` ⇔ ``d < workday_before(today, n)``.
    """
    day = today
    counted = 0
    while True:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
            if counted == n:
                return day


def _ends_before(start: date, days: int, today: date, calendar: WorkCalendar) -> date | None:
    end = add_workdays(start, days, calendar=calendar)
    return end if end < today else None


@dataclass(frozen=True)
class _Dates:
    today: date
    remind_until: dict[str, date]
    red_before: dict[str, date]
    remind_max: date
    fact_since: date
    month_start: date
    month_end: date
    month: str
    next_workday: date


def _dates(today: date, rules: Rules, calendar: WorkCalendar) -> _Dates:
    remind_until: dict[str, date] = {}
    red_before: dict[str, date] = {}
    for level in [*CenterLevel.values, ""]:
        thresholds = rules.for_level(level) if level else rules.default
        remind_until[level] = add_workdays(today, thresholds.reminder_workdays, calendar=calendar)
        red_before[level] = workday_before(today, thresholds.red_after_workdays, calendar=calendar)
    month_end = today.replace(day=1) - timedelta(days=1)
    return _Dates(
        today=today,
        remind_until=remind_until,
        red_before=red_before,
        remind_max=max(remind_until.values()),
        fact_since=today - timedelta(days=FACT_DAYS),
        month_start=month_end.replace(day=1),
        month_end=month_end,
        month=f"{month_end:%Y-%m}",
        next_workday=add_workdays(today, 1, calendar=calendar),
    )


# --- the statements ----------------------------------------------------------------------


def _tables() -> dict[str, str]:
    # supervision reads the online hall's questions through the app registry, not an import:
    # portal depends on workflow and catalog, and supervision must not depend on portal.
    consultation = apps.get_model("portal", "Consultation")
    return {
        "alert": Alert._meta.db_table,
        "case": Case._meta.db_table,
        "step": StepRun._meta.db_table,
        "submission": Submission._meta.db_table,
        "fee": FeeRecord._meta.db_table,
        "suspension": Suspension._meta.db_table,
        "department": Department._meta.db_table,
        "center": ServiceCenter._meta.db_table,
        "window": Window._meta.db_table,
        "window_departments": Window.departments.through._meta.db_table,
        "urge": Urge._meta.db_table,
        "urge_case": UrgeCase._meta.db_table,
        "consultation": consultation._meta.db_table,
        "rectification": Rectification._meta.db_table,
        "complaint": Complaint._meta.db_table,
        "figures": DepartmentFigures._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "contact": StaffContact._meta.db_table,
        "todo": TODO,
    }


def _literals(values) -> str:
    # Code constants only (status and rule values), never input.
    return ", ".join(f"'{value}'" for value in values)


def _by_level(name: str) -> str:
    """A date of the thresholds, chosen by the level of the center ``sc``."""
    branches = " ".join(f"WHEN '{level}' THEN %({name}_{level})s" for level in CenterLevel.values)
    return f"(CASE sc.level {branches} ELSE %({name}_)s END)"


def _band(column: str, *, reminder: bool, by_level: bool = True) -> str:
    """The level a due date stands at today: red, yellow, reminder (or NULL: none); with
    ``by_level`` the thresholds of the center ``sc``'s level, else the rule set's own."""

    def threshold(name: str) -> str:
        return _by_level(name) if by_level else f"%({name}_)s"

    near = f"WHEN {column} <= {threshold('remind_until')} THEN 'reminder'" if reminder else ""
    return (
        f"CASE WHEN {column} < {threshold('red_before')} THEN 'red' "
        f"WHEN {column} < %(today)s THEN 'yellow' {near} END"
    )


# An open step of a case whose clock runs: a step may be overdue while its case is not. A step
# is open only while its case is accepted or in progress (a decision closes the last one, a
# withdrawal cancels it), so its clock runs unless the case is suspended: the few suspended
# cases are left out, and the step's department is read only for what is new (see _todo_sql).
# With thresholds per center level the step's center decides its level: then the cases are
# joined for every step.
_STEP_BRANCH = """
    SELECT subject, rule, level, case_id, step_id, department_id, center_id, due_on FROM (
        SELECT 'step:' || s.id AS subject, 'step_due' AS rule, {step_band} AS level,
               s.case_id AS case_id, s.id AS step_id, CAST(NULL AS bigint) AS department_id,
               CAST(NULL AS bigint) AS center_id, s.due_on AS due_on
        FROM {step} s
        WHERE s.status = 'open' AND s.due_on <= %(remind_max)s
          AND NOT EXISTS (SELECT 1 FROM {case} c
                          WHERE c.id = s.case_id AND c.status IN ({clock})
                            AND c.suspended_since IS NOT NULL)
    ) due_steps WHERE level IS NOT NULL
"""

_STEP_BRANCH_BY_LEVEL = """
    SELECT subject, rule, level, case_id, step_id, department_id, center_id, due_on FROM (
        SELECT 'step:' || s.id AS subject, 'step_due' AS rule, {step_band} AS level,
               s.case_id AS case_id, s.id AS step_id, c.department_id AS department_id,
               d.center_id AS center_id, s.due_on AS due_on
        FROM {step} s
        JOIN {case} c ON c.id = s.case_id
        JOIN {department} d ON d.id = c.department_id
        JOIN {center} sc ON sc.id = d.center_id
        WHERE s.status = 'open' AND s.due_on <= %(remind_max)s
          AND c.status IN ({clock}) AND c.suspended_since IS NULL
    ) due_steps WHERE level IS NOT NULL
"""


CLOCK = _literals(sorted(CLOCK_STATES))

# Each branch: subject, rule, level, case_id, step_id, department_id, center_id, due_on.
_CURRENT_BRANCHES = [
    # A case whose clock runs, near or past its due date.
    """
    SELECT subject, rule, level, case_id, step_id, department_id, center_id, due_on FROM (
        SELECT 'case:' || c.id AS subject, 'case_due' AS rule, {case_band} AS level,
               c.id AS case_id, CAST(NULL AS bigint) AS step_id, c.department_id,
               d.center_id, c.due_on
        FROM {case} c
        JOIN {department} d ON d.id = c.department_id
        JOIN {center} sc ON sc.id = d.center_id
        WHERE c.status IN ({clock}) AND c.suspended_since IS NULL
          AND c.due_on <= %(remind_max)s
    ) due_cases WHERE level IS NOT NULL
    """,
    "{step_branch}",
    # A submitted round still unanswered past its intake due date (Art. 32).
    """
    SELECT 'submission:' || sub.id, 'prereview_late', {intake_band}, c.id, NULL,
           c.department_id, d.center_id, sub.intake_due_on
    FROM {case} c
    JOIN {submission} sub ON sub.case_id = c.id
    JOIN {department} d ON d.id = c.department_id
    JOIN {center} sc ON sc.id = d.center_id
    WHERE c.status = 'submitted' AND sub.submitted_at IS NOT NULL
      AND sub.intake_due_on < %(today)s
      AND NOT EXISTS (SELECT 1 FROM {submission} later
                      WHERE later.case_id = sub.case_id AND later.round > sub.round)
    """,
    # Decided after the due date: a fact, kept on the open lists for FACT_DAYS.
    """
    SELECT 'case:' || c.id, 'completed_late', 'yellow', c.id, NULL, c.department_id,
           d.center_id, c.due_on
    FROM {case} c
    JOIN {department} d ON d.id = c.department_id
    WHERE c.decided_on >= %(fact_since)s AND c.decided_on <= %(today)s
      AND c.decided_on > c.due_on
    """,
    # A decision not delivered by its delivery due date (Art. 44)…
    """
    SELECT 'case:' || c.id, 'delivery_late', {delivery_band}, c.id, NULL, c.department_id,
           d.center_id, c.delivery_due_on
    FROM {case} c
    JOIN {department} d ON d.id = c.department_id
    JOIN {center} sc ON sc.id = d.center_id
    WHERE c.status = 'decided' AND c.delivered_on IS NULL
      AND c.delivery_due_on < %(today)s
    """,
    # … or delivered after it.
    """
    SELECT 'case:' || c.id, 'delivery_late', 'yellow', c.id, NULL, c.department_id,
           d.center_id, c.delivery_due_on
    FROM {case} c
    JOIN {department} d ON d.id = c.department_id
    WHERE c.status = 'completed' AND c.delivered_on >= %(fact_since)s
      AND c.delivered_on <= %(today)s AND c.delivered_on > c.delivery_due_on
    """,
    # A fee collected at another amount than the catalog's standard.
    """
    SELECT 'fee:' || f.id, 'fee_deviation', 'yellow', c.id, NULL, c.department_id,
           d.center_id, CAST(NULL AS date)
    FROM {fee} f
    JOIN {case} c ON c.id = f.case_id
    JOIN {department} d ON d.id = c.department_id
    WHERE f.standard_amount IS NOT NULL AND f.amount <> f.standard_amount
      AND f.recorded_at >= %(fact_since_at)s AND f.recorded_at < %(tomorrow_at)s
    """,
    # An open suspension past its expected end: the ends of the (start, length) pairs of
    # the open suspensions, computed with the calendar, joined as a list of values.
    """
    SELECT 'suspension:' || su.id, 'suspension_overrun', 'yellow', c.id, NULL,
           c.department_id, d.center_id, e.ends_on
    FROM {suspension} su
    JOIN overrun e ON e.started_on = su.started_on AND e.expected_days = su.expected_days
    JOIN {case} c ON c.id = su.case_id
    JOIN {department} d ON d.id = c.department_id
    WHERE su.ended_on IS NULL
    """,
    # A window whose departments received no case last month (零受理), during this month;
    # the alert goes to the window's first department (by code).
    """
    SELECT 'window:' || w.id || ':' || %(month)s, 'zero_intake', 'yellow', NULL, NULL,
           (SELECT wd.department_id FROM {window_departments} wd
            JOIN {department} d ON d.id = wd.department_id
            WHERE wd.window_id = w.id ORDER BY d.code LIMIT 1),
           w.center_id, CAST(NULL AS date)
    FROM {window} w
    WHERE w.kind <> 'fee'
      AND EXISTS (SELECT 1 FROM {window_departments} wd WHERE wd.window_id = w.id)
      AND NOT EXISTS (SELECT 1 FROM {window_departments} wd
                      JOIN {case} c ON c.department_id = wd.department_id
                      WHERE wd.window_id = w.id
                        AND c.received_on >= %(month_start)s
                        AND c.received_on <= %(month_end)s)
    """,
    # An urge notice unanswered past its limit: a red card on each case it urged.
    """
    SELECT 'urge:' || u.id || ':case:' || uc.case_id, 'urge_unanswered', 'red', c.id, NULL,
           c.department_id, d.center_id, u.due_on
    FROM {urge} u
    JOIN {urge_case} uc ON uc.urge_id = u.id
    JOIN {case} c ON c.id = uc.case_id
    JOIN {department} d ON d.id = c.department_id
    WHERE u.status = 'open' AND u.due_on < %(today)s
    """,
    # A question in the online hall still unanswered past its limit…
    """
    SELECT 'consultation:' || q.id, 'consultation_late', 'yellow', NULL, NULL,
           q.department_id, d.center_id, q.due_on
    FROM {consultation} q
    JOIN {department} d ON d.id = q.department_id
    WHERE q.status = 'open' AND q.due_on < %(today)s
    """,
    # … or answered after it.
    """
    SELECT 'consultation:' || q.id, 'consultation_late', 'yellow', NULL, NULL,
           q.department_id, d.center_id, q.due_on
    FROM {consultation} q
    JOIN {department} d ON d.id = q.department_id
    WHERE q.status = 'answered' AND q.answered_on >= %(fact_since)s
      AND q.answered_on <= %(today)s AND q.answered_on > q.due_on
    """,
    # A poor rating's rectification still open past its deadline.
    """
    SELECT 'rectification:' || r.id, 'rectification_late', 'yellow', r.case_id, NULL,
           r.department_id, r.center_id, r.due_on
    FROM {rectification} r
    WHERE r.status = 'open' AND r.due_on < %(today)s
    """,
    # A complaint neither accepted nor declined within the acceptance limit…
    """
    SELECT 'complaint:' || k.id, 'complaint_unaccepted', 'yellow', k.case_id, NULL,
           k.department_id, k.center_id, k.accept_due_on
    FROM {complaint} k
    WHERE k.status = 'filed' AND k.accept_due_on < %(today)s
    """,
    # … or accepted and not answered within the answer limit.
    """
    SELECT 'complaint:' || k.id, 'complaint_late', 'yellow', k.case_id, NULL,
           k.department_id, k.center_id, k.answer_due_on
    FROM {complaint} k
    WHERE k.status = 'accepted' AND k.answer_due_on < %(today)s
    """,
]


def _todo_sql(tables: dict[str, str], *, by_level: bool) -> str:
    """What changed: every subject standing today (the rule branches) set against the open
    alerts in one full join. A row with no alert is to raise or re-open, an alert with no row
    is to resolve, and one whose due date moved (an extension that leaves a card red) is to
    refresh; in a steady state the table holds a few rows, whatever the number of cases."""
    names = dict(
        tables,
        clock=CLOCK,
        rules=_literals(RULES),
        case_band=_band("c.due_on", reminder=True),
        intake_band=_band("sub.intake_due_on", reminder=False),
        delivery_band=_band("c.delivery_due_on", reminder=False),
    )
    step = (_STEP_BRANCH_BY_LEVEL if by_level else _STEP_BRANCH).format(
        **names, step_band=_band("s.due_on", reminder=True, by_level=by_level)
    )
    union = "\nUNION ALL\n".join(
        branch.format(**names, step_branch=step) for branch in _CURRENT_BRANCHES
    )
    return f"""
CREATE TEMP TABLE {TODO} AS
WITH overrun (started_on, expected_days, ends_on) AS (VALUES {{overrun}}),
standing AS ({union})
SELECT t.subject, t.rule, t.level, t.case_id, t.step_id,
       COALESCE(t.department_id, c.department_id) AS department_id,
       COALESCE(t.center_id, d.center_id) AS center_id, t.due_on, t.open_id
FROM (
    SELECT cur.subject, cur.rule, cur.level, cur.case_id, cur.step_id, cur.department_id,
           cur.center_id, cur.due_on, a.id AS open_id
    FROM standing cur
    FULL JOIN (SELECT id, subject, rule, level, due_on FROM {tables["alert"]}
               WHERE resolved_on IS NULL AND rule IN ({names["rules"]})) a
           ON a.subject = cur.subject AND a.rule = cur.rule AND a.level = cur.level
    WHERE cur.subject IS NULL OR a.id IS NULL
       OR a.due_on <> cur.due_on OR (a.due_on IS NULL) <> (cur.due_on IS NULL)
) t
LEFT JOIN {tables["case"]} c ON c.id = t.case_id AND t.department_id IS NULL
LEFT JOIN {tables["department"]} d ON d.id = c.department_id
"""


# An open alert whose subject no longer stands at its level.
RESOLVE_SQL = """
UPDATE {alert} SET resolved_on = %(today)s
WHERE id IN (SELECT open_id FROM {todo} WHERE subject IS NULL) AND resolved_on IS NULL
"""

# A subject standing again at a level whose alert was resolved (never one revoked).
REOPEN_SQL = """
UPDATE {alert} SET resolved_on = NULL,
       due_on = (SELECT t.due_on FROM {todo} t
                 WHERE t.subject = {alert}.subject AND t.rule = {alert}.rule
                   AND t.level = {alert}.level)
WHERE resolved_on IS NOT NULL AND revoked_on IS NULL
  AND EXISTS (SELECT 1 FROM {todo} t
              WHERE t.open_id IS NULL AND t.subject = {alert}.subject
                AND t.rule = {alert}.rule AND t.level = {alert}.level)
"""

# A subject standing at a level it never had: the unique key makes a second raise of it, by a
# scan that did not see the first commit, do nothing.
RAISE_SQL = """
INSERT INTO {alert} (subject, rule, level, case_id, step_id, department_id, center_id, due_on,
                     raised_on, acknowledgement, created_at)
SELECT subject, rule, level, case_id, step_id, department_id, center_id, due_on,
       %(today)s, '', %(now)s
FROM {todo} WHERE open_id IS NULL AND subject IS NOT NULL
-- In the unique key's order: two writers of the same keys then wait for each other in turn
-- instead of each holding a key the other needs (a deadlock).
ORDER BY subject, rule, level
ON CONFLICT (subject, rule, level) DO NOTHING
"""

# An open alert still standing whose due date moved.
REFRESH_SQL = """
UPDATE {alert} SET due_on = (SELECT t.due_on FROM {todo} t WHERE t.open_id = {alert}.id)
WHERE id IN (SELECT open_id FROM {todo} WHERE open_id IS NOT NULL AND subject IS NOT NULL)
"""

FIGURES_SQL = """
INSERT INTO {figures} (department_id, center_id, taken_at, received_today, prereview,
                       in_progress, suspended, due_within_day, yellow, red)
SELECT d.id, d.center_id, %(now)s, COALESCE(rt.n, 0), COALESCE(pr.n, 0),
       COALESCE(ru.n, 0) + COALESCE(su.n, 0), COALESCE(su.n, 0), COALESCE(dw.n, 0),
       COALESCE(al.yellow, 0), COALESCE(al.red, 0)
FROM {department} d
LEFT JOIN (SELECT department_id, COUNT(*) AS n FROM {case}
           WHERE received_on = %(today)s GROUP BY department_id) rt
       ON rt.department_id = d.id
LEFT JOIN (SELECT department_id, COUNT(*) AS n FROM {case}
           WHERE status IN ('submitted', 'needs_supplement') GROUP BY department_id) pr
       ON pr.department_id = d.id
LEFT JOIN (SELECT department_id, COUNT(*) AS n FROM {case}
           WHERE status IN ({clock}) AND suspended_since IS NULL GROUP BY department_id) ru
       ON ru.department_id = d.id
LEFT JOIN (SELECT department_id, COUNT(*) AS n FROM {case}
           WHERE status IN ({clock}) AND suspended_since IS NOT NULL
           GROUP BY department_id) su
       ON su.department_id = d.id
LEFT JOIN (SELECT department_id, COUNT(*) AS n FROM {case}
           WHERE status IN ({clock}) AND suspended_since IS NULL
             AND due_on >= %(today)s AND due_on <= %(next_workday)s
           GROUP BY department_id) dw
       ON dw.department_id = d.id
LEFT JOIN (SELECT department_id,
                  SUM(CASE WHEN level = 'yellow' THEN 1 ELSE 0 END) AS yellow,
                  SUM(CASE WHEN level = 'red' THEN 1 ELSE 0 END) AS red
           FROM {alert}
           WHERE resolved_on IS NULL AND revoked_on IS NULL AND level IN ('yellow', 'red')
           GROUP BY department_id) al
       ON al.department_id = d.id
WHERE 1 = 1
ON CONFLICT (department_id) DO UPDATE SET
    center_id = excluded.center_id, taken_at = excluded.taken_at,
    received_today = excluded.received_today, prereview = excluded.prereview,
    in_progress = excluded.in_progress, suspended = excluded.suspended,
    due_within_day = excluded.due_within_day, yellow = excluded.yellow, red = excluded.red
"""


# --- telling the people concerned -----------------------------------------------------------

# The alerts this scan raised, with the addresses of their department's head and of the
# assignee of their case's open step (the step itself, for a step's alert), in one query.
RAISED_SQL = """
SELECT a.rule, a.level, a.subject, a.case_id, a.center_id, a.due_on, c.number, st.name,
       d.name, h.id, h.email, hc.mobile, h.is_active, u.id, u.email, uc.mobile, u.is_active
FROM {todo} t
JOIN {alert} a ON a.subject = t.subject AND a.rule = t.rule AND a.level = t.level
JOIN {department} d ON d.id = a.department_id
LEFT JOIN {case} c ON c.id = a.case_id
LEFT JOIN {step} st ON st.id = a.step_id
LEFT JOIN {step} s ON s.case_id = a.case_id AND s.status = 'open'
LEFT JOIN {user} h ON h.id = d.head_id
LEFT JOIN {contact} hc ON hc.user_id = h.id
LEFT JOIN {user} u ON u.id = s.assignee_id
LEFT JOIN {contact} uc ON uc.user_id = u.id
WHERE t.open_id IS NULL AND t.subject IS NOT NULL AND a.created_at = %(now)s
ORDER BY a.id
"""


Address = tuple[str, str]  # (e-mail, mobile phone), either may be empty


def _officers() -> tuple[dict[int, int | None], dict[int, list[tuple[int, Address]]]]:
    """The center tree (child → parent) and the supervision officers of each center: two
    reads of small tables, whatever was raised."""
    parents = dict(ServiceCenter.objects.values_list("pk", "parent_id"))
    officers: dict[int, list[tuple[int, Address]]] = {}
    memberships = StaffMembership.objects.filter(
        role=Role.SUPERVISION_OFFICER, center__isnull=False, user__is_active=True
    ).values_list("center_id", "user_id", "user__email", "user__staff_contact__mobile")
    for center_id, user_id, email, mobile in memberships:
        if email or mobile:
            officers.setdefault(center_id, []).append((user_id, (email, mobile or "")))
    return parents, officers


def _described(
    rule: str,
    subject: str,
    number: str | None,
    case_id: int | None,
    step: str | None,
    department: str,
    due_on: Any,
) -> str:
    if rule == AlertRule.ZERO_INTAKE:
        what = gettext("the windows of %(department)s in %(month)s") % {
            "department": department,
            "month": subject.rsplit(":", 1)[-1],
        }
    elif rule == AlertRule.CONSULTATION_LATE:
        what = gettext("a question to %(department)s") % {"department": department}
    elif rule in (AlertRule.COMPLAINT_UNACCEPTED, AlertRule.COMPLAINT_LATE):
        what = gettext("a complaint to %(department)s") % {"department": department}
        if number:
            what = gettext("%(complaint)s about %(case)s") % {"complaint": what, "case": number}
    elif rule == AlertRule.RECTIFICATION_LATE:
        what = gettext("the rectification of the poor rating of %(case)s") % {
            "case": number or case_id
        }
    else:
        what = number or gettext("Case %(pk)s (not accepted)") % {"pk": case_id}
        if step:
            what = gettext("%(case)s, step “%(step)s”") % {"case": what, "step": step}
    if due_on:
        what = gettext("%(subject)s, due %(due_on)s") % {"subject": what, "due_on": str(due_on)}
    return what


def _announce(cursor, names: dict[str, str], params: dict[str, Any]) -> int:
    """Notify the people concerned by the alerts raised in this scan, through the outbox:
    the department's head and the assignee; a red card also the supervision officers whose
    tree holds the department's center; a reminder only the assignee."""
    cursor.execute(RAISED_SQL.format(**names), params)
    rows = cursor.fetchall()
    parents, officers = _officers()
    messages: list[StaffMessage] = []
    with translation.override(settings.LANGUAGE_CODE):
        for (
            rule,
            level,
            subject,
            case_id,
            center_id,
            due_on,
            number,
            step,
            department,
            head_id,
            head_email,
            head_mobile,
            head_active,
            assignee_id,
            assignee_email,
            assignee_mobile,
            assignee_active,
        ) in rows:
            # An SMS where a mobile phone is known, an e-mail where an address is.
            people: dict[int, Address] = {}
            if assignee_id and assignee_active and (assignee_email or assignee_mobile):
                people[assignee_id] = (assignee_email, assignee_mobile or "")
            if (
                level != AlertLevel.REMINDER
                and head_id
                and head_active
                and (head_email or head_mobile)
            ):
                people.setdefault(head_id, (head_email, head_mobile or ""))
            if level == AlertLevel.RED:
                center = center_id
                while center is not None:
                    for user_id, address in officers.get(center, ()):
                        people.setdefault(user_id, address)
                    center = parents.get(center)
            if not people:
                continue
            payload = {
                "level": str(AlertLevel(level).label),
                "rule": str(AlertRule(rule).label),
                "subject": _described(rule, subject, number, case_id, step, department, due_on),
            }
            template = "red_card" if level == AlertLevel.RED else "alert_raised"
            messages.extend(
                StaffMessage(user_id, email, mobile, template, payload, case_id)
                for user_id, (email, mobile) in people.items()
            )
    return notify_staff_many(messages)


# --- running it --------------------------------------------------------------------------


class _Counter:
    """Counts the statements sent through the connection while installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _params(dates: _Dates, now: datetime) -> dict[str, Any]:
    ops = connection.ops
    day = ops.adapt_datefield_value
    params: dict[str, Any] = {
        "today": day(dates.today),
        "now": ops.adapt_datetimefield_value(now),
        "remind_max": day(dates.remind_max),
        "fact_since": day(dates.fact_since),
        "month_start": day(dates.month_start),
        "month_end": day(dates.month_end),
        "month": dates.month,
        "next_workday": day(dates.next_workday),
        # A fee's moment in Asia/Shanghai: from the first fact day's midnight to tomorrow's.
        "fact_since_at": ops.adapt_datetimefield_value(
            datetime.combine(dates.fact_since, time.min, tzinfo=SHANGHAI)
        ),
        "tomorrow_at": ops.adapt_datetimefield_value(
            datetime.combine(dates.today + timedelta(days=1), time.min, tzinfo=SHANGHAI)
        ),
    }
    for level, value in dates.remind_until.items():
        params[f"remind_until_{level}"] = day(value)
    for level, value in dates.red_before.items():
        params[f"red_before_{level}"] = day(value)
    return params


def _overrun_values(
    cursor, tables: dict[str, str], today: date, calendar: WorkCalendar
) -> tuple[str, dict[str, Any]]:
    """The VALUES list of (start, length, end) of the open suspensions past their end.

    Read as the distinct pairs of the open suspensions (a few per day of the last months),
    not per suspension; a pair that matches nothing stands in when there is none."""
    cursor.execute(
        f"SELECT DISTINCT started_on, expected_days FROM {tables['suspension']} "
        "WHERE ended_on IS NULL"
    )
    day = connection.ops.adapt_datefield_value
    rows: list[tuple[date, int, date]] = []
    for started_on, expected_days in cursor.fetchall():
        start = _as_date(started_on)
        end = _ends_before(start, expected_days, today, calendar)
        if end is not None:
            rows.append((start, expected_days, end))
    if not rows:
        rows.append((date(1900, 1, 1), -1, date(1900, 1, 1)))
    params: dict[str, Any] = {}
    values = []
    for index, (start, length, end) in enumerate(rows):
        params.update({f"o{index}s": day(start), f"o{index}n": length, f"o{index}e": day(end)})
        values.append(f"(%(o{index}s)s, %(o{index}n)s, %(o{index}e)s)")
    return ", ".join(values), params


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


@contextmanager
def _counting() -> Iterator[_Counter]:
    counter = _Counter()
    with connection.execute_wrapper(counter):
        yield counter


def supervise(*, today: date | None = None, now: datetime | None = None) -> ScanResult:
    """Run the scan as of ``today`` (by default the day of ``now`` in Asia/Shanghai; ``now``
    defaults to the current time): raise, escalate, resolve and re-open alerts, count the
    monitoring room's figures and notify the people concerned, in one transaction.

    Returns ``skipped`` when another scan holds the lock. Safe to run again at any moment: a
    second scan on the same data raises nothing.
    """
    now = now or timezone.now()
    today = today or shanghai_today(now)
    with transaction.atomic(), _counting() as counter:
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SCAN_LOCK])
                if not cursor.fetchone()[0]:
                    return ScanResult(today=today, skipped=True, statements=counter.count)
                # The scan's full join hashes a few hundred thousand keys at province scale;
                # compiling its plan (JIT) would cost more than running it.
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
            result = _scan(cursor, today=today, now=now, postgres=postgres)
        return ScanResult(today=today, statements=counter.count, **result)


def _scan(cursor, *, today: date, now: datetime, postgres: bool) -> dict[str, int]:
    calendar = load_work_calendar()
    rules = rules_in_force(today)
    dates = _dates(today, rules, calendar)
    tables = _tables()
    params = _params(dates, now)
    overrun, overrun_params = _overrun_values(cursor, tables, today, calendar)

    def run(sql: str, extra: dict[str, Any] | None = None) -> int:
        cursor.execute(sql, {**params, **(extra or {})})
        return cursor.rowcount

    names = dict(tables)
    run(f"DROP TABLE IF EXISTS {TODO}")
    todo = _todo_sql(tables, by_level=bool(rules.by_level))
    run(todo.replace("{overrun}", overrun), overrun_params)
    if postgres:
        # A temporary table has no statistics until analysed: the joins below need them.
        run(f"ANALYZE {TODO}")
    resolved = run(RESOLVE_SQL.format(**names))
    reopened = run(REOPEN_SQL.format(**names))
    raised = run(RAISE_SQL.format(**names))
    run(REFRESH_SQL.format(**names))
    run(FIGURES_SQL.format(**names, clock=CLOCK))
    notified = _announce(cursor, names, params)
    run(f"DROP TABLE {TODO}")
    return {"raised": raised, "resolved": resolved, "reopened": reopened, "notified": notified}
