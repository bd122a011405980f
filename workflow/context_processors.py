"""Template context for every page."""

from catalog.roles import is_staff_member

from .calendar import missing_schedule_warning, shanghai_today


def calendar_warning(request) -> dict[str, str]:
    """``calendar_warning`` for staff when a year's holiday schedule is missing.

    Anonymous visitors and applicants cost no query; staff cost one (the roles are already
    cached on the user by ``catalog.context_processors.staff``).
    """
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return {}
    message = missing_schedule_warning(shanghai_today())
    return {"calendar_warning": message} if message else {}
