import pytest

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
