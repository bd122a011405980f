"""Admin pages for the working-day calendar.

Catalog administrators add a new year's State Council schedule here: one CalendarYear and, in
the same form, its holidays on weekdays and make-up working days on weekends.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear


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

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        # Django's own translated day names, so the column follows the page language.
        return WEEKDAYS[obj.date.weekday()]
