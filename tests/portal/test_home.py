"""The hall's home page: search, departments, themes, joint items, most requested, the month's
figures and the center's notices."""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from catalog.models import JointItem
from portal.models import Announcement, Theme, ThemeAudience
from tests.factories import DepartmentFactory, ItemVersionFactory
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    joint_item_of_two,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.models import Decision, DeliveryMethod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # The home page keeps its figures for a few minutes: each test starts without them.
    cache.clear()
    yield
    cache.clear()


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, name: str) -> str:
    match = re.search(rf'data-section="{name}">(.*?)</(?:ol|ul|div)>', page, re.S)
    assert match, f"no {name} section"
    return match.group(1)


def test_the_search_box_sends_the_query_to_the_item_search(client):
    page = _home(client)

    assert 'action="/items/"' in page
    assert 'name="q"' in page and 'role="search"' in page


def test_departments_show_their_published_item_count_and_link_to_their_items(client):
    department = DepartmentFactory(code="SCJ", name="市场监督管理局")
    ItemVersionFactory(department=department)
    ItemVersionFactory(department=department)
    ItemVersionFactory(department=department, draft=True)
    DepartmentFactory(code="EMPTY", name="没有事项的部门")

    departments = _section(_home(client), "departments")

    assert "市场监督管理局" in departments
    assert 'href="/items/?department=SCJ"' in departments
    assert re.search(r'data-count="SCJ">2 items<', departments)
    assert "没有事项的部门" not in departments


def test_the_department_link_lists_that_departments_items(client):
    department = DepartmentFactory(code="SCJ")
    ItemVersionFactory(department=department, name="食品经营许可")
    ItemVersionFactory(name="别的部门的事项")

    page = client.get("/items/", {"department": "SCJ"}).content.decode()

    assert "食品经营许可" in page and "别的部门的事项" not in page


def test_themes_for_persons_and_businesses_link_to_a_page_of_their_published_items(client):
    wedding = ItemVersionFactory(name="结婚登记")
    draft_only = ItemVersionFactory(name="还在起草的事项", draft=True)
    ItemVersionFactory(name="不在主题里的事项")
    theme = Theme.objects.create(name="婚育", audience=ThemeAudience.PERSON, icon="heart")
    theme.items.add(wedding.item, draft_only.item)
    Theme.objects.create(name="开办企业", audience=ThemeAudience.BUSINESS, icon="shop")

    home = _home(client)
    theme_page = client.get(f"/themes/{theme.pk}/").content.decode()

    persons, businesses = home.split("For businesses")
    assert "婚育" in persons and f'href="/themes/{theme.pk}/"' in persons
    assert "开办企业" in businesses
    assert "1 item<" in persons
    assert "结婚登记" in theme_page
    assert f"/items/{wedding.item.code}/" in theme_page
    assert "还在起草的事项" not in theme_page and "不在主题里的事项" not in theme_page


def test_an_unknown_theme_is_not_found(client):
    assert client.get("/themes/999/").status_code == 404


def test_active_joint_items_link_to_their_guide(client):
    joint, _lead, _other = joint_item_of_two("LB-0001")
    JointItem.objects.create(
        code="LB-0002", name="停办的一件事", lead_department=joint.lead_department, active=False
    )

    joint_items = _section(_home(client), "joint-items")

    assert "开办餐馆一件事" in joint_items and 'href="/joint-items/LB-0001/"' in joint_items
    assert "停办的一件事" not in joint_items


@time_machine.travel(datetime(2026, 3, 20, 10, 0, tzinfo=timezone.get_default_timezone()))
def test_most_requested_lists_items_by_cases_received_in_the_last_30_days(client):
    popular = item_with_procedure(name="食品经营许可")
    second = item_with_procedure(name="药品零售企业经营许可")
    old_favourite = item_with_procedure(name="三个月前很热门的事项")
    for _ in range(3):
        submitted_case(popular, now=at(date(2026, 3, 16)))
    submitted_case(second, now=at(date(2026, 3, 2)))
    for _ in range(4):
        submitted_case(old_favourite, now=at(date(2026, 2, 1)))

    ranked = _section(_home(client), "most-requested")

    assert ranked.index("食品经营许可") < ranked.index("药品零售企业经营许可")
    assert "3 cases" in ranked and "1 case<" in ranked
    assert "三个月前很热门的事项" not in ranked


def _decide(version, staff, *, accepted: date, decided: date):
    case = accepted_case(version, staff, now=at(accepted))
    last = run_to_last_step(case, staff, now=at(decided))
    services.case_decide(
        case=case,
        by=last.assignee,
        decision=Decision.APPROVED,
        licence_number="JY13301002026001",
        now=at(decided),
    )
    case.refresh_from_db()
    return case


