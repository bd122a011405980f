"""The case's story in a citizen's words, shared by the hall's pages (tracking, "my cases").

Plain phrases per event: what happened, never who did it nor the staff's opinions. The reasons
an applicant is entitled to read (a supplement's materials, a suspension's procedure) are shown
by the pages from the notices and rows issued to them, not from the events.
"""

from django.utils.translation import gettext_lazy

from workflow.transitions import Action

# The timeline in the applicant's words: what happened, never who did it or why (the reasons
# and opinions are for the applicant's own account, not for anyone holding the code).
PUBLIC_EVENT_WORDS = {
    Action.SUBMIT: gettext_lazy("The application was received"),
    Action.WITHDRAW: gettext_lazy("The application was withdrawn"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("The applicant was asked to supplement materials"),
    Action.REJECT: gettext_lazy("The application was not accepted"),
    Action.ACCEPT: gettext_lazy("The application was accepted; the clock started"),
    Action.CLAIM_STEP: gettext_lazy("Work started on a step"),
    Action.COMPLETE_STEP: gettext_lazy("A step was completed"),
    Action.RETURN_STEP: gettext_lazy("A step was sent back to the previous one"),
    Action.SUSPEND: gettext_lazy("The clock was suspended for a special procedure"),
    Action.RESUME: gettext_lazy("The clock resumed"),
    Action.REQUEST_EXTENSION: gettext_lazy("An extension of the time limit was requested"),
    Action.APPROVE_EXTENSION: gettext_lazy("The extension request was decided"),
    Action.SUPPLY_DEFERRED: gettext_lazy("A pending material arrived"),
    Action.DECIDE: gettext_lazy("A decision was made"),
    Action.CHOOSE_DELIVERY: gettext_lazy("The way to receive the result was chosen"),
    Action.DELIVER: gettext_lazy("The result was delivered"),
    Action.REPROJECT: gettext_lazy("The due date moved with the official holiday schedule"),
}


def plain_words(action: str):
    """The plain phrase for an event's ``action``, or None for one the applicant is not shown."""
    try:
        return PUBLIC_EVENT_WORDS.get(Action(action))
    except ValueError:
        return None
