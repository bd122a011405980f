"""Supervision reaches down the center tree (city → county → town) and no further sideways."""

import pytest

from catalog.models import CenterLevel, Role
from supervision.scope import alerts_for, leader_departments, officer_centers
from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory, staff_user
from tests.factories.workflow import item_with_procedure, submitted_case
from workflow.selectors import cases_for_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = ServiceCenterFactory(level=CenterLevel.CITY)
    county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    town = ServiceCenterFactory(level=CenterLevel.TOWN, parent=county)
    other_county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    return city, county, town, other_county


def test_an_officer_supervises_their_center_and_everything_under_it(tree):
    city, county, town, other_county = tree
    city_officer = staff_user(Role.SUPERVISION_OFFICER, center=city)
    county_officer = staff_user(Role.SUPERVISION_OFFICER, center=county)

    assert officer_centers(city_officer) == {city.pk, county.pk, town.pk, other_county.pk}
    assert officer_centers(county_officer) == {county.pk, town.pk}


def test_a_county_officer_reads_the_towns_cases_not_the_citys_nor_another_countys(tree):
    city, county, town, other_county = tree
    town_case = submitted_case(item_with_procedure(department=DepartmentFactory(center=town)))
    city_case = submitted_case(item_with_procedure(department=DepartmentFactory(center=city)))
    other_case = submitted_case(
        item_with_procedure(department=DepartmentFactory(center=other_county))
    )
    officer = staff_user(Role.SUPERVISION_OFFICER, center=county)

    seen = set(cases_for_staff(officer).values_list("pk", flat=True))

    assert town_case.pk in seen
    assert city_case.pk not in seen and other_case.pk not in seen


def test_a_leader_reads_their_departments_alerts_and_a_clerk_none(tree):
    department = DepartmentFactory(center=tree[1])
    approver = staff_user(Role.APPROVER, department=department)
    clerk = staff_user(Role.WINDOW_CLERK, department=department)

    assert leader_departments(approver) == {department.pk}
    assert not alerts_for(clerk).exists()
    assert leader_departments(clerk) == frozenset()
