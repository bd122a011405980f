"""Monthly statistics of ratings (按月统计评议结果) per window, per staff member and per
department, as the user reads them: one grouped query over the ratings for each, served by the
indexes on (window, rated_on), (staff, rated_on) and (rated_on, department). Ratings excluded on
appeal are left out; the satisfaction rate is the share of ratings that are not poor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from catalog.models import Department, Window

from .scope import ratings_for


@dataclass
class Row:
    key: int
    label: str
    sublabel: str
    ratings: int
    poor: int

    @property
    def satisfaction(self) -> float | None:
        """The share of ratings that are not poor, in per cent (one decimal)."""
        if not self.ratings:
            return None
        return round((self.ratings - self.poor) * 100 / self.ratings, 1)


@dataclass
class MonthStatistics:
    first: date
    following: date
    windows: list[Row]
    staff: list[Row]
    departments: list[Row]

    @property
    def ratings(self) -> int:
        return sum(row.ratings for row in self.departments)

    @property
    def poor(self) -> int:
        return sum(row.poor for row in self.departments)

    @property
    def satisfaction(self) -> float | None:
        return Row(0, "", "", self.ratings, self.poor).satisfaction


def _grouped(user: Any, first: date, following: date, column: str) -> list[tuple[int, int, int]]:
    rows = (
        ratings_for(user)
        .filter(rated_on__gte=first, rated_on__lt=following, excluded=False)
        .filter(**{f"{column}__isnull": False})
        .order_by()
        .values(column)
        .annotate(ratings=Count("id"), poor=Count("id", filter=Q(poor=True)))
        .values_list(column, "ratings", "poor")
    )
    return list(rows)


def _ordered(rows: list[Row]) -> list[Row]:
    # The most ratings first; the label keeps the order stable.
    return sorted(rows, key=lambda row: (-row.ratings, row.label))


def month_statistics(*, user: Any, first: date, following: date) -> MonthStatistics:
    """The month's ratings, poor ratings and satisfaction per window, staff member and
    department that ``user`` reads, excluded ratings left out."""
    windows = _grouped(user, first, following, "window_id")
    staff = _grouped(user, first, following, "staff_id")
    departments = _grouped(user, first, following, "department_id")
    window_names = {
        window.pk: window
        for window in Window.objects.filter(pk__in=[k for k, _r, _p in windows]).select_related(
            "center"
        )
    }
    people = {
        person.pk: person
        for person in get_user_model().objects.filter(pk__in=[k for k, _r, _p in staff])
    }
    department_names = {
        department.pk: department
        for department in Department.objects.filter(
            pk__in=[k for k, _r, _p in departments]
        ).select_related("center")
    }
    return MonthStatistics(
        first=first,
        following=following,
        windows=_ordered(
            [
                Row(k, window_names[k].number, window_names[k].center.name, r, p)
                for k, r, p in windows
            ]
        ),
        staff=_ordered(
            [
                Row(k, people[k].get_full_name() or people[k].get_username(), "", r, p)
                for k, r, p in staff
            ]
        ),
        departments=_ordered(
            [
                Row(k, department_names[k].name, department_names[k].center.name, r, p)
                for k, r, p in departments
            ]
        ),
    )
