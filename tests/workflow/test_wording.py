"""The workbench says what the notices say and presets nothing the clerk must choose."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    run_to_last_step,
    submitted_case,
)
from tests.factories.workflow_states import procedure_item
from workflow.models import Decision, SpecialProcedure

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def version():
    return item_with_procedure(materials=(("申请书", False),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def test_the_decision_options_read_as_the_notices_do(client, zh_hans, version, staff):
    case = accepted_case(version, staff)
    run_to_last_step(case, staff)
    client.force_login(staff.approver)

    body = client.get(f"/staff/cases/{case.pk}/").content.decode()

    assert "准予许可" in body and "不予许可" in body
    assert "已批准" not in body
    with translation.override("zh-hans"):
        assert [str(label) for _value, label in Decision.choices] == ["准予许可", "不予许可"]


def test_the_intake_form_goes_to_its_next_step_not_to_a_next_page(client, zh_hans, staff):
    client.force_login(staff.clerk)

    body = client.get("/staff/intake/").content.decode()

    assert "下一步" in body
    assert "下一页" not in body


def test_no_special_procedure_is_preselected_and_one_must_be_named(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.handler)
    case.refresh_from_db()

    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    refused = client.post(
        f"/staff/cases/{case.pk}/suspend/",
        {"expected_revision": case.revision, "confirm": "on", "reason": "送检", "expected_days": 3},
    )

    select = page.split('name="procedure"')[1].split("</select>")[0]
    assert 'value="" selected' in select
    assert not any(f'value="{value}" selected' in select for value in SpecialProcedure.values)
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.suspended_since is None
    assert SpecialProcedure.HEARING.value in page  # still offered, just not chosen


def test_the_approver_is_told_why_the_decision_waits_for_a_pending_material(client):
    version = procedure_item()  # one material may come later (容缺)
    staff = department_staff(version.department)
    case = accepted_case(version, staff, deferred_due_on=date(2026, 12, 1))
    run_to_last_step(case, staff)
    pending = version.materials.get(deferrable=True)
    client.force_login(staff.approver)

    body = client.get(f"/staff/cases/{case.pk}/").content.decode()

    assert "action-decide" not in body  # no decide form
    assert "The decision waits for the materials accepted as pending" in body
    assert pending.name in body and "2026-12-01" in body


def test_a_clerk_is_not_told_about_actions_that_are_not_theirs(client):
    version = procedure_item()
    staff = department_staff(version.department)
    case = accepted_case(version, staff, deferred_due_on=date(2026, 12, 1))
    run_to_last_step(case, staff)
    client.force_login(staff.clerk)

    body = client.get(f"/staff/cases/{case.pk}/").content.decode()

    assert "The decision waits" not in body  # deciding is the approver's


def test_what_does_not_arise_is_not_listed_as_withheld(client, version, staff):
    """No suspension to end, no request to decide, no step before the first: nothing to say."""
    case = accepted_case(version, staff)
    client.force_login(staff.approver)

    body = client.get(f"/staff/cases/{case.pk}/").content.decode()

    assert "The case is not suspended." not in body
    assert "No extension is waiting for a decision." not in body


def test_the_id_number_is_masked_alike_everywhere_on_the_page_and_revealed_on_request(
    client, version, staff
):
    case = accepted_case(version, staff)
    client.force_login(staff.clerk)

    body = client.get(f"/staff/cases/{case.pk}/").content.decode()

    full = case.id_number
    masked = f"{full[:6]}{'*' * 8}{full[-4:]}"
    assert body.count(masked) >= 2  # the header and the applicant's details
    outside_reveal = body.replace(body[body.index("<details") : body.index("</details>")], "")
    assert full not in outside_reveal
    assert full in body  # behind "show the full number", for the department


def test_a_pre_review_past_its_five_working_days_warns_on_its_case_page(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))  # answer due within 5 working days
    client.force_login(staff.clerk)
    round_ = case.submissions.get()

    on_time = client.get(f"/staff/cases/{case.pk}/").content.decode()
    with time_machine.travel(at(date(2026, 11, 24)), tick=False):
        client.force_login(staff.clerk)
        late = client.get(f"/staff/cases/{case.pk}/").content.decode()

    assert 'id="intake-overdue"' not in on_time
    assert 'id="intake-overdue"' in late
    assert round_.intake_due_on.isoformat() in late


def test_the_success_message_after_an_action_sits_inside_the_page_column(client, version, staff):
    case = submitted_case(version, now=at(MONDAY))
    case.refresh_from_db()
    client.force_login(staff.clerk)

    response = client.post(
        f"/staff/cases/{case.pk}/accept/",
        {"expected_revision": case.revision, "confirm": "on"},
        follow=True,
    )

    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert response.status_code == 200
    assert 'class="messages' in main
    assert 'class="messages' not in body.replace(main, "")
