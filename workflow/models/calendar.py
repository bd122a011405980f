"""The working-day calendar: the years whose official schedule is loaded and their exception days."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule (State Council notice) is loaded.

    Dates in a year without a row here are computed as Monday–Friday and flagged as unknown.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        help_text=_(
            "Where the schedule comes from, e.g. the State Council notice or chinese-calendar."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a holiday on a weekday or a make-up workday (调休) on a weekend."""

    year = models.ForeignKey(
        CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self) -> None:
        if self.date is None:
            return
        if self.year_id and self.date.year != self.year.year:
            raise ValidationError(
                {
                    "date": _("This date does not belong to the year %(year)s.")
                    % {"year": self.year.year}
                }
            )
        weekend = self.date.weekday() >= 5
        if self.is_workday and not weekend:
            raise ValidationError(
                {
                    "is_workday": _(
                        "%(date)s is a weekday and already a working day; only weekend make-up days need an entry."
                    )
                    % {"date": self.date}
                }
            )
        if not self.is_workday and weekend:
            raise ValidationError(
                {
                    "is_workday": _(
                        "%(date)s is a weekend day and already a rest day; only holidays on weekdays need an entry."
                    )
                    % {"date": self.date}
                }
            )
