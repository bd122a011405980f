"""The case list's filters that the monitoring room's drill-downs use: the clock (running or
suspended), due within a working day, one department, a center with the centers under it."""

from datetime import date

import pytest
import time_machine

from catalog.models import CenterLevel, Role
from tests.factories import DepartmentFactory, ServiceCenterFactory, staff_user
from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from workflow import services
from workflow.models import SpecialProcedure

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
CASES = "/staff/cases/"


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def world():
    city = ServiceCenterFactory(level=CenterLevel.CITY)
    county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    town = ServiceCenterFactory(level=CenterLevel.TOWN, parent=county)
    cases = {}
    for name, center in (("city", city), ("county", county), ("town", town)):
        department = DepartmentFactory(center=center)
        version = item_with_procedure(
            department=department, materials=(("申请书", False),), promised_limit=1
        )
        staff = department_staff(department)
        cases[name] = accepted_case(version, staff)
        cases[f"{name}_late"] = accepted_case(version, staff, now=at(date(2026, 11, 2)))
        cases[f"{name}_paused"] = accepted_case(version, staff)
        services.case_suspend(
            case=cases[f"{name}_paused"],
            by=staff.handler,
            procedure=SpecialProcedure.TESTING,
            reason="送检",
            expected_days=3,
        )
    officer = staff_user(Role.SUPERVISION_OFFICER, center=city)
    return {"city": city, "county": county, "town": town, "cases": cases, "officer": officer}


def listed(client, query: str) -> set[int]:
    response = client.get(f"{CASES}?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return {case.pk for case in response.context["page"].object_list}


def pks(world, *names: str) -> set[int]:
    return {world["cases"][name].pk for name in names}


def test_the_clock_filter_tells_running_from_suspended(client, world):
    client.force_login(world["officer"])

    assert listed(client, "clock=suspended") == pks(
        world, "city_paused", "county_paused", "town_paused"
    )
    assert listed(client, "clock=running") == pks(
        world, "city", "city_late", "county", "county_late", "town", "town_late"
    )


def test_due_within_a_working_day_leaves_out_the_late_and_the_suspended(client, world):
    client.force_login(world["officer"])

    # Accepted today with 1 working day: due tomorrow.
    assert listed(client, "due=day") == pks(world, "city", "county", "town")


def test_a_department_and_a_center_with_the_centers_under_it(client, world):
    client.force_login(world["officer"])
    county_department = world["cases"]["county"].department

    assert listed(client, f"department={county_department.pk}") == pks(
        world, "county", "county_late", "county_paused"
    )
    assert listed(client, f"center={world['county'].pk}&clock=suspended") == pks(
        world, "county_paused", "town_paused"
    )
    assert listed(client, f"center={world['town'].pk}&due=day") == pks(world, "town")


def test_a_department_or_center_that_does_not_exist_is_a_refused_filter(client, world):
    client.force_login(world["officer"])

    assert client.get(f"{CASES}?department=999999").status_code == 400
    assert client.get(f"{CASES}?center=abc").status_code == 400


def test_the_filters_narrow_the_users_own_cases_only(client, world):
    county_department = world["cases"]["county"].department
    clerk = staff_user(Role.WINDOW_CLERK, department=county_department)
    client.force_login(clerk)

    assert listed(client, f"center={world['city'].pk}") == pks(
        world, "county", "county_late", "county_paused"
    )
