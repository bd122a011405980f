"""The performance pages: the staff ranking (scope, figures, rank order, closed months), the
Excel sheet with the same lines, closing a month from the page, the charts, and the hall's
public efficiency page (signed out, no personal data)."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import Role
from supervision.models import DailySummary, PerformanceMonth
from supervision.performance import month_close
from supervision.summary import summarize
from tests.factories import DepartmentFactory, UserFactory, staff_user
from tests.factories.workflow import at
from tests.supervision.month import NOVEMBER, november
from tests.supervision.office import national_day_2026, supervised_office
from workflow.calendar import shanghai_today

NOVEMBER_DAYS = [NOVEMBER + timedelta(days=n) for n in range(30)]
NOW = at(date(2026, 12, 2))
PAGE = reverse("supervision-performance")


@pytest.fixture
def office(db):
    national_day_2026()
    return supervised_office()


@pytest.fixture
def month(office):
    built = november(office)
    summarize(days=NOVEMBER_DAYS, now=NOW)
    return built


def rival(office, **figures):
    """A department of the other county with one summary row in November."""
    department = office.other_department
    DailySummary.objects.create(
        day=date(2026, 11, 10), department=department, center=department.center, **figures
    )
    return department


def lines_of(response):
    """The ranking's lines as shown: (rank, name, score) in page order."""
    return [
        (row["line"].rank, row["line"].name, str(row["line"].score))
        for row in response.context["rows"]
    ]


def test_the_city_officer_sees_every_line_in_rank_order_with_its_figures(client, month):
    office = month.office
    rival(office, received=2, accepted=2, decided=2, decided_on_time=2, completed=2)
    client.force_login(office.city_officer)

    response = client.get(PAGE, {"month": "2026-11"})

    assert response.status_code == 200
    lines = lines_of(response)
    assert [name for _rank, name, _score in lines] == [
        office.other_department.name,
        office.department.name,
    ]
    assert [rank for rank, _name, _score in lines] == [1, 2]
    body = response.content.decode()
    ours = response.context["rows"][1]
    assert ours["on_time"] == "75.0 %"  # 3 of 4 decided on time
    assert ours["satisfaction"] == "66.7 %"  # 2 of 3 ratings not poor
    assert ours["used"] == "6.2"  # 25 working days over 4 decided (6.25, half even)
    assert ours["promised"] == "10.0" and ours["statutory"] == "20.0"
    assert ours["line"].figures["red_cards"] == 1
    assert "75.0 %" in body and office.department.name in body
    assert body.index(office.other_department.name) < body.index(office.department.name)
    assert "grade-badge" in body


def test_a_county_officer_sees_only_their_tree(client, month):
    office = month.office
    rival(office, received=2, decided=2, decided_on_time=2)
    client.force_login(office.county_officer)

    response = client.get(PAGE, {"month": "2026-11"})

    names = [name for _rank, name, _score in lines_of(response)]
    assert names == [office.department.name]
    # The rank stays the city's.
    assert lines_of(response)[0][0] == 2
    assert office.other_department.name not in response.content.decode()


