from datetime import date, timedelta

import pytest

from portal import public_views
from tests.factories.workflow import (
    CREDIT_CODE,
    accepted_case,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
)
from workflow.models import Case, Decision

pytestmark = pytest.mark.django_db

RESULTS = "/results/"
MONDAY = date(2026, 11, 16)
COMPANY = "杭州味道餐饮管理有限公司"


@pytest.fixture
def version():
    return item_with_procedure(name="食品经营许可", materials=(("申请书", False),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def approved(version, staff, *, day, licence, company=False):
    case = decided_case(version, staff, now=at(day))
    fields = {"licence_number": licence}
    if company:
        fields |= {
            "applicant_kind": "legal",
            "applicant_name": COMPANY,
            "id_number": "",
            "credit_code": CREDIT_CODE,
        }
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


def test_the_list_masks_natural_persons_and_names_companies_in_full(client, version, staff):
    approved(version, staff, day=MONDAY, licence="JY-PERSON-1")
    approved(version, staff, day=MONDAY + timedelta(days=1), licence="JY-COMPANY-1", company=True)

    response = client.get(RESULTS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "张*" in page and "张三" not in page
    assert COMPANY in page
    assert "JY-PERSON-1" in page and "JY-COMPANY-1" in page
    assert "食品经营许可" in page
    assert "2026-11-17" in page
    # The latest decision first.
    assert page.index("JY-COMPANY-1") < page.index("JY-PERSON-1")


def test_denied_and_undecided_cases_are_never_listed(client, version, staff):
    approved(version, staff, day=MONDAY, licence="JY-GRANTED")
    denied = decided_case(version, staff, now=at(MONDAY), decision=Decision.DENIED)
    running = accepted_case(version, staff, now=at(MONDAY))

    page = client.get(RESULTS).content.decode()

    assert "JY-GRANTED" in page
    assert denied.number not in page and running.number not in page
    assert page.count('class="licence-number"') == 1


def test_search_finds_by_item_company_and_licence_number_but_not_by_a_persons_name(
    client, version, staff
):
    approved(version, staff, day=MONDAY, licence="JY-PERSON-1")
    approved(version, staff, day=MONDAY, licence="JY-COMPANY-1", company=True)

    by_company = client.get(RESULTS, {"q": "味道餐饮"}).content.decode()
    by_licence = client.get(RESULTS, {"q": "person-1"}).content.decode()
    by_item = client.get(RESULTS, {"q": "食品经营"}).content.decode()
    by_name = client.get(RESULTS, {"q": "张三"}).content.decode()

    assert "JY-COMPANY-1" in by_company and "JY-PERSON-1" not in by_company
    assert "JY-PERSON-1" in by_licence and "JY-COMPANY-1" not in by_licence
    assert "JY-PERSON-1" in by_item and "JY-COMPANY-1" in by_item
    # A full name would unmask 张**: it finds nothing.
    assert "JY-PERSON-1" not in by_name
    assert "No licence granted matches this search." in by_name


def test_the_list_is_paged_by_keyset_in_decision_date_order(client, version, staff, monkeypatch):
    monkeypatch.setattr(public_views, "RESULTS_PER_PAGE", 2)
    for offset in range(3):
        approved(version, staff, day=MONDAY + timedelta(days=offset), licence=f"JY-{offset}")

    first = client.get(RESULTS)
    following = first.content.decode().split('rel="next"')[0].rsplit('href="', 1)[1]
    second = client.get(RESULTS + following.split('"')[0].replace("&amp;", "&"))

    first_page, second_page = first.content.decode(), second.content.decode()
    assert "JY-2" in first_page and "JY-1" in first_page and "JY-0" not in first_page
    assert "JY-0" in second_page and "JY-1" not in second_page
    assert 'rel="prev"' in second_page and 'rel="next"' not in second_page


def test_a_bad_cursor_shows_the_first_page(client, version, staff):
    approved(version, staff, day=MONDAY, licence="JY-ONLY")

    response = client.get(RESULTS, {"after": "not-a-cursor"})

    assert response.status_code == 200
    assert "JY-ONLY" in response.content.decode()
