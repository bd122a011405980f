"""The alerts workbench: the office's list of open alerts with its filters and keyset pages, an
alert's page with its case, acknowledging it once with a note, a leader's own department's
list and the panel on their start page."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Role
from supervision.models import Alert, AlertLevel, AlertRule
from supervision.services import alert_acknowledge
from tests.factories import UserFactory, staff_user
from tests.factories.supervision import SCAN_DAY, AlertFactory, alert_for
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    run_to_last_step,
)
from tests.supervision.trees import center_tree
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed

pytestmark = pytest.mark.django_db

ALERTS = "/staff/supervision/alerts/"


@pytest.fixture(autouse=True)
def _on_the_scan_day():
    with time_machine.travel(at(SCAN_DAY), tick=False):
        yield


@pytest.fixture
def tree():
    return center_tree()


def listed(response) -> list[int]:
    return [alert.pk for alert in response.context["page"].object_list]


def page(response) -> str:
    return response.content.decode()


def test_a_county_officer_lists_the_open_alerts_of_the_county_and_its_towns(client, tree):
    county = AlertFactory(department=tree.county_department, raised_on=date(2026, 11, 12))
    town = AlertFactory(department=tree.town_department, raised_on=date(2026, 11, 13))
    AlertFactory(department=tree.county_department, resolved_on=SCAN_DAY)
    AlertFactory(department=tree.county_department, revoked_on=SCAN_DAY)
    AlertFactory(department=tree.city_department)
    AlertFactory(department=tree.other_department)
    client.force_login(tree.county_officer)

    response = client.get(ALERTS)

    assert response.status_code == 200
    assert listed(response) == [town.pk, county.pk]
    assert "2 alerts" in page(response)


@pytest.mark.parametrize("where", ["city_department", "other_department"])
def test_an_alert_outside_the_officers_tree_is_not_found(client, tree, where):
    alert = AlertFactory(department=getattr(tree, where))
    client.force_login(tree.county_officer)

    assert client.get(f"{ALERTS}{alert.pk}/").status_code == 404
    response = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "已阅"})
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_city_officer_opens_the_alerts_of_the_whole_tree(client, tree):
    alerts = [
        AlertFactory(department=getattr(tree, name))
        for name in ("city_department", "county_department", "town_department", "other_department")
    ]
    client.force_login(tree.city_officer)

    assert set(listed(client.get(ALERTS))) == {a.pk for a in alerts}
    for alert in alerts:
        assert client.get(f"{ALERTS}{alert.pk}/").status_code == 200


def test_a_row_shows_the_case_the_step_the_rule_the_level_and_how_late(client, tree):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    # Accepted on Monday 2 November with 5 working days: due Monday 9 November.
    case = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    step = case.steps.get(status="open")
    alert = alert_for(case, step=step, level=AlertLevel.RED, raised_on=date(2026, 11, 13))
    client.force_login(tree.county_officer)

    response = client.get(ALERTS)

    row = response.context["page"].object_list[0]
    assert row.pk == alert.pk
    html = page(response)
    assert f'href="/staff/cases/{case.pk}/">{case.number}</a>' in html
    assert step.name in html
    assert "Step due date" in html
    assert '<span class="level-badge level-red">' in html and "Red card" in html
    assert step.due_on.isoformat() in html and "2026-11-13" in html
    # The first step (2 working days) was due on Wednesday 4 November: 8 working days to today.
    assert step.due_on == date(2026, 11, 4)
    assert row.over == 8
    assert "Not yet" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=red", {"red"}),
        ("rule=step_due", {"step"}),
        ("state=resolved", {"resolved"}),
        ("state=all", {"red", "step", "resolved", "acknowledged", "town"}),
        ("acknowledged=yes", {"acknowledged"}),
        ("acknowledged=no", {"red", "step", "town"}),
        ("center={town}", {"town"}),
        ("department={town_department}", {"town"}),
    ],
)
def test_the_filters(client, tree, query, expected):
    county = tree.county_department
    made = {
        "red": AlertFactory(department=county, level=AlertLevel.RED),
        "step": AlertFactory(department=county, rule=AlertRule.STEP_DUE),
        "resolved": AlertFactory(department=county, resolved_on=SCAN_DAY),
        "acknowledged": AlertFactory(
            department=county,
            acknowledged_at=at(SCAN_DAY),
            acknowledged_by=tree.county_officer,
            acknowledgement="已督促",
        ),
        "town": AlertFactory(department=tree.town_department),
    }
    client.force_login(tree.county_officer)

    response = client.get(
        f"{ALERTS}?{query.format(town=tree.town.pk, town_department=tree.town_department.pk)}"
    )

    assert response.status_code == 200
    assert set(listed(response)) == {made[name].pk for name in expected}


def test_a_filter_outside_the_tree_is_refused_with_its_message(client, tree):
    client.force_login(tree.county_officer)

    response = client.get(f"{ALERTS}?center={tree.city.pk}")

    assert response.status_code == 400
    assert "There is a problem" in page(response)
    assert client.get(f"{ALERTS}?level=purple").status_code == 400


def test_the_list_pages_newest_first_by_keyset(client, tree):
    alerts = [
        AlertFactory(department=tree.county_department, raised_on=date(2026, 11, 16 - n % 10))
        for n in range(30)
    ]
    newest_first = sorted(alerts, key=lambda a: (a.raised_on, a.pk), reverse=True)
    client.force_login(tree.county_officer)

    first = client.get(f"{ALERTS}?level=yellow")
    second = client.get(f"{ALERTS}?level=yellow&after={first.context['page'].next_cursor}")

    assert listed(first) == [a.pk for a in newest_first[:25]]
    assert listed(second) == [a.pk for a in newest_first[25:]]
    assert "level=yellow&amp;after=" in page(first)


def test_the_list_asks_the_same_number_of_queries_for_5_or_50_alerts(client, tree):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    client.force_login(tree.county_officer)

    def make(n: int) -> None:
        for _ in range(n):
            case = accepted_case(version, staff)
            alert_for(case, step=case.steps.get(status="open"), level=AlertLevel.RED)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ALERTS).status_code == 200
        return len(captured)

    make(5)
    queries()
    few = queries()
    make(20)
    assert len(client.get(ALERTS).context["page"].object_list) == 25
    assert queries() == few


def test_an_alerts_page_shows_its_case_and_acknowledging_it_keeps_the_note(client, tree):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    alert = alert_for(case, level=AlertLevel.RED)
    client.force_login(tree.county_officer)

    response = client.get(f"{ALERTS}{alert.pk}/")

    html = page(response)
    assert f'href="/staff/cases/{case.pk}/" id="alert-case-link">{case.number}<' in html
    assert version.name in html and case.applicant_name in html
    assert 'action="/staff/supervision/alerts/' in html

    done = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "已电话督促承办人今日办结"})

    assert done.status_code == 302 and done.url == f"{ALERTS}{alert.pk}/"
    alert.refresh_from_db()
    assert alert.acknowledged_by == tree.county_officer
    assert alert.acknowledgement == "已电话督促承办人今日办结"
    shown = page(client.get(done.url))
    assert "The alert is acknowledged." in shown and "已电话督促承办人今日办结" in shown
    assert 'id="id_note"' not in shown


def test_a_second_acknowledgement_is_refused_and_the_first_note_kept(client, tree):
    alert = AlertFactory(department=tree.county_department)
    approver = staff_user(Role.APPROVER, department=tree.county_department)
    alert_acknowledge(alert=alert, by=approver, note="科室已知悉")
    client.force_login(tree.county_officer)

    response = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "再次确认"})

    assert response.status_code == 409
    assert "This alert was already acknowledged by" in page(response)
    alert.refresh_from_db()
    assert alert.acknowledgement == "科室已知悉" and alert.acknowledged_by == approver


def test_an_acknowledgement_needs_a_note(client, tree):
    alert = AlertFactory(department=tree.county_department)
    client.force_login(tree.county_officer)

    response = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "  "})

    assert response.status_code == 400
    assert "Write a note" in page(response)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_service_refuses_someone_who_neither_supervises_nor_leads(tree):
    alert = AlertFactory(department=tree.county_department)
    clerk = staff_user(Role.WINDOW_CLERK, department=tree.county_department)
    other_leader = staff_user(Role.APPROVER, department=tree.other_department)

    for user in (clerk, other_leader):
        with pytest.raises(ActionForbidden):
            alert_acknowledge(alert=alert, by=user, note="已阅")
    with pytest.raises(InvalidInput):
        alert_acknowledge(alert=alert, by=tree.city_officer, note="")
    alert_acknowledge(alert=alert, by=tree.city_officer, note="已阅")
    with pytest.raises(TransitionNotAllowed):
        alert_acknowledge(alert=alert, by=tree.county_officer, note="已阅")
    assert Alert.objects.get(pk=alert.pk).acknowledged_by == tree.city_officer


@pytest.mark.parametrize("role", [Role.APPROVER, Role.CHIEF_REPRESENTATIVE])
def test_a_leader_lists_and_acknowledges_only_their_departments_alerts(client, tree, role):
    own = AlertFactory(department=tree.county_department)
    town = AlertFactory(department=tree.town_department)
    leader = staff_user(role, department=tree.county_department)
    client.force_login(leader)

    response = client.get(ALERTS)

    assert listed(response) == [own.pk]
    assert "My department&#x27;s alerts" in page(response) or "My department's alerts" in page(
        response
    )
    assert client.get(f"{ALERTS}{town.pk}/").status_code == 404
    assert client.post(f"{ALERTS}{own.pk}/acknowledge/", {"note": "科室已整改"}).status_code == 302


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.HANDLER, Role.REVIEWER])
def test_other_staff_get_the_403_page(client, tree, role):
    alert = AlertFactory(department=tree.county_department)
    client.force_login(staff_user(role, department=tree.county_department))

    assert client.get(ALERTS).status_code == 403
    assert client.get(f"{ALERTS}{alert.pk}/").status_code == 403


def test_applicants_are_refused_and_visitors_sent_to_log_in(client, tree):
    alert = AlertFactory(department=tree.county_department)
    assert client.get(f"{ALERTS}{alert.pk}/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(ALERTS).status_code == 403
    assert client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "x"}).status_code == 403


# --- the start page -------------------------------------------------------------------------


def test_a_leaders_start_page_shows_their_departments_open_alerts(client, tree):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    red = alert_for(case, level=AlertLevel.RED)
    AlertFactory(department=tree.county_department)
    AlertFactory(department=tree.county_department, resolved_on=SCAN_DAY)
    AlertFactory(department=tree.town_department, level=AlertLevel.RED)
    client.force_login(staff.approver)

    response = client.get("/staff/")

    html = page(response)
    assert 'id="panel-alerts"' in html
    assert 'id="count-alerts">2<' in html and 'id="count-red">1<' in html
    assert f'href="/staff/supervision/alerts/{red.pk}/">{case.number}</a>' in html


def test_the_leaders_panel_is_not_on_other_start_pages(client, tree):
    staff = department_staff(tree.county_department)
    for user in (staff.clerk, staff.handler):
        client.force_login(user)
        assert 'id="panel-alerts"' not in page(client.get("/staff/"))


def test_an_officers_start_page_leads_to_the_monitoring_room(client, tree):
    client.force_login(tree.county_officer)

    html = page(client.get("/staff/"))

    assert 'id="panel-monitoring"' in html and 'href="/staff/supervision/"' in html
    assert 'id="panel-alerts"' not in html


def test_a_case_at_its_last_step_with_alerts_on_two_steps_lists_both(client, tree):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    first = case.steps.order_by("order").first()
    alert_for(case, step=first, raised_on=date(2026, 11, 5))
    last = run_to_last_step(case, staff)
    on_last = alert_for(case, step=last, level=AlertLevel.RED)
    client.force_login(tree.county_officer)

    html = page(client.get(f"{ALERTS}{on_last.pk}/"))

    assert "Other alerts of this case" in html and first.name in html


def test_a_red_card_offers_the_officer_an_urge_and_a_correction_and_the_leader_neither(
    client, tree
):
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    case = accepted_case(version, department_staff(tree.county_department))
    alert = alert_for(case, level=AlertLevel.RED)
    urge_link = f'href="/staff/supervision/urges/new/?alert={alert.pk}"'
    correct_link = f'href="/staff/supervision/alerts/{alert.pk}/correct/"'

    client.force_login(tree.county_officer)
    html = page(client.get(f"{ALERTS}{alert.pk}/"))
    assert urge_link in html and correct_link in html

    client.force_login(staff_user(Role.APPROVER, department=tree.county_department))
    html = page(client.get(f"{ALERTS}{alert.pk}/"))
    assert urge_link not in html and correct_link not in html


def test_the_alerts_page_exports_what_it_shows(client, tree):
    client.force_login(tree.county_officer)

    html = page(client.get(ALERTS, {"level": "red", "state": "open"}))

    assert 'href="/staff/supervision/exports/alerts.xlsx?level=red&amp;state=open"' in html
