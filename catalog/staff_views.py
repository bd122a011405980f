"""Back-office pages of the catalog for staff members."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .roles import is_staff_member
from .stats import catalog_stats


def _chart_data(stats: dict) -> dict:
    """What the charts draw, labels already translated; json_script hands it to the page."""
    return {
        "categories": {
            "title": _("Items by category"),
            "data": [{"name": row["name"], "value": row["count"]} for row in stats["by_category"]],
        },
        "departments": {
            "title": _("Items by department"),
            "names": [row["name"] for row in stats["by_department"]],
            "counts": [row["count"] for row in stats["by_department"]],
            "series": _("Items"),
        },
        "limits": {
            "title": _("Average limits (working days)"),
            "labels": [_("Promised limit"), _("Statutory limit")],
            # Floats: the JSON encoder would write Decimals as strings.
            "values": [
                float(stats["average_promised_limit"]),
                float(stats["average_statutory_limit"]),
            ],
            "series": _("Working days"),
        },
    }


@login_required
def catalog_stats_page(request: HttpRequest) -> HttpResponse:
    """The catalog figures as cards, tables and charts; for any staff member."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    stats = catalog_stats()
    return render(
        request,
        "catalog/stats.html",
        {"stats": stats, "chart_data": _chart_data(stats)},
    )
