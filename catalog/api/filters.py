"""Filters of the public item list. An unknown value is a 400 with the field's message."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import ApplicantType, Department, ItemCategory, ItemVersion, ProcessingType

# Who may apply, as the applicant sees it: a natural person may apply for items open to natural
# persons and for those open to both; the same for legal persons.
APPLICANT_TYPES_ACCEPTED = {
    ApplicantType.NATURAL: [ApplicantType.NATURAL, ApplicantType.BOTH],
    ApplicantType.LEGAL: [ApplicantType.LEGAL, ApplicantType.BOTH],
    ApplicantType.BOTH: [ApplicantType.BOTH],
}


class ItemVersionFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="department",
        to_field_name="code",
        queryset=Department.objects.all(),
        label=_("Department code"),
    )
    category = django_filters.ModelChoiceFilter(
        field_name="category",
        to_field_name="code",
        queryset=ItemCategory.objects.all(),
        label=_("Category code"),
    )
    processing_type = django_filters.ChoiceFilter(
        choices=ProcessingType.choices, label=_("Processing type")
    )
    applicant_type = django_filters.ChoiceFilter(
        choices=ApplicantType.choices,
        method="filter_applicant_type",
        label=_(
            "Who applies: natural gives the items natural persons may apply for (natural or "
            "both), legal those for legal persons (legal or both), both those open to both."
        ),
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=200, label=_("Text in the item's name or code")
    )

    class Meta:
        model = ItemVersion
        fields = ["department", "category", "processing_type", "applicant_type", "q"]

    def filter_applicant_type(
        self, queryset: QuerySet[ItemVersion], name: str, value: str
    ) -> QuerySet[ItemVersion]:
        return queryset.filter(applicant_type__in=APPLICANT_TYPES_ACCEPTED[value])

    def filter_q(
        self, queryset: QuerySet[ItemVersion], name: str, value: str
    ) -> QuerySet[ItemVersion]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(item__code__icontains=value))
