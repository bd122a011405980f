import pytest
from django.core.exceptions import ValidationError

from catalog.models import Role, StaffMembership
from catalog.roles import has_role, membership_grant, membership_revoke, user_roles
from tests.factories import DepartmentFactory, ServiceCenterFactory, UserFactory

pytestmark = pytest.mark.django_db


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_granting_the_catalog_administrator_role_adds_the_group_and_admin_access():
    user = UserFactory()

    membership_grant(user=user, role=Role.CATALOG_ADMINISTRATOR, center=ServiceCenterFactory())

    user.refresh_from_db()
    assert group_names(user) == {"catalog_administrator"}
    assert user.is_staff
    assert user.has_perm("catalog.change_itemversion")


def test_granting_a_workbench_role_adds_the_group_without_admin_access():
    user = UserFactory()

    membership_grant(user=user, role=Role.WINDOW_CLERK, department=DepartmentFactory())

    user.refresh_from_db()
    assert group_names(user) == {"window_clerk"}
    assert not user.is_staff


def test_granting_the_same_role_twice_keeps_one_membership():
    user, department = UserFactory(), DepartmentFactory()

    membership_grant(user=user, role=Role.HANDLER, department=department)
    membership_grant(user=user, role=Role.HANDLER, department=department)

    assert StaffMembership.objects.filter(user=user).count() == 1


def test_a_user_may_hold_several_memberships():
    user = UserFactory()
    first, second = DepartmentFactory(), DepartmentFactory()

    membership_grant(user=user, role=Role.HANDLER, department=first)
    membership_grant(user=user, role=Role.REVIEWER, department=second)
    membership_grant(user=user, role=Role.HANDLER, department=second)

    assert StaffMembership.objects.filter(user=user).count() == 3
    assert user_roles(user) == {Role.HANDLER, Role.REVIEWER}
    assert group_names(user) == {"handler", "reviewer"}


def test_revoking_the_last_catalog_administrator_membership_removes_group_and_admin_access():
    user = UserFactory()
    membership = membership_grant(
        user=user, role=Role.CATALOG_ADMINISTRATOR, center=ServiceCenterFactory()
    )

    membership_revoke(membership=membership)

    user.refresh_from_db()
    assert group_names(user) == set()
    assert not user.is_staff
    assert not has_role(user, Role.CATALOG_ADMINISTRATOR)


def test_revoking_a_role_still_held_elsewhere_keeps_the_group_and_admin_access():
    user = UserFactory()
    kept = membership_grant(
        user=user, role=Role.CATALOG_ADMINISTRATOR, center=ServiceCenterFactory()
    )
    dropped = membership_grant(
        user=user, role=Role.CATALOG_ADMINISTRATOR, center=ServiceCenterFactory()
    )

    membership_revoke(membership=dropped)

    user.refresh_from_db()
    assert group_names(user) == {"catalog_administrator"}
    assert user.is_staff
    assert list(StaffMembership.objects.filter(user=user)) == [kept]


def test_revoking_one_role_leaves_the_others():
    user, department = UserFactory(), DepartmentFactory()
    membership_grant(user=user, role=Role.HANDLER, department=department)
    reviewer = membership_grant(user=user, role=Role.REVIEWER, department=department)

    membership_revoke(membership=reviewer)

    assert group_names(user) == {"handler"}
    assert user_roles(user) == {Role.HANDLER}


# -- where a role is held -------------------------------------------------------------------------

# (role, held in, the field refused, the refusal): center-wide roles belong to a center, the
# others to a department, each in exactly one place.
MISPLACED = [
    pytest.param(
        Role.FEE_CLERK,
        "department",
        {
            "center": "A Fee clerk works for a whole service center: choose the center.",
            "department": "A Fee clerk works for a whole service center, not a department.",
        },
        id="center role in a department",
    ),
    pytest.param(
        Role.SUPERVISION_OFFICER,
        "nowhere",
        {"center": "A Supervision officer works for a whole service center: choose the center."},
        id="center role nowhere",
    ),
    pytest.param(
        Role.HANDLER,
        "center",
        {
            "department": "A Handler works in a department: choose the department.",
            "center": "A Handler works in a department, not for a whole center.",
        },
        id="department role in a center",
    ),
    pytest.param(
        Role.WINDOW_CLERK,
        "nowhere",
        {"department": "A Window clerk works in a department: choose the department."},
        id="department role nowhere",
    ),
    pytest.param(
        Role.CATALOG_ADMINISTRATOR,
        "both",
        {
            "department": "A Catalog administrator works for a whole service center, not a department."
        },
        id="center role in a center and a department",
    ),
    pytest.param(
        Role.APPROVER,
        "both",
        {"center": "A Approver (leader) works in a department, not for a whole center."},
        id="department role in a department and a center",
    ),
]


@pytest.mark.parametrize(("role", "place", "refusal"), MISPLACED)
def test_a_role_granted_in_the_wrong_place_is_refused_and_nothing_is_written(role, place, refusal):
    user = UserFactory()
    where = {}
    if place in ("department", "both"):
        where["department"] = DepartmentFactory()
    if place in ("center", "both"):
        where["center"] = ServiceCenterFactory()

    with pytest.raises(ValidationError) as refused:
        membership_grant(user=user, role=role, **where)

    assert refused.value.message_dict == {field: [message] for field, message in refusal.items()}
    assert not StaffMembership.objects.filter(user=user).exists()
    assert group_names(user) == set()
