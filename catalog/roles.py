"""Who holds which role. Every staff page and endpoint asks these questions and nothing else."""

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    RECORDED_ROLES,
    Department,
    Role,
    RoleChange,
    RoleChangeKind,
    ServiceCenter,
    StaffMembership,
)
from .models.organization import CENTER_ROLES

# Roles whose holders work in the admin site (is_staff); the others use the workbench.
ADMIN_SITE_ROLES = frozenset({Role.CATALOG_ADMINISTRATOR, Role.USER_ADMINISTRATOR})


class MembershipError(ValueError):
    pass


def user_roles(user) -> set[str]:
    """The roles the user holds anywhere (empty for anonymous users)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    cached = getattr(user, "_approval_roles", None)
    if cached is None:
        cached = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
        user._approval_roles = cached
    return cached


def is_staff_member(user) -> bool:
    """True for anyone holding at least one staff role (or a superuser)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user_roles(user))


def has_role(user, role: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or role in user_roles(user))
    )


def _forget_roles(user) -> None:
    # The roles kept on the user object by user_roles() and workflow.permissions.
    for attribute in ("_approval_roles", "_approval_memberships"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def _same_user(first, second) -> bool:
    return first is not None and second is not None and first.pk == second.pk


def membership_check(
    *,
    role: str,
    department: Department | None = None,
    center: ServiceCenter | None = None,
    user=None,
    by=None,
) -> None:
    """Refuse a membership held in the wrong place, or granted by its own holder, with a
    ``ValidationError`` naming the field.

    Center-wide roles (catalog administrator, user administrator, supervision officer, fee
    clerk) are held in a center; the others in a department. Nobody grants a role to
    themselves, a superuser included: every grant has a second person behind it. Forms ask this
    to show the refusal next to the field; ``membership_grant`` asks it before it writes.
    """
    if role not in Role.values:
        raise MembershipError(f"unknown role {role!r}")
    label = Role(role).label
    errors: dict[str, str] = {}
    if role in CENTER_ROLES:
        if center is None:
            errors["center"] = _(
                "A %(role)s works for a whole service center: choose the center."
            ) % {"role": label}
        if department is not None:
            errors["department"] = _(
                "A %(role)s works for a whole service center, not a department."
            ) % {"role": label}
    else:
        if department is None:
            errors["department"] = _("A %(role)s works in a department: choose the department.") % {
                "role": label
            }
        if center is not None:
            errors["center"] = _("A %(role)s works in a department, not for a whole center.") % {
                "role": label
            }
    if _same_user(user, by):
        errors["user"] = _(
            "You cannot grant a role to yourself: another user administrator must grant it."
        )
    if errors:
        raise ValidationError(errors)


def _record(*, change: str, membership: StaffMembership, by) -> None:
    if membership.role in RECORDED_ROLES:
        RoleChange.objects.create(
            at=timezone.now(),
            by=by,
            user=membership.user,
            change=change,
            role=membership.role,
            department=membership.department,
            center=membership.center,
        )


def membership_grant(
    *,
    user,
    role: str,
    department: Department | None = None,
    center: ServiceCenter | None = None,
    by=None,
) -> StaffMembership:
    """Give ``user`` a role in a department or a center, with the role's Django group.

    ``by`` is who grants it; ``None`` for the system (management commands, the demo loader).
    A new grant of a role in ``RECORDED_ROLES`` is written to the role log. Raises
    ``ValidationError`` (see ``membership_check``) for a role held in the wrong place or
    granted to oneself; nothing is written then.
    """
    membership_check(role=role, department=department, center=center, user=user, by=by)
    with transaction.atomic():
        membership, created = StaffMembership.objects.get_or_create(
            user=user, role=role, department=department, center=center
        )
        if created:
            _record(change=RoleChangeKind.GRANTED, membership=membership, by=by)
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
        if role in ADMIN_SITE_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    _forget_roles(user)
    return membership


def membership_revoke_check(*, membership: StaffMembership, by=None) -> None:
    """Refuse, with a ``ValidationError``, a user administrator taking their own role away.

    Otherwise the last one could leave the center with nobody to grant roles, and the role
    log would show a revocation nobody else agreed to. The admin asks this to decide whether
    to offer the deletion; ``membership_revoke`` asks it before it writes.
    """
    if membership.role == Role.USER_ADMINISTRATOR and _same_user(membership.user, by):
        raise ValidationError(
            _(
                "You cannot take away your own user administrator role: another user "
                "administrator must revoke it."
            )
        )


def membership_revoke(*, membership: StaffMembership, by=None) -> None:
    """Take a role away; the group goes too when the user holds the role nowhere else.

    ``by`` is who revokes it (``None`` for the system); a role in ``RECORDED_ROLES`` is written
    to the role log. Raises ``ValidationError`` (see ``membership_revoke_check``).
    """
    membership_revoke_check(membership=membership, by=by)
    user = membership.user
    with transaction.atomic():
        role = membership.role
        _record(change=RoleChangeKind.REVOKED, membership=membership, by=by)
        membership.delete()
        if not StaffMembership.objects.filter(user=user, role=role).exists():
            user.groups.remove(*Group.objects.filter(name=role))
            if role in ADMIN_SITE_ROLES and not user.is_superuser:
                still_admin = StaffMembership.objects.filter(
                    user=user, role__in=ADMIN_SITE_ROLES
                ).exists()
                if not still_admin and user.is_staff:
                    user.is_staff = False
                    user.save(update_fields=["is_staff"])
    _forget_roles(user)


__all__ = [
    "CENTER_ROLES",
    "MembershipError",
    "has_role",
    "is_staff_member",
    "membership_check",
    "membership_grant",
    "membership_revoke",
    "membership_revoke_check",
    "user_roles",
]
