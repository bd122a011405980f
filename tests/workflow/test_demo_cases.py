"""The demo city's cases: every queue of the workbench has something in it for the demo staff."""

import pytest
from django.contrib.auth import get_user_model

from catalog.demo import DEMO_PASSWORD, demo_city_load
from workflow.demo import APPLICANT_USERNAME, demo_cases_load
from workflow.models import Case, CaseStatus, Extension
from workflow.selectors import cases_for_staff, open_steps_for_staff
from workflow.services import case_recompute_due_dates

pytestmark = pytest.mark.django_db


def test_demo_cases_fill_every_queue_and_load_only_once():
    demo_city_load(password=DEMO_PASSWORD)

    created = demo_cases_load(password=DEMO_PASSWORD)
    again = demo_cases_load(password=DEMO_PASSWORD)

    assert created == Case.objects.count() > 0
    assert again == 0
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        CaseStatus.SUBMITTED,
        CaseStatus.NEEDS_SUPPLEMENT,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_PROGRESS,
    } <= statuses
    assert Extension.objects.filter(status="requested").exists()
    clerk = get_user_model().objects.get(username="scj_clerk")
    assert cases_for_staff(clerk).filter(status=CaseStatus.SUBMITTED).count() == 2
    handler = get_user_model().objects.get(username="scj_handler")
    assert open_steps_for_staff(handler).exists()
    applicant = get_user_model().objects.get(username=APPLICANT_USERNAME)
    assert applicant.check_password(DEMO_PASSWORD)
    for case in Case.objects.exclude(accepted_on=None):
        dates = case_recompute_due_dates(case)
        assert (dates.due_on, dates.statutory_due_on) == (case.due_on, case.statutory_due_on)
