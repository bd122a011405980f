"""Two people acknowledging one alert at the same instant, on PostgreSQL: the row lock lets one
through; the other is told it was already acknowledged, and the first note stays."""

import pytest
from django.db import connection

from catalog.models import Role
from supervision.models import Alert
from supervision.services import alert_acknowledge
from tests.factories.catalog import staff_user
from tests.factories.supervision import AlertFactory
from tests.supervision.trees import center_tree
from tests.workflow.test_concurrency import at_once
from workflow.exceptions import TransitionNotAllowed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under real concurrency need PostgreSQL (set DATABASE_URL to one)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_of_many_acknowledging_at_once_one_wins_and_the_rest_are_refused():
    tree = center_tree()
    alert = AlertFactory(department=tree.county_department)
    people = [tree.city_officer, tree.county_officer] + [
        staff_user(Role.APPROVER, department=tree.county_department) for _ in range(6)
    ]

    outcomes = at_once(
        lambda user: alert_acknowledge(alert=alert, by=user, note=f"{user.username} 已阅"), people
    )

    won = [o for o in outcomes if isinstance(o, Alert)]
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert len(won) == 1 and len(refused) == len(people) - 1
    stored = Alert.objects.get(pk=alert.pk)
    assert stored.acknowledged_by_id == won[0].acknowledged_by_id
    assert stored.acknowledgement == won[0].acknowledgement
