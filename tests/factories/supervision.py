"""Building blocks for supervision tests: alerts and the monitoring room's figures as the scan
leaves them, urge notices, and a center tree with a department and an accepted case in each
center."""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import factory

from catalog.models import CenterLevel, Department, Role, ServiceCenter
from supervision.models import (
    Alert,
    AlertLevel,
    AlertRule,
    DepartmentFigures,
    Urge,
    UrgeCase,
    UrgeStatus,
)
from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory, staff_user
from tests.factories.workflow import Staff, accepted_case, at, department_staff, item_with_procedure
from workflow.models import Case

_subjects = count(1)
_urges = count(1)


def alert_on(
    case: Case | None = None,
    *,
    department: Department | None = None,
    step=None,
    rule: str = AlertRule.CASE_DUE,
    level: str = AlertLevel.YELLOW,
    raised_on: date = date(2026, 11, 17),
    due_on: date | None = date(2026, 11, 16),
    resolved_on: date | None = None,
    **fields,
) -> Alert:
    """An alert on ``case`` (its step ``step``), or about ``department`` alone; each one its own
    subject, so that as many as wanted can be made on one case."""
    department = department or case.department
    return Alert.objects.create(
        subject=fields.pop("subject", f"test:{next(_subjects)}"),
        rule=rule,
        level=level,
        case=case,
        step=step,
        department=department,
        center_id=department.center_id,
        raised_on=raised_on,
        due_on=due_on,
        resolved_on=resolved_on,
        **fields,
    )


def urge_about(*cases: Case, by, status: str = UrgeStatus.OPEN, sent_at: datetime | None = None):
    """An urge notice to the first case's department about ``cases``."""
    department = cases[0].department
    sent_at = sent_at or at(date(2026, 11, 17))
    urge = Urge.objects.create(
        number=f"DB-2026-{next(_urges):05d}",
        department=department,
        center_id=department.center_id,
        message="请说明超期原因并尽快办结",
        respond_within=3,
        sent_by=by,
        sent_at=sent_at,
        sent_on=sent_at.date(),
        due_on=date(2026, 11, 20),
        status=status,
    )
    for case in cases:
        UrgeCase.objects.create(urge=urge, case=case)
    return urge


@dataclass
class Place:
    """A center with one department, its staff and one accepted case."""

    center: ServiceCenter
    department: Department
    staff: Staff
    case: Case


def place_in(center: ServiceCenter, *, now: datetime) -> Place:
    department = DepartmentFactory(center=center)
    staff = department_staff(department)
    case = accepted_case(item_with_procedure(department=department), staff, now=now)
    return Place(center, department, staff, case)


@dataclass
class Tree:
    """A city, a county under it with a town, and another county, each with its place; an
    officer at the county."""

    city: Place
    county: Place
    town: Place
    other_county: Place
    county_officer: object
    city_officer: object


def center_tree(*, now: datetime) -> Tree:
    city = ServiceCenterFactory(level=CenterLevel.CITY)
    county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    town = ServiceCenterFactory(level=CenterLevel.TOWN, parent=county)
    other_county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    return Tree(
        city=place_in(city, now=now),
        county=place_in(county, now=now),
        town=place_in(town, now=now),
        other_county=place_in(other_county, now=now),
        county_officer=staff_user(Role.SUPERVISION_OFFICER, center=county),
        city_officer=staff_user(Role.SUPERVISION_OFFICER, center=city),
    )


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
