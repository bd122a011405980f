"""Building blocks for the supervision office's tests: a city → county → town tree with a
department in the county and its staff, officers at each level, the 2026 National Day calendar,
and cards written directly (the scan has its own tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from catalog.models import CenterLevel, Role
from supervision.models import Alert, AlertLevel, AlertRule
from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory, staff_user
from tests.factories.workflow import Staff, accepted_case, at, department_staff, item_with_procedure
from workflow.models import Case

# Wednesday 30 September 2026, the eve of the National Day week.
EVE_OF_NATIONAL_DAY = date(2026, 9, 30)
MONDAY = date(2026, 11, 16)


def national_day_2026() -> None:
    """The State Council's 2026 schedule around National Day: 1 – 7 October off, Sunday
    20 September and Saturday 10 October make-up working days."""
    year = CalendarYearFactory(year=2026)
    for day in range(1, 8):
        if date(2026, 10, day).weekday() < 5:
            CalendarDayFactory(year=year, date=date(2026, 10, day))
    CalendarDayFactory(year=year, date=date(2026, 9, 20), is_workday=True, name="国庆节调休")
    CalendarDayFactory(year=year, date=date(2026, 10, 10), is_workday=True, name="国庆节调休")


@dataclass
class Office:
    city: object
    county: object
    town: object
    other_county: object
    department: object
    staff: Staff
    version: object
    city_officer: object
    county_officer: object
    other_officer: object
    other_department: object
    other_approver: object

    def case(self, *, now: datetime | None = None) -> Case:
        """A new accepted case of the county's department."""
        return accepted_case(self.version, self.staff, now=now or at(MONDAY))


def with_email(user, address: str | None = None):
    user.email = address or f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def supervised_office() -> Office:
    """A city with two counties and a town; a department in the first county with its staff
    (each with an e-mail address) and a head; officers of the city and of both counties."""
    city = ServiceCenterFactory(level=CenterLevel.CITY)
    county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    town = ServiceCenterFactory(level=CenterLevel.TOWN, parent=county)
    other_county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    department = DepartmentFactory(center=county)
    version = item_with_procedure(department=department, materials=(("申请书", False),))
    staff = department_staff(department)
    for user in (staff.clerk, staff.handler, staff.reviewer, staff.approver, staff.chief):
        with_email(user)
    head = with_email(staff_user(Role.HANDLER, department=department))
    department.head = head
    department.save(update_fields=["head"])
    other_department = DepartmentFactory(center=other_county)
    return Office(
        city=city,
        county=county,
        town=town,
        other_county=other_county,
        department=department,
        staff=staff,
        version=version,
        city_officer=with_email(staff_user(Role.SUPERVISION_OFFICER, center=city)),
        county_officer=with_email(staff_user(Role.SUPERVISION_OFFICER, center=county)),
        other_officer=with_email(staff_user(Role.SUPERVISION_OFFICER, center=other_county)),
        other_department=other_department,
        other_approver=with_email(staff_user(Role.APPROVER, department=other_department)),
    )


def card(
    case: Case,
    *,
    level: str = AlertLevel.RED,
    rule: str = AlertRule.CASE_DUE,
    raised_on: date = MONDAY,
) -> Alert:
    """A card about ``case`` as the scan would raise it."""
    return Alert.objects.create(
        subject=f"case:{case.pk}",
        rule=rule,
        level=level,
        case=case,
        department_id=case.department_id,
        center_id=case.department.center_id,
        due_on=case.due_on,
        raised_on=raised_on,
    )