def test_a_leader_sees_only_their_department_and_its_rank(client, month):
    office = month.office
    rival(office, received=2, decided=2, decided_on_time=2)
    client.force_login(office.other_approver)

    response = client.get(PAGE, {"month": "2026-11", "kind": "center"})

    assert response.status_code == 200
    assert lines_of(response) == [(1, office.other_department.name, "100.0")]
    assert office.department.name not in response.content.decode()
    # No charts and no closing for a leader.
    assert client.get(reverse("supervision-performance-charts")).status_code == 403
    assert client.get(reverse("supervision-performance-close")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["supervision-performance", "supervision-performance-charts", "supervision-performance-export"],
)
def test_applicants_and_other_staff_are_refused_and_visitors_sent_to_log_in(client, db, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(staff_user(Role.WINDOW_CLERK, department=DepartmentFactory()))
    assert client.get(url).status_code == 403


def test_the_window_and_center_lines(client, month):
    office = month.office
    client.force_login(office.city_officer)

    windows = client.get(PAGE, {"month": "2026-11", "kind": "window"})
    centers = client.get(PAGE, {"month": "2026-11", "kind": "center"})

    assert [row["line"].window_id for row in windows.context["rows"]] == [month.window.pk]
    assert [row["line"].center_id for row in centers.context["rows"]] == [office.county.pk]


def test_a_period_on_demand(client, month):
    client.force_login(month.office.city_officer)

    response = client.get(PAGE, {"start": "2026-11-01", "end": "2026-11-06"})

    assert response.status_code == 200
    assert response.context["period"] is True
    figures = response.context["rows"][0]["line"].figures
    assert figures["decided"] == 2  # A on 6 Nov, D on 3 Nov
    assert "2026-11-01 – 2026-11-06" in response.content.decode()


def test_a_period_with_its_end_before_its_start_is_refused(client, month):
    client.force_login(month.office.city_officer)

    response = client.get(PAGE, {"start": "2026-11-10", "end": "2026-11-01"})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_a_closed_month_says_so_and_stays_as_it_was(client, month):
    office = month.office
    month_close(month=NOVEMBER, now=NOW, resummarize=False)
    # A later event does not change the frozen line.
    DailySummary.objects.filter(department=office.department, window=None).update(decided=0)
    client.force_login(office.city_officer)

    response = client.get(PAGE, {"month": "2026-11"})

    body = response.content.decode()
    assert response.context["report"].closed
    assert "perf-closed" in body and "2026-12-02" in body
    assert response.context["rows"][0]["line"].figures["decided"] == 4
    assert not response.context["can_close"]


def test_the_export_holds_the_same_lines(client, month):
    office = month.office
    rival(office, received=2, decided=2, decided_on_time=2)
    client.force_login(office.city_officer)

    page = client.get(PAGE, {"month": "2026-11"})
    response = client.get(reverse("supervision-performance-export"), {"month": "2026-11"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(page.context["rows"])
    assert [(r[0], r[1], float(r[-2])) for r in rows[1:]] == [
        (rank, name, float(score)) for rank, name, score in lines_of(page)
    ]
    ours = rows[2]
    headings = rows[0]
    assert ours[headings.index("On-time rate (%)")] == 75.0


def test_the_export_of_a_county_officer_is_their_tree_only(client, month):
    office = month.office
    rival(office, received=2)
    client.force_login(office.county_officer)

    response = client.get(reverse("supervision-performance-export"), {"month": "2026-11"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [office.department.name]


def test_the_top_officer_closes_an_ended_month_after_confirming(client, office):
    client.force_login(office.city_officer)
    url = reverse("supervision-performance-close")
    page = client.get(PAGE, {"month": "2026-10"})
    assert page.context["can_close"]
    assert url in page.content.decode()

    confirm = client.get(url, {"month": "2026-10"})
    assert confirm.status_code == 200
    assert not PerformanceMonth.objects.exists()

    done = client.post(url, {"month": "2026-10"})
    assert done.status_code == 302
    assert PerformanceMonth.objects.filter(month=date(2026, 10, 1)).exists()

    again = client.post(url, {"month": "2026-10"})
    assert again.status_code == 409 or again.status_code == 400
    assert "error-summary" in again.content.decode()


def test_a_county_officer_may_not_close_a_month(client, office):
    client.force_login(office.county_officer)

    assert not client.get(PAGE, {"month": "2026-10"}).context["can_close"]
    assert (
        client.post(reverse("supervision-performance-close"), {"month": "2026-10"}).status_code
        == 403
    )
    assert not PerformanceMonth.objects.exists()


def test_the_running_month_cannot_be_closed(client, office):
    client.force_login(office.city_officer)
    running = f"{shanghai_today():%Y-%m}"

    response = client.post(reverse("supervision-performance-close"), {"month": running})

    assert response.status_code >= 400
    assert not PerformanceMonth.objects.exists()


def test_the_charts_carry_their_numbers_as_tables(client, month):
    client.force_login(month.office.city_officer)

    response = client.get(reverse("supervision-performance-charts"), {"month": "2026-11"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="perf-chart-data"' in body and 'type="application/json"' in body
    charts = response.context["charts"]
    # Ratings by level: A 5, D 4 and B 1 on the five-level scale; C excluded on appeal.
    counts = {row["level"]: row["count"] for row in response.context["ratings"]}
    assert counts == {5: 1, 4: 1, 3: 0, 2: 0, 1: 1}
    assert {row["category"]: row["count"] for row in response.context["complaints"]}["time"] == 2
    assert charts["scores"]["names"] == [month.office.department.name]
    assert response.context["treemap_rows"][-1] == {
        "name": month.office.department.name,
        "depth": 2,
        "value": 3,
    }
    for table in ("table-perf-scores", "table-perf-on-time", "table-perf-ratings"):
        assert f'id="{table}"' in body


def test_the_public_page_works_signed_out_and_shows_no_personal_data(client, month):
    cache.clear()
    office = month.office
    today = shanghai_today()
    DailySummary.objects.create(
        day=today,
        department=office.department,
        center=office.county,
        completed=3,
        decided=4,
        decided_on_time=3,
        ratings=2,
    )

    response = client.get(reverse("hall-efficiency"))

    assert response.status_code == 200
    body = response.content.decode()
    assert office.department.name in body
    assert "75.0 %" in body and "100.0 %" in body
    for personal in ("张三", "13800138000", office.staff.clerk.username):
        assert personal not in body
    filtered = client.get(reverse("hall-efficiency"), {"center": office.other_county.pk})
    assert office.department.name not in filtered.content.decode()
    assert client.get(reverse("hall-efficiency"), {"center": "x"}).status_code == 400


def test_the_public_page_is_cached_for_a_few_minutes(client, office, django_assert_max_num_queries):
    cache.clear()
    client.get(reverse("hall-efficiency"))
    DailySummary.objects.create(
        day=shanghai_today(), department=office.department, center=office.county, completed=9
    )

    with django_assert_max_num_queries(4):
        response = client.get(reverse("hall-efficiency"))

    assert office.department.name not in response.content.decode()


def test_the_hall_home_links_the_public_page(client, db):
    assert reverse("hall-efficiency") in client.get("/").content.decode()


def test_the_performance_entry_is_in_the_navigation(client, office):
    client.force_login(office.county_officer)

    assert f'href="{PAGE}"' in client.get(PAGE).content.decode()


def _departments(office, n: int) -> None:
    for _ in range(n):
        department = DepartmentFactory(center=office.county)
        DailySummary.objects.create(
            day=date(2026, 11, 10), department=department, center=office.county, received=1
        )


def _queries(client, django_assert_max_num_queries, url, params, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_pages_ask_the_same_queries_for_more_departments(
    client, office, django_assert_max_num_queries
):
    client.force_login(office.city_officer)
    charts = reverse("supervision-performance-charts")
    _departments(office, 2)
    few = [
        _queries(client, django_assert_max_num_queries, url, {"month": "2026-11"}, 40)
        for url in (PAGE, charts)
    ]
    _departments(office, 10)
    many = [
        _queries(client, django_assert_max_num_queries, url, {"month": "2026-11"}, 40)
        for url in (PAGE, charts)
    ]

    assert many == few


def test_the_public_page_leaves_off_a_department_with_nothing_to_score(client, month):
    cache.clear()
    office = month.office
    today = shanghai_today()
    DailySummary.objects.create(
        day=today, department=office.department, center=office.county, decided=2, decided_on_time=2
    )
    # Received cases and a yellow card, but nothing decided, rated or answered.
    DailySummary.objects.create(
        day=today,
        department=office.other_department,
        center=office.other_department.center,
        received=5,
        yellow_cards=1,
    )

    body = client.get(reverse("hall-efficiency")).content.decode()

    assert office.department.name in body
    assert office.other_department.name not in body
    assert "1 more department had nothing to score that month" in body
