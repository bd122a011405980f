"""Case numbers, query codes and notice numbers as applicants and staff read them."""

import re
from datetime import date

import pytest
from django.db import transaction

from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory
from tests.factories.workflow import (
    at,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.models import Case, Notice, NoticeKind
from workflow.numbering import QUERY_CODE_ALPHABET, new_query_code

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)


def _desk(center_code="330100", department_code="SCJ"):
    center = ServiceCenterFactory(code=center_code)
    department = DepartmentFactory(code=department_code, center=center)
    version = item_with_procedure(department=department, materials=(("申请书", False),))
    return version, department_staff(department)


def _accept(version, staff, day: date, *, received: date | None = None) -> Case:
    case = submitted_case(version, now=at(received or day))
    services.case_accept(case=case, by=staff.clerk, now=at(day))
    case.refresh_from_db()
    return case


def test_a_case_number_reads_center_day_department_and_sequence():
    version, staff = _desk()

    case = _accept(version, staff, MONDAY)

    assert case.number == "330100-20261116-SCJ-0001"


def test_case_numbers_count_up_per_department_and_day_and_restart_the_next_day():
    market, market_staff = _desk("330100", "SCJ")
    health, health_staff = _desk("330100", "WJW")

    numbers = [
        _accept(market, market_staff, MONDAY).number,
        _accept(market, market_staff, MONDAY).number,
        _accept(health, health_staff, MONDAY).number,
        _accept(market, market_staff, MONDAY).number,
        _accept(market, market_staff, TUESDAY).number,
        _accept(health, health_staff, TUESDAY).number,
    ]

    assert numbers == [
        "330100-20261116-SCJ-0001",
        "330100-20261116-SCJ-0002",
        "330100-20261116-WJW-0001",
        "330100-20261116-SCJ-0003",
        "330100-20261117-SCJ-0001",
        "330100-20261117-WJW-0001",
    ]


def test_case_numbers_sort_as_text_in_the_order_of_acceptance():
    version, staff = _desk()
    numbers = [_accept(version, staff, MONDAY).number for _ in range(11)]
    numbers += [_accept(version, staff, TUESDAY).number for _ in range(2)]
    # Received on Monday, accepted late the next week: acceptance counts from Monday (Art. 32)
    # but the number carries the day it was given, so it still sorts in acceptance order.
    late = _accept(version, staff, date(2026, 11, 25), received=MONDAY)
    assert late.accepted_on == MONDAY
    numbers.append(late.number)

    assert numbers[9:11] == ["330100-20261116-SCJ-0010", "330100-20261116-SCJ-0011"]
    assert late.number == "330100-20261125-SCJ-0001"
    assert sorted(numbers) == numbers
    assert list(Case.objects.order_by("number").values_list("number", flat=True)) == numbers


def test_a_rolled_back_acceptance_gives_its_number_to_the_next_and_no_number_is_duplicated():
    version, staff = _desk()
    first = submitted_case(version, now=at(MONDAY))
    second = submitted_case(version, now=at(MONDAY))

    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_accept(case=first, by=staff.clerk, now=at(MONDAY))
        raise RuntimeError("the request failed after the acceptance")
    first.refresh_from_db()
    assert first.number is None

    # The sequence row rolled back with the acceptance: nobody ever saw 0001, the next gets it.
    services.case_accept(case=second, by=staff.clerk, now=at(MONDAY))
    services.case_accept(case=first, by=staff.clerk, now=at(MONDAY))

    numbers = list(Case.objects.order_by("number").values_list("number", flat=True))
    assert numbers == ["330100-20261116-SCJ-0001", "330100-20261116-SCJ-0002"]
    second.refresh_from_db()
    assert second.number == "330100-20261116-SCJ-0001"


def test_a_query_code_is_eight_unambiguous_characters_and_differs_between_cases():
    version, staff = _desk()
    cases = [submitted_case(version, now=at(MONDAY)) for _ in range(3)]

    codes = [case.query_code for case in cases]

    assert all(re.fullmatch(r"[A-Z2-9]{8}", code) for code in codes)
    assert all(set(code) <= set(QUERY_CODE_ALPHABET) for code in codes)
    assert len(set(codes)) == 3
    # Acceptance keeps the code the applicant already has and prints it on the receipt.
    accepted = cases[0]
    services.case_accept(case=accepted, by=staff.clerk, now=at(MONDAY))
    receipt = accepted.notices.get(kind=NoticeKind.ACCEPTANCE)
    accepted.refresh_from_db()
    assert accepted.query_code == codes[0] == receipt.content["query_code"]


def test_query_codes_never_use_characters_that_read_alike():
    codes = [new_query_code() for _ in range(2000)]

    assert len(set(codes)) == len(codes)
    assert all(len(code) == 8 for code in codes)
    assert not set("".join(codes)) & set("0O1I")


def test_notice_numbers_are_unique_per_kind_department_and_year():
    market, market_staff = _desk("330100", "SCJ")
    health, health_staff = _desk("330100", "WJW")
    _accept(market, market_staff, MONDAY)
    _accept(market, market_staff, TUESDAY)
    _accept(health, health_staff, MONDAY)
    to_supplement = submitted_case(market, now=at(MONDAY))
    services.case_request_supplement(
        case=to_supplement,
        by=market_staff.clerk,
        items=[{"material": market.materials.get().pk, "reason": "缺少签章"}],
        now=at(MONDAY),
    )
    _accept(market, market_staff, date(2027, 1, 4))

    numbers = list(Notice.objects.order_by("id").values_list("number", flat=True))

    assert numbers == [
        "SCJSL〔2026〕1号",
        "SCJSL〔2026〕2号",
        "WJWSL〔2026〕1号",
        "SCJBZ〔2026〕1号",
        "SCJSL〔2027〕1号",
    ]
    assert len(set(numbers)) == len(numbers)