@time_machine.travel(datetime(2026, 3, 20, 10, 0, tzinfo=timezone.get_default_timezone()))
def test_the_months_figures_count_published_items_completed_cases_and_the_on_time_rate(client):
    version = item_with_procedure(materials=(("申请书", False),), promised_limit=5)
    ItemVersionFactory(draft=True)
    staff = department_staff(version.department)
    on_time = _decide(version, staff, accepted=date(2026, 3, 2), decided=date(2026, 3, 3))
    services.case_deliver(
        case=on_time, by=staff.clerk, method=DeliveryMethod.PICKUP, now=at(date(2026, 3, 4))
    )
    late = _decide(version, staff, accepted=date(2026, 2, 2), decided=date(2026, 3, 16))
    _decide(version, staff, accepted=date(2026, 2, 2), decided=date(2026, 2, 3))  # last month
    assert late.decided_on > late.due_on

    page = _home(client)

    assert re.search(r'data-figure="items">1<', page)
    assert re.search(r'data-figure="completed">1<', page)
    assert re.search(r'data-figure="on-time-rate">50.0 %<', page)
    assert "1 of 2 decided on time" in page


def test_the_figures_show_a_dash_before_the_months_first_decision(client):
    assert re.search(r'data-figure="on-time-rate">—<', _home(client))


def _notice(title: str, *, days_ago: float | None = 1, pinned: bool = False) -> Announcement:
    published_at = None if days_ago is None else timezone.now() - timedelta(days=days_ago)
    return Announcement.objects.create(
        title=title, body=f"{title}的正文", published_at=published_at, pinned=pinned
    )


def test_the_home_shows_the_latest_five_notices_pinned_first(client):
    for day in range(1, 8):
        _notice(f"通知{day}", days_ago=day)
    _notice("置顶的旧通知", days_ago=30, pinned=True)

    notices = _section(_home(client), "announcements")

    titles = re.findall(r'/news/\d+/">([^<]+)<', notices)
    assert titles == ["置顶的旧通知", "通知1", "通知2", "通知3", "通知4"]


def test_unpublished_and_future_notices_are_not_shown(client):
    _notice("已发布的通知")
    draft = _notice("草稿通知", days_ago=None)
    future = _notice("明天发布的通知", days_ago=-1)

    home = _home(client)
    news = client.get("/news/").content.decode()

    assert "已发布的通知" in home and "已发布的通知" in news
    for hidden in ("草稿通知", "明天发布的通知"):
        assert hidden not in home and hidden not in news
    assert client.get(f"/news/{draft.pk}/").status_code == 404
    assert client.get(f"/news/{future.pk}/").status_code == 404


def test_a_notice_has_its_own_page(client):
    notice = _notice("关于元旦假期窗口服务时间的通知")

    response = client.get(f"/news/{notice.pk}/")

    assert response.status_code == 200
    assert "关于元旦假期窗口服务时间的通知的正文" in response.content.decode()


def test_an_unknown_notice_is_not_found(client):
    assert client.get("/news/999/").status_code == 404


def test_the_news_list_pages_through_every_notice(client):
    for day in range(1, 23):
        _notice(f"第{day:02d}号通知", days_ago=day)

    first = client.get("/news/").content.decode()
    after = re.search(r'href="\?after=([^"]+)"', first).group(1)
    second = client.get("/news/", {"after": after}).content.decode()

    assert "第01号通知" in first and "第21号通知" not in first
    assert "第21号通知" in second and "第22号通知" in second and "第01号通知" not in second


def test_a_theme_in_the_admin_belongs_to_the_catalog_administrator(client):
    from catalog.models import Role
    from tests.factories.catalog import staff_user

    catalog_admin = staff_user(Role.CATALOG_ADMINISTRATOR)
    user_admin = staff_user(Role.USER_ADMINISTRATOR)

    client.force_login(catalog_admin)
    assert client.get("/admin/portal/theme/add/").status_code == 200
    assert client.get("/admin/portal/announcement/add/").status_code == 200
    client.force_login(user_admin)
    assert client.get("/admin/portal/theme/").status_code == 403


def test_the_home_page_costs_the_same_few_queries_however_much_it_shows(
    client, django_assert_max_num_queries
):
    for index in range(6):
        version = ItemVersionFactory()
        theme = Theme.objects.create(name=f"主题{index}", audience=ThemeAudience.PERSON)
        theme.items.add(version.item)
        _notice(f"通知{index}")
    joint_item_of_two("LB-0001")

    with django_assert_max_num_queries(12):
        _home(client)
