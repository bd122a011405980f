"""Admin pages for the working-day calendar.

Catalog administrators add a new year's State Council schedule here: one CalendarYear and, in
the same form, its holidays on weekdays and make-up working days on weekends. Every save and
delete tells ``workflow.calendar.calendar_changed`` which days changed, so every process reads
the new calendar and the open due dates measured on those days are re-projected.
"""

from datetime import date

from django.contrib import admin
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .calendar import calendar_changed
from .models import CalendarDay, CalendarYear

# The fields of a day that decide whether it is a working day; its name decides nothing.
_STATUS_FIELDS = {"date", "is_workday"}


def _changed_dates(form) -> list[date]:
    """The dates whose working-day status a day's form changed: its old and its new date."""
    if not form.has_changed() or not _STATUS_FIELDS & set(form.changed_data):
        return []
    return [d for d in (form.initial.get("date"), form.cleaned_data.get("date")) if d]


def _reason(year: int) -> str:
    return gettext("The holiday schedule for %(year)s was changed in the administration.") % {
        "year": year
    }


class CalendarDayFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # CalendarDay.clean() checks the date against its year only once the year is saved;
        # when the year is added together with its days it is not yet, so check here too.
        year = self.instance.year
        if year is None:
            return
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day is None or form.cleaned_data.get("DELETE"):
                continue
            if day.year != year:
                form.add_error(
                    "date",
                    _("This date does not belong to the year %(year)s.") % {"year": year},
                )


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ("date", "is_workday", "name")
    extra = 3
    ordering = ("date",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "makeup_day_count", "updated_at")
    search_fields = ("year", "source")
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holidays=Count("days", filter=Q(days__is_workday=False)),
                makeup_days=Count("days", filter=Q(days__is_workday=True)),
            )
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        days: list[date] = []
        for formset in formsets:
            deleted = set(formset.deleted_forms)
            for day_form in formset.forms:
                if day_form in deleted:
                    days += [d for d in (day_form.initial.get("date"),) if d]
                elif hasattr(day_form, "cleaned_data"):
                    days += _changed_dates(day_form)
        calendar_changed(days=days, reason=_reason(form.instance.year))

    def delete_model(self, request, obj: CalendarYear) -> None:
        days = list(obj.days.values_list("date", flat=True))
        super().delete_model(request, obj)
        calendar_changed(days=days, reason=_reason(obj.year))

    def delete_queryset(self, request, queryset) -> None:
        rows = list(CalendarDay.objects.filter(year__in=queryset).values_list("date", flat=True))
        years = sorted(queryset.values_list("year", flat=True))
        super().delete_queryset(request, queryset)
        for year in years:
            calendar_changed(days=[d for d in rows if d.year == year], reason=_reason(year))

    @admin.display(description=_("holidays on weekdays"), ordering="holidays")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.holidays  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description=_("make-up working days"), ordering="makeup_days")
    def makeup_day_count(self, obj: CalendarYear) -> int:
        return obj.makeup_days  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_workday", "name", "year")
    list_filter = ("year", "is_workday")
    search_fields = ("name",)
    date_hierarchy = "date"
    list_select_related = ("year",)

    def save_model(self, request, obj: CalendarDay, form, change) -> None:
        super().save_model(request, obj, form, change)
        days = _changed_dates(form) if change else [obj.date]
        calendar_changed(days=days, reason=_reason(obj.date.year))

    def delete_model(self, request, obj: CalendarDay) -> None:
        super().delete_model(request, obj)
        calendar_changed(days=[obj.date], reason=_reason(obj.date.year))

    def delete_queryset(self, request, queryset) -> None:
        days = sorted(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        for year in sorted({d.year for d in days}):
            calendar_changed(days=[d for d in days if d.year == year], reason=_reason(year))

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        # Django's own translated day names, so the column follows the page language.
        return WEEKDAYS[obj.date.weekday()]
