"""The role-shaped navigation and the elderly-mode switch."""

import pytest

from approval_center.navigation import ELDERLY_COOKIE, ROLE_ENTRIES, URGES, Entry, entries_for
from catalog.models import Role
from catalog.roles import membership_grant
from tests.factories import UserFactory, staff_user
from tests.factories.catalog import DepartmentFactory

pytestmark = pytest.mark.django_db


def nav_labels(response) -> list[str]:
    return [str(entry["label"]) for entry in response.context["nav_entries"]]


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (
            Role.WINDOW_CLERK,
            ["Start", "Window intake", "Pre-review", "To deliver"],
            ["My tasks", "Catalog"],
        ),
        (
            Role.HANDLER,
            ["Start", "My tasks", "Department queue"],
            ["Window intake", "Fees to record"],
        ),
        (
            Role.APPROVER,
            ["My tasks", "Extension approvals", "Overdue", "Alerts"],
            ["Window intake", "Monitoring room"],
        ),
        (Role.CHIEF_REPRESENTATIVE, ["Window intake", "Alerts"], ["Monitoring room"]),
        (Role.FEE_CLERK, ["Fees to record", "All cases"], ["My tasks", "Window intake", "Alerts"]),
        (
            Role.SUPERVISION_OFFICER,
            ["Start", "Monitoring room", "Alerts", "All cases"],
            ["Window intake", "Pre-review", "Today at the counter", "My tasks", "Overdue"],
        ),
        (
            Role.CATALOG_ADMINISTRATOR,
            ["Catalog", "Calendar", "Statistics"],
            ["Window intake", "All cases"],
        ),
    ],
)
def test_each_role_sees_only_its_own_entries(client, role, expected, absent):
    client.force_login(staff_user(role))

    labels = nav_labels(client.get("/staff/"))

    assert all(label in labels for label in expected), labels
    assert not any(label in labels for label in absent), labels


def test_a_supervision_officer_works_in_the_office_not_at_the_window():
    officer = [entry.label for entry in ROLE_ENTRIES[Role.SUPERVISION_OFFICER]]

    assert officer == [
        "Monitoring room",
        "Alerts",
        "Urge notices",
        "Corrections",
        "Ratings",
        "Rectifications",
        "Complaints",
        "Performance",
        "All cases",
    ]
    assert URGES.query == "" and URGES.url_name == "supervision-urges"


def test_an_entry_whose_page_is_not_installed_is_left_out(monkeypatch):
    missing = Entry("no-such-page", "Nowhere", "question")
    monkeypatch.setitem(ROLE_ENTRIES, Role.HANDLER, (missing, *ROLE_ENTRIES[Role.HANDLER]))

    labels = [entry.label for entry in entries_for({Role.HANDLER})]

    assert "Nowhere" not in labels and "My tasks" in labels


def test_a_person_with_two_roles_sees_their_union_each_entry_once(client):
    department = DepartmentFactory()
    user = staff_user(Role.WINDOW_CLERK, department=department)
    membership_grant(
        user=user, role=Role.HANDLER, department=department, by=UserFactory(is_superuser=True)
    )
    client.force_login(user)

    labels = nav_labels(client.get("/staff/"))

    assert "Window intake" in labels and "My tasks" in labels
    assert len(labels) == len(set(labels))
    assert labels.count("All cases") == 1


def test_the_current_page_is_marked_for_screen_readers(client):
    client.force_login(staff_user(Role.HANDLER))

    content = client.get("/staff/tasks/").content.decode()

    assert 'href="/staff/tasks/" aria-current="page"' in content
    assert 'href="/staff/queue/" aria-current="page"' not in content


def test_a_page_under_another_entrys_page_marks_only_its_own_entry(client):
    from tests.factories import ServiceCenterFactory

    client.force_login(staff_user(Role.SUPERVISION_OFFICER, center=ServiceCenterFactory()))

    content = client.get("/staff/supervision/alerts/").content.decode()

    assert content.count('aria-current="page"') == 1
    assert 'href="/staff/supervision/alerts/" aria-current="page"' in content


def test_visitors_and_applicants_see_no_staff_navigation(client):
    assert 'class="role-nav' not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert 'class="role-nav' not in client.get("/").content.decode()


def test_the_elderly_mode_is_remembered_on_the_device_and_can_be_switched_off(client):
    response = client.post("/preferences/elderly/", {"on": "1", "next": "/"})

    assert response.status_code == 302 and response.url == "/"
    assert response.cookies[ELDERLY_COOKIE].value == "1"
    assert 'class="elderly">' in client.get("/").content.decode()

    client.post("/preferences/elderly/", {"on": "0", "next": "/"})
    assert 'class="elderly"' not in client.get("/").content.decode()


def test_the_elderly_switch_never_sends_the_visitor_to_another_site(client):
    response = client.post("/preferences/elderly/", {"on": "1", "next": "https://evil.example/"})

    assert response.url == "/"
