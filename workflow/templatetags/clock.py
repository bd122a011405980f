"""Template filters for showing the clock."""

from django import template

register = template.Library()


@register.filter
def overdue_days(workdays_left: int | None) -> int:
    """The working days a due date has passed by (``workdays_left`` is negative then)."""
    if workdays_left is None or workdays_left >= 0:
        return 0
    return -workdays_left
