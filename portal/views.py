"""The public online hall: the home page, the item list and the center's news."""

from django.core.cache import cache
from django.shortcuts import render

from catalog.selectors import (
    active_joint_items,
    departments_with_published_counts,
    published_versions,
)
from workflow.calendar import shanghai_today
from workflow.paging import keyset_page
from workflow.selectors import month_figures, most_requested_items

from .models import ThemeAudience
from .selectors import (
    announcement_get_published,
    announcements_published,
    theme_get,
    theme_versions,
    themes_with_published_counts,
)

ITEMS_PER_PAGE = 20
NEWS_PER_PAGE = 20
HOME_ANNOUNCEMENTS = 5
# The home page's figures change slowly and every visitor asks for them: a few minutes old is
# fine, and the case table is read at most once per period whatever the traffic.
HOME_FIGURES_SECONDS = 5 * 60


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, HOME_FIGURES_SECONDS)
    return value


def home(request):
    """The hall's front door: search, departments, themes, joint items, the most requested
    items, this month's figures and the latest notices."""
    today = shanghai_today()
    themes = list(themes_with_published_counts())
    figures = _cached(f"portal:home:figures:{today}", lambda: month_figures(today=today))
    figures["items"] = _cached("portal:home:published-items", lambda: published_versions().count())
    return render(
        request,
        "portal/home.html",
        {
            "departments": [d for d in departments_with_published_counts() if d.published_items],
            "person_themes": [t for t in themes if t.audience == ThemeAudience.PERSON],
            "business_themes": [t for t in themes if t.audience == ThemeAudience.BUSINESS],
            "joint_items": active_joint_items(),
            "most_requested": _cached(
                f"portal:home:most-requested:{today}",
                lambda: most_requested_items(today=today),
            ),
            "figures": figures,
            "announcements": announcements_published()[:HOME_ANNOUNCEMENTS],
        },
    )


def theme_detail(request, theme_id: int):
    """A theme's items (a life event such as 开办企业), each with its guide."""
    theme = theme_get(theme_id)
    return render(
        request,
        "portal/themes/detail.html",
        {"theme": theme, "versions": theme_versions(theme)},
    )


def news_list(request):
    """The center's notices, pinned first then newest, in keyset pages."""
    page = keyset_page(
        announcements_published(),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=NEWS_PER_PAGE,
    )
    return render(request, "portal/news/list.html", {"page": page})


def news_detail(request, announcement_id: int):
    """One published notice; unknown and unpublished ones are not found."""
    return render(
        request,
        "portal/news/detail.html",
        {"announcement": announcement_get_published(announcement_id)},
    )
