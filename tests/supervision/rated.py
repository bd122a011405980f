"""Building blocks for the tests of the staff side of ratings: the supervised office of
``tests.supervision.office`` with an item whose cases can be completed, a window of the county's
department where its clerk hands results over, and ratings given through ``rating_submit`` on
completed cases, so that a poor one opens a real rectification."""

from __future__ import annotations

from datetime import date

from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from supervision.models import Rating, RatingChannel
from supervision.ratings import rating_submit
from tests.factories.catalog import WindowFactory
from tests.factories.workflow import at
from tests.factories.workflow_states import case_in_state, procedure_item
from tests.supervision.office import MONDAY, Office, supervised_office
from workflow.models import CaseStatus


def rated_office() -> Office:
    """The supervised office; its department's version can be completed, and its clerk sits at
    window 01 of the county."""
    office = supervised_office()
    office.version = procedure_item(department=office.department)
    window = WindowFactory(center=office.county, number="01")
    window.departments.add(office.department)
    window.clerks.add(office.staff.clerk)
    office.window = window  # type: ignore[attr-defined]
    return office


def rated(office: Office, level: int = 1, *, day: date = MONDAY, comment: str = "") -> Rating:
    """A case of the office completed on ``day`` and rated ``level`` (five levels; 1 and 2 are
    poor) online by its applicant the same afternoon."""
    case = case_in_state(CaseStatus.COMPLETED, office.version, office.staff, now=at(day))
    return rating_submit(
        case=case,
        level=level,
        channel=RatingChannel.ONLINE,
        by=case.applicant,
        comment=comment or ("窗口人员态度生硬" if level <= 2 else ""),
        now=at(day, 15),
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client_for(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
