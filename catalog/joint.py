"""The one write path for opening and closing a joint item (联办件) for applications.

Closing stops new intakes at the lead window at once; the joint cases already taken in go on to
their decision on the clock they started on, since the applicants were promised that. Opening
needs the joint item to be ready: at least two published items, of at least two departments,
one of them the lead department's.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import JointItem
from .versions import guides_changed

logger = logging.getLogger(__name__)


def joint_item_set_active(
    *, joint_item: JointItem, active: bool, by: AbstractBaseUser | None
) -> JointItem:
    """Open (``active=True``) or close ``joint_item`` for new applications; the stored row.

    Opening a joint item that is not ready raises ``ValidationError`` with each problem;
    nothing changes then. Closing is always allowed. Setting the state it already has is a
    no-op.
    """
    with transaction.atomic():
        locked = JointItem.objects.select_for_update().get(pk=joint_item.pk)
        if active:
            problems = locked.problems()
            if problems:
                raise ValidationError(problems)
        if locked.active != active:
            locked.active = active
            locked.save(update_fields=["active"])
            transaction.on_commit(guides_changed)
            logger.info("joint item %s %s by %s", locked.code, "opened" if active else "closed", by)
    joint_item.active = locked.active
    return locked
