"""Who may grant what.

A catalog administrator edits the catalog and nothing else: the account, role and role-log pages
refuse it, by link and by URL. A user administrator manages accounts and grants roles, but never
to itself, never raises anyone to superuser, and never sets the password of a superuser or of
another user administrator. Grants of the roles with power over other people's work are logged
in an append-only table the admin only shows.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from catalog.models import Role, RoleChange, RoleChangeKind, StaffMembership
from catalog.models.grants import AppendOnly
from catalog.roles import membership_grant, membership_revoke, user_roles
from tests.factories import DepartmentFactory, ServiceCenterFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

User = get_user_model()
OLD_PASSWORD = "old-Passw0rd-2026"
NEW_PASSWORD = "N3w-passphrase-for-2026"
SELF_GRANT = "You cannot grant a role to yourself: another user administrator must grant it."


def postgres_only(test):
    test = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the trigger that guards the role log exists on PostgreSQL only",
    )(test)
    return pytest.mark.postgres(test)


@pytest.fixture
def center():
    return ServiceCenterFactory()


@pytest.fixture
def catalog_admin(center):
    return staff_user(Role.CATALOG_ADMINISTRATOR, center=center, username="shengaiban")


@pytest.fixture
def user_admin(center):
    return staff_user(Role.USER_ADMINISTRATOR, center=center, username="xitong")


@pytest.fixture
def handler():
    user = staff_user(Role.HANDLER, username="banli")
    user.set_password(OLD_PASSWORD)
    user.save()
    return user


def login(client, user):
    client.force_login(user)
    return client


def password_post(client, user):
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def user_change_data(user, **overrides) -> dict:
    """The user change form as the browser posts it, the read-only memberships and the (empty)
    mobile phone form included."""
    memberships = list(user.memberships.order_by("pk"))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "staff_contact-TOTAL_FORMS": 1,
        "staff_contact-INITIAL_FORMS": 0,
        "staff_contact-MIN_NUM_FORMS": 0,
        "staff_contact-MAX_NUM_FORMS": 1,
        "staff_contact-0-mobile": "",
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-user"] = user.pk
    data.update(overrides)
    return data


def grant_post(client, *, user, role, center=None, department=None):
    data = {"user": user.pk, "role": role}
    if center is not None:
        data["center"] = center.pk
    if department is not None:
        data["department"] = department.pk
    return client.post(reverse("admin:catalog_staffmembership_add"), data)


# -- the catalog administrator is refused accounts and roles --------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:catalog_staffmembership_changelist",
        "admin:catalog_staffmembership_add",
        "admin:catalog_rolechange_changelist",
    ],
)
def test_a_catalog_administrator_cannot_open_the_account_and_role_pages(
    client, catalog_admin, url_name
):
    response = login(client, catalog_admin).get(reverse(url_name))

    assert response.status_code == 403


def test_the_catalog_administrators_admin_offers_neither_accounts_nor_roles(client, catalog_admin):
    page = login(client, catalog_admin).get(reverse("admin:index")).content.decode()

    assert reverse("admin:catalog_itemversion_changelist") in page
    assert reverse("admin:auth_user_changelist") not in page
    assert reverse("admin:catalog_staffmembership_changelist") not in page
    assert reverse("admin:catalog_rolechange_changelist") not in page


def test_a_catalog_administrator_cannot_open_or_post_a_users_page(client, catalog_admin, handler):
    login(client, catalog_admin)
    url = reverse("admin:auth_user_change", args=[handler.pk])

    assert client.get(url).status_code == 403
    response = client.post(url, user_change_data(handler, first_name="改名", is_active=""))

    assert response.status_code == 403
    handler.refresh_from_db()
    assert handler.is_active
    assert handler.first_name != "改名"


def test_a_catalog_administrator_cannot_change_a_staff_members_password(
    client, catalog_admin, handler
):
    login(client, catalog_admin)

    assert (
        client.get(reverse("admin:auth_user_password_change", args=[handler.pk])).status_code == 403
    )
    assert password_post(client, handler).status_code == 403
    handler.refresh_from_db()
    assert handler.check_password(OLD_PASSWORD)


def test_a_catalog_administrator_cannot_grant_itself_the_supervision_role(
    client, catalog_admin, center
):
    response = grant_post(
        login(client, catalog_admin),
        user=catalog_admin,
        role=Role.SUPERVISION_OFFICER,
        center=center,
    )

    assert response.status_code == 403
    assert not StaffMembership.objects.filter(role=Role.SUPERVISION_OFFICER).exists()
    assert user_roles(User.objects.get(pk=catalog_admin.pk)) == {Role.CATALOG_ADMINISTRATOR}
    assert not RoleChange.objects.exists()


def test_a_catalog_administrator_cannot_revoke_a_role(client, catalog_admin):
    reviewer = staff_user(Role.REVIEWER)
    membership = StaffMembership.objects.get(user=reviewer)

    response = login(client, catalog_admin).post(
        reverse("admin:catalog_staffmembership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert StaffMembership.objects.filter(pk=membership.pk).exists()


def test_a_catalog_administrator_cannot_pick_a_department_head(client, catalog_admin, handler):
    # Picking the head looks accounts up; the field is shown, not offered.
    department = DepartmentFactory(head=handler)

    page = (
        login(client, catalog_admin)
        .get(reverse("admin:catalog_department_change", args=[department.pk]))
        .content.decode()
    )

    assert 'name="name"' in page
    assert 'name="head"' not in page


def test_a_catalog_administrator_keeps_no_user_rights_even_through_its_group(
    client, catalog_admin, handler
):
    # The pages ask for the user administrator's role as well as the permission: a group
    # given user rights by mistake still opens nothing.
    group = Group.objects.get(name=Role.CATALOG_ADMINISTRATOR)
    group.permissions.add(*Group.objects.get(name=Role.USER_ADMINISTRATOR).permissions.all())
    login(client, User.objects.get(pk=catalog_admin.pk))

    assert password_post(client, handler).status_code == 403
    handler.refresh_from_db()
    assert handler.check_password(OLD_PASSWORD)


# -- the user administrator ------------------------------------------------------------------


def test_a_user_administrator_sets_a_staff_members_password(client, user_admin, handler):
    response = password_post(login(client, user_admin), handler)

    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.check_password(NEW_PASSWORD)


def test_a_user_administrator_cannot_set_a_superusers_password(client, user_admin):
    root = UserFactory(is_superuser=True, is_staff=True)
    root.set_password(OLD_PASSWORD)
    root.save()

    response = password_post(login(client, user_admin), root)

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(OLD_PASSWORD)


def test_a_user_administrator_cannot_set_another_user_administrators_password(
    client, user_admin, center
):
    # Setting it would let them sign in as the other one and grant themselves any role.
    colleague = staff_user(Role.USER_ADMINISTRATOR, center=center)
    colleague.set_password(OLD_PASSWORD)
    colleague.save()

    response = password_post(login(client, user_admin), colleague)

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password(OLD_PASSWORD)


def test_a_user_administrator_cannot_make_anyone_superuser_or_give_them_groups(
    client, user_admin, handler
):
    everything = Group.objects.get(name=Role.USER_ADMINISTRATOR)
    data = user_change_data(
        handler, first_name="办理", is_superuser="on", is_staff="on", groups=[everything.pk]
    )

    response = login(client, user_admin).post(
        reverse("admin:auth_user_change", args=[handler.pk]), data
    )

    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.first_name == "办理"  # the form was taken; the protected fields were not
    assert not handler.is_superuser
    assert not handler.is_staff
    assert set(handler.groups.values_list("name", flat=True)) == {Role.HANDLER}


def test_a_user_administrator_cannot_grant_itself_a_role_in_the_admin(client, user_admin, center):
    response = grant_post(
        login(client, user_admin), user=user_admin, role=Role.SUPERVISION_OFFICER, center=center
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [SELF_GRANT]
    assert user_roles(User.objects.get(pk=user_admin.pk)) == {Role.USER_ADMINISTRATOR}
    assert not RoleChange.objects.filter(role=Role.SUPERVISION_OFFICER).exists()


def test_a_user_administrator_cannot_revoke_its_own_role_in_the_admin(client, user_admin):
    own = StaffMembership.objects.get(user=user_admin)
    login(client, user_admin)

    delete_url = reverse("admin:catalog_staffmembership_delete", args=[own.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:catalog_staffmembership_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert StaffMembership.objects.filter(pk=own.pk).exists()
    assert not RoleChange.objects.filter(change=RoleChangeKind.REVOKED).exists()


def test_the_service_refuses_a_grant_to_oneself_whoever_asks():
    superuser = UserFactory(is_superuser=True, is_staff=True)

    with pytest.raises(ValidationError) as refused:
        membership_grant(
            user=superuser, role=Role.APPROVER, department=DepartmentFactory(), by=superuser
        )

    assert refused.value.message_dict == {"user": [SELF_GRANT]}
    assert not StaffMembership.objects.filter(user=superuser).exists()
    assert not RoleChange.objects.exists()


def test_the_service_refuses_taking_away_ones_own_user_administrator_role(user_admin):
    own = StaffMembership.objects.get(user=user_admin)

    with pytest.raises(ValidationError, match="your own user administrator role"):
        membership_revoke(membership=own, by=user_admin)

    assert StaffMembership.objects.filter(pk=own.pk).exists()
    assert User.objects.get(pk=user_admin.pk).is_staff


def test_one_may_give_up_an_ordinary_role_of_ones_own(user_admin):
    handling = membership_grant(
        user=user_admin, role=Role.HANDLER, department=DepartmentFactory(), by=None
    )

    membership_revoke(membership=handling, by=user_admin)

    assert user_roles(User.objects.get(pk=user_admin.pk)) == {Role.USER_ADMINISTRATOR}


# -- the role log --------------------------------------------------------------------------


GRANTED_AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Asia/Shanghai


def test_granting_the_supervision_role_in_the_admin_is_logged(client, user_admin, center):
    officer = UserFactory(username="jiancha")

    with time_machine.travel(GRANTED_AT, tick=False):
        response = grant_post(
            login(client, user_admin), user=officer, role=Role.SUPERVISION_OFFICER, center=center
        )

    assert response.status_code == 302
    entry = RoleChange.objects.get(user=officer)
    assert (entry.by, entry.user, entry.role, entry.change) == (
        user_admin,
        officer,
        Role.SUPERVISION_OFFICER,
        RoleChangeKind.GRANTED,
    )
    assert (entry.center, entry.department, entry.at) == (center, None, GRANTED_AT)


def test_revoking_an_approver_is_logged_and_ordinary_roles_are_not(client, user_admin):
    department = DepartmentFactory()
    approver = staff_user(Role.APPROVER, department=department)  # granted by the system
    clerk = staff_user(Role.WINDOW_CLERK, department=department)
    login(client, user_admin)

    for user in (approver, clerk):
        membership = StaffMembership.objects.get(user=user)
        client.post(
            reverse("admin:catalog_staffmembership_delete", args=[membership.pk]),
            {"post": "yes"},
        )

    assert not StaffMembership.objects.filter(user__in=[approver, clerk]).exists()
    logged = (
        RoleChange.objects.filter(user__in=[approver, clerk])
        .order_by("pk")
        .values_list("change", "role", "user", "department", "by")
    )
    assert list(logged) == [
        (RoleChangeKind.GRANTED, Role.APPROVER, approver.pk, department.pk, None),
        (RoleChangeKind.REVOKED, Role.APPROVER, approver.pk, department.pk, user_admin.pk),
    ]


@pytest.fixture
def entry(user_admin, center):
    officer = UserFactory(username="jiancha")
    membership_grant(user=officer, role=Role.SUPERVISION_OFFICER, center=center, by=user_admin)
    return RoleChange.objects.get(user=officer)


def test_the_role_log_is_shown_to_the_user_administrator(client, user_admin, entry):
    page = (
        login(client, user_admin)
        .get(reverse("admin:catalog_rolechange_changelist"))
        .content.decode()
    )

    assert "jiancha" in page
    assert "Supervision officer" in page
    assert reverse("admin:catalog_rolechange_add") not in page


def test_the_role_log_cannot_be_edited_added_to_or_deleted_in_the_admin(client, user_admin, entry):
    login(client, user_admin)
    change_url = reverse("admin:catalog_rolechange_change", args=[entry.pk])
    other = UserFactory()

    page = client.get(change_url)
    edit = client.post(change_url, {"user": other.pk, "role": Role.HANDLER, "change": "revoked"})
    add = client.post(
        reverse("admin:catalog_rolechange_add"),
        {"user": other.pk, "role": Role.APPROVER, "change": "granted", "at": "2026-01-01"},
    )
    delete = client.post(
        reverse("admin:catalog_rolechange_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:catalog_rolechange_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert 'name="user"' not in page.content.decode()
    assert (edit.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    # No delete action is offered: the changelist answers an unknown action with its page.
    assert bulk.status_code == 200
    assert list(
        RoleChange.objects.filter(user=entry.user).values_list("pk", "user", "role", "change")
    ) == [(entry.pk, entry.user_id, Role.SUPERVISION_OFFICER, RoleChangeKind.GRANTED)]


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda e: (setattr(e, "role", Role.HANDLER), e.save()), id="save"),
        pytest.param(lambda e: e.delete(), id="delete"),
        pytest.param(lambda e: RoleChange.objects.update(role=Role.HANDLER), id="update()"),
        pytest.param(lambda e: RoleChange.objects.all().delete(), id="queryset delete()"),
    ],
)
def test_the_orm_refuses_to_change_or_delete_the_role_log(entry, attempt):
    with pytest.raises(AppendOnly):
        attempt(entry)

    assert list(RoleChange.objects.filter(pk=entry.pk).values_list("role", flat=True)) == [
        Role.SUPERVISION_OFFICER
    ]
    assert RoleChange.objects.count() == 2  # the user administrator's own grant, and this


def test_an_account_named_in_the_role_log_cannot_be_deleted(entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.user.delete()

    assert RoleChange.objects.filter(pk=entry.pk).exists()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE catalog_rolechange SET role = 'handler'",
        "UPDATE catalog_rolechange SET by_id = NULL WHERE id = %s",
        "DELETE FROM catalog_rolechange",
        "DELETE FROM catalog_rolechange WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_the_role_log(entry, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk] if "%s" in sql else ())

    assert list(RoleChange.objects.filter(pk=entry.pk).values_list("role", "by")) == [
        (Role.SUPERVISION_OFFICER, entry.by_id)
    ]
    assert RoleChange.objects.count() == 2  # the user administrator's own grant, and this
