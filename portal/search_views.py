"""The online hall's item search (/items/): by words, code, pinyin, and the catalog's facets."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from catalog.api.filters import APPLICANT_TYPES_ACCEPTED
from catalog.models import ApplicantType, Department, ItemCategory, ProcessingType
from catalog.selectors import published_versions_near, published_versions_search

RESULTS_PER_PAGE = 20


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("Any department"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ItemCategory.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any category"),
    )
    applicant_type = forms.ChoiceField(
        label=_("Who applies"),
        choices=[
            ("", _("Anyone")),
            (ApplicantType.NATURAL, _("Natural person")),
            (ApplicantType.LEGAL, _("Legal person")),
        ],
        required=False,
    )
    processing_type = forms.ChoiceField(
        label=_("Processing type"),
        choices=[("", _("Any type")), *ProcessingType.choices],
        required=False,
    )
    online = forms.BooleanField(label=_("Can be applied for online"), required=False)


def item_search(request):
    """Current items matching the words and filters, ranked and paginated; near matches if none."""
    form = ItemSearchForm(request.GET or None)
    results, suggestions, status = [], [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        applicant_type = data.get("applicant_type")
        query = data.get("q") or ""
        results = published_versions_search(
            query=query,
            department=data.get("department"),
            category=data.get("category"),
            processing_type=data.get("processing_type") or "",
            applicant_types=APPLICANT_TYPES_ACCEPTED[applicant_type] if applicant_type else None,
            online_only=bool(data.get("online")),
        )
        if not results and query:
            suggestions = published_versions_near(query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "portal/guides/search.html",
        {
            "form": form,
            "page": page,
            "suggestions": suggestions,
            "query": query_string.urlencode(),
            "searched": form.is_bound,
        },
        status=status,
    )
