import factory

from workflow.models import CalendarDay, CalendarYear


class CalendarYearFactory(factory.django.DjangoModelFactory):
    """A year entered by an administrator from the State Council notice."""

    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2026
    source = factory.LazyAttribute(lambda o: f"国务院办公厅关于{o.year}年部分节假日安排的通知")


class CalendarDayFactory(factory.django.DjangoModelFactory):
    """A holiday on a weekday by default; pass ``is_workday=True`` and a weekend date for 调休."""

    class Meta:
        model = CalendarDay

    year = factory.SubFactory(CalendarYearFactory, year=factory.SelfAttribute("..date.year"))
    is_workday = False
    name = "国庆节"
