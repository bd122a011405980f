"""Who sees what in supervision: a supervision officer the alerts, urges and corrections of
their center and every center under it; a department's leader (approver, chief
representative) those of their own department. Built on the workflow's memberships, as the
workflow's own scope is."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from catalog.models import Role
from catalog.selectors import centers_under
from workflow.permissions import departments_staffed, memberships_of

from .models import Alert, Complaint, Correction, Rating, Rectification, Urge

LEADER_ROLES = frozenset({Role.APPROVER, Role.CHIEF_REPRESENTATIVE})


def officer_centers(user: Any) -> frozenset[int]:
    """The centers ``user`` supervises: where they are a supervision officer, and below."""
    own = {
        center
        for role, _department, center in memberships_of(user)
        if center and role == Role.SUPERVISION_OFFICER
    }
    return centers_under(own)


def leader_departments(user: Any) -> frozenset[int]:
    """The departments whose leader ``user`` is: they answer urges and appeal corrections."""
    return departments_staffed(user, roles=LEADER_ROLES)


def _scope(user: Any) -> Q | None:
    centers, departments = officer_centers(user), leader_departments(user)
    if not centers and not departments:
        return None
    scope = Q()
    if centers:
        scope |= Q(center_id__in=sorted(centers))
    if departments:
        scope |= Q(department_id__in=sorted(departments))
    return scope


def alerts_for(user: Any) -> QuerySet[Alert]:
    """The alerts ``user`` may read (none for anyone else), newest first."""
    scope = _scope(user)
    if scope is None:
        return Alert.objects.none()
    return Alert.objects.filter(scope).order_by("-raised_on", "-id")


def urges_for(user: Any) -> QuerySet[Urge]:
    """The urge notices ``user`` may read: sent within their tree, or to their department."""
    scope = _scope(user)
    if scope is None:
        return Urge.objects.none()
    return Urge.objects.filter(scope).order_by("-sent_at", "-id")


def corrections_for(user: Any) -> QuerySet[Correction]:
    """The corrections ``user`` may read."""
    scope = _scope(user)
    if scope is None:
        return Correction.objects.none()
    return Correction.objects.filter(scope).order_by("-recorded_at", "-id")


def ratings_for(user: Any) -> QuerySet[Rating]:
    """The ratings ``user`` may read as staff: an officer their tree's, a leader their
    department's; newest first."""
    scope = _scope(user)
    if scope is None:
        return Rating.objects.none()
    return Rating.objects.filter(scope).order_by("-rated_at", "-id")


def rectifications_for(user: Any) -> QuerySet[Rectification]:
    """The rectifications ``user`` may read as staff, newest first."""
    scope = _scope(user)
    if scope is None:
        return Rectification.objects.none()
    return Rectification.objects.filter(scope).order_by("-opened_on", "-id")


def complaints_for(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` may read as staff, newest first."""
    scope = _scope(user)
    if scope is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(scope).order_by("-filed_at", "-id")
