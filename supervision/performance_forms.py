"""The filters of the performance pages: the month (or a period on demand), the kind of line
and the center; and the public page's month and center."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import ServiceCenter
from workflow.exceptions import InvalidInput
from workflow.forms import DateInput

from .models.performance import PerformanceMonth, ReportKind
from .performance import add_months, month_start, parse_month
from .performance_views_data import MonthChoice

# A period asked for on demand spans at most this many days.
PERIOD_DAYS_MAX = 366


def _month_label(choice: MonthChoice) -> str:
    if choice.state == "closed":
        return str(
            _("%(month)s · closed %(day)s")
            % {"month": choice.value, "day": f"{choice.closed_at:%Y-%m-%d}"}
        )
    if choice.state == "provisional":
        return str(_("%(month)s · provisional") % {"month": choice.value})
    return str(_("%(month)s · not closed yet") % {"month": choice.value})


class ReportFilterForm(forms.Form):
    month = forms.CharField(label=_("Month"), required=False, max_length=7)
    kind = forms.ChoiceField(
        label=_("Lines"), required=False, choices=ReportKind.choices, initial=ReportKind.DEPARTMENT
    )
    center = forms.TypedChoiceField(
        label=_("Service center"), required=False, coerce=int, empty_value=None
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(
        self,
        data,
        *,
        months: list[MonthChoice],
        centers: list[ServiceCenter],
        leader: bool = False,
    ) -> None:
        super().__init__(data)
        self.months = {choice.value: choice for choice in months}
        self.month_options = [(c.value, _month_label(c)) for c in months]
        self.fields["center"].choices = [("", _("All my centers"))] + [
            (center.pk, center.name) for center in centers
        ]
        if leader:
            # A leader reads their department's line: no other kind, no center to choose.
            del self.fields["center"]

    def clean_month(self) -> date | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        try:
            return parse_month(value)
        except InvalidInput as error:
            raise forms.ValidationError(str(error.message)) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            field = "end" if start else "start"
            self.add_error(field, _("Give both days of the period, or neither."))
        elif start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days >= PERIOD_DAYS_MAX:
                self.add_error("end", _("A period spans a year at most."))
        data["kind"] = data.get("kind") or ReportKind.DEPARTMENT
        return data

    def month_choice(self, today: date) -> MonthChoice:
        """The month picked (one older than the picker's is looked up), or the running month."""
        month = self.cleaned_data.get("month") if self.is_bound and self.is_valid() else None
        current = month_start(today)
        if month is None or month > current:
            month = current
        found = self.months.get(f"{month:%Y-%m}")
        if found is None:
            closed = PerformanceMonth.objects.filter(month=month).first()
            found = (
                MonthChoice(month, "closed", closed.closed_at)
                if closed
                else MonthChoice(month, "provisional" if month == current else "open")
            )
            self.months[found.value] = found
            self.month_options.append((found.value, _month_label(found)))
        return found


class PublicFilterForm(forms.Form):
    center = forms.TypedChoiceField(
        label=_("Service center"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, centers: list[ServiceCenter]) -> None:
        super().__init__(data)
        self.fields["center"].choices = [("", _("The whole city"))] + [
            (center.pk, center.name) for center in centers
        ]


def public_months(today: date) -> tuple[date, date]:
    """This month and last month."""
    current = month_start(today)
    return current, add_months(current, -1)
