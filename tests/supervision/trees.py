"""A small center tree for the supervision pages' tests: a city with a county (and its town)
and another county, one department in each, and an officer at the city and at the county."""

from dataclasses import dataclass

from catalog.models import CenterLevel, Department, Role, ServiceCenter
from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory, staff_user


@dataclass
class Tree:
    city: ServiceCenter
    county: ServiceCenter
    town: ServiceCenter
    other_county: ServiceCenter
    city_department: Department
    county_department: Department
    town_department: Department
    other_department: Department
    city_officer: object
    county_officer: object


def center_tree() -> Tree:
    city = ServiceCenterFactory(level=CenterLevel.CITY, name="江州市政务服务中心")
    county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city, name="临江县政务服务中心")
    town = ServiceCenterFactory(level=CenterLevel.TOWN, parent=county, name="白沙镇便民服务中心")
    other = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city, name="望山县政务服务中心")
    return Tree(
        city=city,
        county=county,
        town=town,
        other_county=other,
        city_department=DepartmentFactory(center=city, name="市市场监督管理局"),
        county_department=DepartmentFactory(center=county, name="县市场监督管理局"),
        town_department=DepartmentFactory(center=town, name="镇社会事务办"),
        other_department=DepartmentFactory(center=other, name="望山县卫生健康局"),
        city_officer=staff_user(Role.SUPERVISION_OFFICER, center=city),
        county_officer=staff_user(Role.SUPERVISION_OFFICER, center=county),
    )
