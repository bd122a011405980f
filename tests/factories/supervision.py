"""Rows the supervision scan writes, made directly for the pages' tests: alerts and the
monitoring room's per-department figures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory

from supervision.models import Alert, AlertLevel, AlertRule, DepartmentFigures
from tests.factories.catalog import DepartmentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday with no holiday near it.
SCAN_DAY = date(2026, 11, 16)


class AlertFactory(factory.django.DjangoModelFactory):
    """A yellow card about a case that is not there; pass ``case`` (and ``step``) through
    :func:`alert_for` for one about a real case."""

    class Meta:
        model = Alert

    subject = factory.Sequence(lambda n: f"case:{100000 + n}")
    rule = AlertRule.CASE_DUE
    level = AlertLevel.YELLOW
    department = factory.SubFactory(DepartmentFactory)
    center = factory.LazyAttribute(lambda o: o.department.center)
    due_on = date(2026, 11, 10)
    raised_on = SCAN_DAY


def alert_for(case, *, step=None, level=AlertLevel.YELLOW, rule=None, **fields) -> Alert:
    """An alert about ``case`` (or its ``step``), with the department, center and due date the
    scan would copy from it."""
    subject = f"step:{step.pk}" if step else f"case:{case.pk}"
    rule = rule or (AlertRule.STEP_DUE if step else AlertRule.CASE_DUE)
    fields.setdefault("due_on", (step.due_on if step else case.due_on) or date(2026, 11, 10))
    return AlertFactory(
        subject=subject,
        rule=rule,
        level=level,
        case=case,
        step=step,
        department=case.department,
        center=case.department.center,
        **fields,
    )


class DepartmentFiguresFactory(factory.django.DjangoModelFactory):
    """A department's counts as the scan of ``SCAN_DAY`` wrote them (all zero unless given)."""

    class Meta:
        model = DepartmentFigures
        django_get_or_create = ("department",)

    department = factory.SubFactory(DepartmentFactory)
    center = factory.LazyAttribute(lambda o: o.department.center)
    taken_at = datetime(2026, 11, 16, 9, 5, tzinfo=SHANGHAI)
