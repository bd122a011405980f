"""Who hears of an urge notice or a correction: the leaders of the department concerned (its
approvers, its chief representative and its head) and the supervision officers whose tree holds
its center (the center's own and those of every center above it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from catalog.models import Role, ServiceCenter

from .scope import LEADER_ROLES


def department_leaders(department_id: int) -> list:
    """The active leaders of the department and its head, each once; one query."""
    users = get_user_model().objects.filter(
        Q(memberships__department_id=department_id, memberships__role__in=sorted(LEADER_ROLES))
        | Q(headed_departments__pk=department_id),
        is_active=True,
    )
    return list(users.distinct().order_by("pk"))


def centers_above(center_id: int) -> frozenset[int]:
    """The center and every center above it (town → county → city); one query over the small
    table of centers, as ``catalog.selectors.centers_under`` reads it."""
    parents = dict(ServiceCenter.objects.values_list("pk", "parent_id"))
    found: set[int] = set()
    current: int | None = center_id
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return frozenset(found)


def tree_officers(center_id: int) -> list:
    """The active supervision officers whose tree holds ``center_id``, each once."""
    users = get_user_model().objects.filter(
        memberships__role=Role.SUPERVISION_OFFICER,
        memberships__center_id__in=sorted(centers_above(center_id)),
        is_active=True,
    )
    return list(users.distinct().order_by("pk"))
