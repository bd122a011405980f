"""The public online hall. For now: the home page, a searchable list of the published item guides."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from catalog.api.filters import ItemVersionFilter
from catalog.selectors import published_versions

ITEMS_PER_PAGE = 20


def home(request):
    """Published items, filtered by the same filter set as the public API; bad filters show errors."""
    item_filter = ItemVersionFilter(request.GET or None, queryset=published_versions())
    # The filter's labels describe the API's query parameters; the error summary names the
    # fields as the hall's form labels them.
    item_filter.form.fields["q"].label = _("Search")
    item_filter.form.fields["applicant_type"].label = _("Who applies")
    versions = (
        item_filter.qs if item_filter.is_bound and item_filter.is_valid() else published_versions()
    )
    if item_filter.is_bound and not item_filter.is_valid():
        versions = versions.none()
    page = Paginator(versions, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/home.html",
        {"filter": item_filter, "page": page, "query": query.urlencode()},
        status=400 if item_filter.is_bound and not item_filter.is_valid() else 200,
    )
