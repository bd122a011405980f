"""Who a user is to the supervision office's records, read once per request: the centers they
supervise (their own and every one below) and the departments they lead. The guards of urge
notices and corrections take it, so a list that asks them for every row asks the database once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .scope import leader_departments, officer_centers


@dataclass(frozen=True)
class Reach:
    centers: frozenset[int]
    departments: frozenset[int]

    @property
    def officer(self) -> bool:
        """Whether the user supervises any center."""
        return bool(self.centers)

    @property
    def reader(self) -> bool:
        """Whether the user may read any urge notice or correction at all."""
        return bool(self.centers or self.departments)


def reach_of(user: Any) -> Reach:
    """The centers ``user`` supervises and the departments they lead."""
    return Reach(centers=officer_centers(user), departments=leader_departments(user))
