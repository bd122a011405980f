from datetime import date

import pytest
from django.http import HttpRequest

from catalog.models import Role
from tests.factories import staff_user
from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from tests.factories.catalog import PASSWORD
from workflow.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/workflow/calendaryear/add/"


def _login(client, role):
    user = staff_user(role)
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return user


def _year_form(year, days):
    data = {
        "year": str(year),
        "source": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (day, is_workday, name) in enumerate(days):
        data[f"days-{i}-date"] = day.isoformat()
        data[f"days-{i}-name"] = name
        if is_workday:
            data[f"days-{i}-is_workday"] = "on"
    return data


def test_a_catalog_administrator_adds_a_year_with_its_holidays(client):
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.post(
        ADD_URL,
        _year_form(
            2027,
            [
                (date(2027, 1, 1), False, "元旦"),  # a Friday
                (date(2027, 2, 6), True, "春节"),  # a Saturday
            ],
        ),
    )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert list(year.days.values_list("date", "is_workday", "name")) == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 6), True, "春节"),
    ]


def test_a_make_up_day_on_a_weekday_is_refused_with_the_models_message(client):
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.post(ADD_URL, _year_form(2027, [(date(2027, 3, 3), True, "补班")]))
    assert response.status_code == 200
    assert "2027-03-03 is a weekday and already a working day" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_holiday_on_a_weekend_is_refused_with_the_models_message(client):
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.post(ADD_URL, _year_form(2027, [(date(2027, 1, 2), False, "元旦")]))
    assert response.status_code == 200
    assert "2027-01-02 is a weekend day and already a rest day" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_day_of_another_year_is_refused_when_the_year_is_added(client):
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.post(ADD_URL, _year_form(2027, [(date(2028, 1, 3), False, "元旦")]))
    assert response.status_code == 200
    assert "This date does not belong to the year 2027." in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_year_list_shows_holidays_and_make_up_days(client):
    year = CalendarYearFactory(year=2026)
    CalendarDayFactory(year=year, date=date(2026, 10, 1))
    CalendarDayFactory(year=year, date=date(2026, 10, 2))
    CalendarDayFactory(year=year, date=date(2026, 10, 10), is_workday=True)
    CalendarYearFactory(year=2027)
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.get("/admin/workflow/calendaryear/")
    assert response.status_code == 200
    rows = {y.year: (y.holidays, y.makeup_days) for y in response.context["cl"].result_list}
    assert rows == {2026: (2, 1), 2027: (0, 0)}
    content = response.content.decode()
    assert "Holidays on weekdays" in content
    assert "Make-up working days" in content


def test_the_day_list_filters_by_year(client):
    CalendarDayFactory(date=date(2025, 10, 1))
    CalendarDayFactory(date=date(2026, 10, 1))
    year_2026 = CalendarYear.objects.get(year=2026)
    _login(client, Role.CATALOG_ADMINISTRATOR)
    response = client.get(f"/admin/workflow/calendarday/?year__id__exact={year_2026.pk}")
    assert response.status_code == 200
    assert [d.date for d in response.context["cl"].result_list] == [date(2026, 10, 1)]


@pytest.mark.parametrize("url", [ADD_URL, "/admin/workflow/calendarday/"])
def test_a_window_clerk_cannot_reach_the_calendar_admin(client, url):
    _login(client, Role.WINDOW_CLERK)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.post(ADD_URL, _year_form(2027, [(date(2027, 1, 1), False, "元旦")]))
    assert not CalendarYear.objects.exists()


def test_a_day_of_another_year_is_refused_when_a_year_is_edited(client):
    year = CalendarYearFactory(year=2026)
    _login(client, Role.CATALOG_ADMINISTRATOR)
    data = _year_form(2026, [(date(2025, 10, 1), False, "国庆节")])
    data["source"] = year.source
    response = client.post(f"/admin/workflow/calendaryear/{year.pk}/change/", data)
    assert response.status_code == 200
    assert "This date does not belong to the year 2026." in response.content.decode()
    assert not CalendarDay.objects.exists()
