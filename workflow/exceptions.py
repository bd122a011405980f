"""Domain errors of the workflow. Views and API endpoints turn each into a message and a status."""

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """A request the workflow refuses; nothing was changed. ``status`` is the HTTP status to use."""

    status = 400
    default_message = _("This request cannot be carried out.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        self.fields: dict[str, list[str]] = {}
        super().__init__(str(self.message))

    def with_fields(self, fields: dict[str, list[str]]) -> "WorkflowError":
        """Attach the messages per input field, for forms and API error bodies."""
        self.fields = fields
        return self


class InvalidInput(WorkflowError):
    """Bad or missing input (a reason left empty, a bad file, a forged ID number)."""

    status = 400


class ActionForbidden(WorkflowError):
    """The user does not hold the role this action needs for this case."""

    status = 403
    default_message = _("You do not have the role this action needs for this case.")


class TransitionNotAllowed(WorkflowError):
    """The action does not apply to the case in its current state."""

    status = 409


class StaleCase(WorkflowError):
    """The form was filled in on an older state of the case."""

    status = 409
    default_message = _(
        "The case has changed since you opened this page; reload it and check before you act."
    )
