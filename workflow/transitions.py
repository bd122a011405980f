"""Which action may happen in which state, to which state, and who may take it.

The services in ``workflow/services.py`` check every action against these tables before they
write anything; tests walk the whole table, allowed and forbidden.
"""

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Role

from .exceptions import TransitionNotAllowed
from .models import CaseStatus as S
from .models import JointCaseStatus as J


class Action(StrEnum):
    """Actions on a case; the values are also the API's action names and the events' names."""

    CREATE = "create"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_SUPPLEMENT = "request-supplement"
    REJECT = "reject"
    ACCEPT = "accept"
    CLAIM_STEP = "claim-step"
    COMPLETE_STEP = "complete-step"
    RETURN_STEP = "return-step"
    SUSPEND = "suspend"
    RESUME = "resume"
    REQUEST_EXTENSION = "request-extension"
    APPROVE_EXTENSION = "approve-extension"
    SUPPLY_DEFERRED = "supply-deferred"
    DECIDE = "decide"
    RECORD_FEE = "record-fee"
    CHOOSE_DELIVERY = "choose-delivery"
    DELIVER = "deliver"
    # Not taken by anyone: the due dates were measured again after the holiday schedule
    # changed (workflow.services.reprojection). The status stays what it was.
    REPROJECT = "reproject"


# Action → (states it applies in, state it leads to; None keeps the state).
TRANSITIONS: dict[Action, tuple[frozenset[str], str | None]] = {
    Action.SUBMIT: (frozenset({S.DRAFT, S.NEEDS_SUPPLEMENT}), S.SUBMITTED),
    Action.WITHDRAW: (
        frozenset({S.DRAFT, S.SUBMITTED, S.NEEDS_SUPPLEMENT, S.ACCEPTED, S.IN_PROGRESS}),
        S.WITHDRAWN,
    ),
    Action.REQUEST_SUPPLEMENT: (frozenset({S.SUBMITTED}), S.NEEDS_SUPPLEMENT),
    Action.REJECT: (frozenset({S.SUBMITTED}), S.REJECTED),
    Action.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    Action.CLAIM_STEP: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IN_PROGRESS),
    Action.COMPLETE_STEP: (frozenset({S.IN_PROGRESS}), None),
    Action.RETURN_STEP: (frozenset({S.IN_PROGRESS}), None),
    Action.SUSPEND: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), None),
    Action.RESUME: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), None),
    Action.REQUEST_EXTENSION: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), None),
    Action.APPROVE_EXTENSION: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), None),
    Action.SUPPLY_DEFERRED: (frozenset({S.ACCEPTED, S.IN_PROGRESS}), None),
    Action.DECIDE: (frozenset({S.IN_PROGRESS}), S.DECIDED),
    Action.RECORD_FEE: (frozenset({S.DECIDED}), None),
    Action.CHOOSE_DELIVERY: (frozenset({S.DECIDED}), None),
    Action.DELIVER: (frozenset({S.DECIDED}), S.COMPLETED),
}

# The applicant (the case's own account) may take these; window staff take them for walk-ins.
APPLICANT_ACTIONS = frozenset(
    {Action.SUBMIT, Action.WITHDRAW, Action.SUPPLY_DEFERRED, Action.CHOOSE_DELIVERY}
)

# Staff roles, within the case's department (the fee clerk: within its center), per action.
# Step actions are checked against the role the step names, not against this table.
WINDOW = frozenset({Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE})
BACK_OFFICE = frozenset({Role.HANDLER, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE})
STAFF_ROLES: dict[Action, frozenset[str]] = {
    Action.SUBMIT: WINDOW,
    Action.WITHDRAW: WINDOW,
    Action.SUPPLY_DEFERRED: WINDOW,
    Action.REQUEST_SUPPLEMENT: WINDOW,
    Action.REJECT: WINDOW,
    Action.ACCEPT: WINDOW,
    Action.SUSPEND: BACK_OFFICE,
    Action.RESUME: BACK_OFFICE,
    Action.REQUEST_EXTENSION: frozenset({Role.HANDLER, Role.CHIEF_REPRESENTATIVE}),
    # Art. 42: the extension is approved by the head of the administrative organ.
    Action.APPROVE_EXTENSION: frozenset({Role.APPROVER}),
    Action.RECORD_FEE: frozenset({Role.FEE_CLERK}),
    # The window records a choice the applicant made by phone or at the counter.
    Action.CHOOSE_DELIVERY: WINDOW,
    Action.DELIVER: WINDOW,
}


class JointAction(StrEnum):
    """Status changes of a joint case; the values are its events' names."""

    OPEN = "open"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    # The joint clock measured again after the holiday schedule changed; the status stays.
    REPROJECT = "reproject"


# A joint case is opened at the lead window, decided when every sub-case is decided (or some
# withdrawn), and withdrawn when all its sub-cases are.
JOINT_TRANSITIONS: dict[JointAction, tuple[frozenset[str], str]] = {
    JointAction.DECIDE: (frozenset({J.OPEN}), J.DECIDED),
    JointAction.WITHDRAW: (frozenset({J.OPEN}), J.WITHDRAWN),
}


def check_joint_transition(action: JointAction, status: str) -> str:
    """The state a joint case goes to; ``TransitionNotAllowed`` when ``action`` does not apply."""
    sources, target = JOINT_TRANSITIONS[action]
    if status not in sources:
        raise TransitionNotAllowed(
            _("The joint case is %(status)s already.") % {"status": str(J(status).label).lower()}
        )
    return target


def check_transition(action: Action, status: str) -> str:
    """The state ``action`` leads to from ``status``; ``TransitionNotAllowed`` if it does not apply."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the case is %(status)s.")
            % {"action": action_label(action), "status": str(S(status).label).lower()}
        )
    return target or status


def action_label(action: Action) -> str:
    """The action's name in the user's language."""
    return str(ACTION_LABELS[action])


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("create"),
    Action.SUBMIT: gettext_lazy("submit"),
    Action.WITHDRAW: gettext_lazy("withdraw"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("request supplement"),
    Action.REJECT: gettext_lazy("reject at intake"),
    Action.ACCEPT: gettext_lazy("accept"),
    Action.CLAIM_STEP: gettext_lazy("claim step"),
    Action.COMPLETE_STEP: gettext_lazy("complete step"),
    Action.RETURN_STEP: gettext_lazy("send step back"),
    Action.SUSPEND: gettext_lazy("suspend the clock"),
    Action.RESUME: gettext_lazy("resume the clock"),
    Action.REQUEST_EXTENSION: gettext_lazy("request extension"),
    Action.APPROVE_EXTENSION: gettext_lazy("decide on extension"),
    Action.SUPPLY_DEFERRED: gettext_lazy("supply pending material"),
    Action.DECIDE: gettext_lazy("decide"),
    Action.RECORD_FEE: gettext_lazy("record fee"),
    Action.CHOOSE_DELIVERY: gettext_lazy("choose how to receive the result"),
    Action.DELIVER: gettext_lazy("deliver"),
    Action.REPROJECT: gettext_lazy("due dates moved with the holiday schedule"),
}
