"""The site's navigation, shaped by the roles a person holds.

Each role has its own entries; a person holding several roles sees their union, in the order
of the table below, each entry once. Anonymous visitors and applicants see the online hall's
entries only. The entries say where a role works; whether an action is allowed is still asked
of ``workflow.permissions`` by the page itself.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Role
from catalog.roles import is_staff_member, user_roles

# The cookie that remembers the elderly-friendly mode (适老化): larger type and controls,
# higher contrast. A preference of the device, not of an account: it works logged out.
ELDERLY_COOKIE = "elderly_mode"


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    icon: str
    query: str = ""

    def href(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


HOME = Entry("staff-home", _("Start"), "house")
INTAKE = Entry("workbench-intake", _("Window intake"), "box-arrow-in-down")
PREREVIEW = Entry("workbench-prereview", _("Pre-review"), "inboxes")
COUNTER_TODAY = Entry("workbench-counter", _("Today at the counter"), "calendar-day")
DELIVERY = Entry("workbench-delivery", _("To deliver"), "send-check")
JOINT = Entry("workbench-joint-cases", _("Joint cases"), "diagram-3")
TASKS = Entry("workbench-tasks", _("My tasks"), "check2-square")
QUEUE = Entry("workbench-queue", _("Department queue"), "list-task")
EXTENSIONS = Entry("workbench-extensions", _("Extension approvals"), "hourglass-split")
OVERDUE = Entry("workbench-cases", _("Overdue"), "exclamation-octagon", "due=overdue")
FEES = Entry("workbench-fees", _("Fees to record"), "cash-coin")
CONSULTATIONS = Entry("staff-consultations", _("Consultations"), "chat-left-text")
CASES = Entry("workbench-cases", _("All cases"), "search")
CATALOG = Entry("admin:catalog_approvalitem_changelist", _("Catalog"), "journal-text")
CALENDAR = Entry("admin:workflow_calendaryear_changelist", _("Calendar"), "calendar3")
STATISTICS = Entry("catalog-stats", _("Statistics"), "bar-chart")
USERS = Entry("admin:auth_user_changelist", _("Users and roles"), "people")
MONITORING = Entry("supervision-room", _("Monitoring room"), "display")
ALERTS = Entry("supervision-alerts", _("Alerts"), "exclamation-triangle")
URGES = Entry("supervision-urges", _("Urge notices"), "megaphone")
CORRECTIONS = Entry("supervision-corrections", _("Corrections"), "clipboard-check")
RATINGS = Entry("supervision-ratings", _("Ratings"), "star-half")
RECTIFICATIONS = Entry("supervision-rectifications", _("Rectifications"), "tools")
COMPLAINTS = Entry("supervision-complaints", _("Complaints"), "chat-square-dots")
RECORD_COMPLAINT = Entry("supervision-complaint-new", _("Record a complaint"), "telephone-plus")
PERFORMANCE = Entry("supervision-performance", _("Performance"), "trophy")

ROLE_ENTRIES: dict[str, tuple[Entry, ...]] = {
    Role.WINDOW_CLERK: (
        INTAKE,
        PREREVIEW,
        COUNTER_TODAY,
        DELIVERY,
        JOINT,
        CONSULTATIONS,
        CASES,
        RECORD_COMPLAINT,
    ),
    Role.CHIEF_REPRESENTATIVE: (
        INTAKE,
        PREREVIEW,
        TASKS,
        QUEUE,
        DELIVERY,
        CONSULTATIONS,
        ALERTS,
        CASES,
        URGES,
        CORRECTIONS,
        RATINGS,
        RECTIFICATIONS,
        COMPLAINTS,
        PERFORMANCE,
    ),
    Role.HANDLER: (TASKS, QUEUE, CASES),
    Role.REVIEWER: (TASKS, QUEUE, CASES),
    Role.APPROVER: (
        TASKS,
        QUEUE,
        EXTENSIONS,
        OVERDUE,
        ALERTS,
        CASES,
        URGES,
        CORRECTIONS,
        RATINGS,
        RECTIFICATIONS,
        COMPLAINTS,
        PERFORMANCE,
    ),
    Role.FEE_CLERK: (FEES, CASES),
    Role.SUPERVISION_OFFICER: (
        MONITORING,
        ALERTS,
        URGES,
        CORRECTIONS,
        RATINGS,
        RECTIFICATIONS,
        COMPLAINTS,
        PERFORMANCE,
        CASES,
    ),
    Role.CATALOG_ADMINISTRATOR: (CATALOG, CALENDAR, STATISTICS),
    Role.USER_ADMINISTRATOR: (USERS,),
}


def _installed(entry: Entry) -> bool:
    try:
        entry.href()
    except NoReverseMatch:
        return False
    return True


def entries_for(roles: set[str], *, superuser: bool = False) -> list[Entry]:
    """The navigation entries of a person holding ``roles``: the start page, then the union of
    the roles' entries in the table's order, each once. An entry whose page is not installed
    (its URL name unknown) is left out rather than breaking every page."""
    held = set(ROLE_ENTRIES) if superuser else roles
    entries = [HOME]
    for role, role_entries in ROLE_ENTRIES.items():
        if role not in held:
            continue
        for entry in role_entries:
            if entry not in entries and _installed(entry):
                entries.append(entry)
    return entries


def _is_current(entry_href: str, path: str, full_path: str) -> bool:
    if "?" in entry_href:
        return full_path == entry_href
    if entry_href == reverse("staff-home"):
        return path == entry_href
    return path.startswith(entry_href) and "?" not in full_path.removeprefix(path)


def elderly_mode_on(request) -> bool:
    """Whether the visitor's device asked for the elderly-friendly mode."""
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"


def navigation(request) -> dict:
    """``nav_entries`` (label, icon, href, current) for the header and ``elderly_mode``."""
    context = {"elderly_mode": elderly_mode_on(request), "nav_entries": []}
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return context
    path, full_path = request.path, request.get_full_path()
    items = []
    for entry in entries_for(user_roles(user), superuser=user.is_superuser):
        href = entry.href()
        items.append(
            {
                "label": entry.label,
                "icon": entry.icon,
                "href": href,
                "current": _is_current(href, path, full_path),
            }
        )
    # One page is current: where one entry's page lies under another's (the alerts under the
    # monitoring room), the nearer one.
    current = [item for item in items if item["current"]]
    for item in current:
        item["current"] = item is max(current, key=lambda i: len(i["href"]))
    context["nav_entries"] = items
    return context
