"""The online hall's public pages without an account: tracking a case by its number and query
code (办件查询), the list of licences granted (Art. 40) and the hall's big screen (大厅显示屏).

None of them shows personal data: the holder of a licence is masked when a natural person, and
tracking shows neither names, numbers, phones, files nor opinions.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from approval_center.throttling import TRACKING, rate_limited
from catalog.models import ApplicantType, ServiceCenter
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.identifiers import public_holder_name
from workflow.models import Case, StepStatus
from workflow.paging import keyset_page
from workflow.selectors import (
    case_clock_strip,
    case_get_by_tracking,
    hall_counts_on,
    results_disclosed,
)
from workflow.transitions import Action

from .plain_words import PUBLIC_EVENT_WORDS
from .public_forms import ResultSearchForm, TrackForm

RESULTS_PER_PAGE = 20
SCREEN_RESULTS = 10
SCREEN_REFRESH_SECONDS = 60


def _holder(case: Case) -> str:
    return public_holder_name(
        case.applicant_name, natural_person=case.applicant_kind == ApplicantType.NATURAL
    )


def _tracked(case: Case) -> dict:
    """What the tracking page shows of a case: no personal data beyond a masked name."""
    today, calendar = shanghai_today(), load_work_calendar()
    due_class, workdays_left = due_state(
        case.due_on,
        clock=case.clock,
        suspended_since=case.suspended_since,
        today=today,
        calendar=calendar,
    )
    timeline = [
        {"at": event.at, "words": PUBLIC_EVENT_WORDS[action], "step": event.step}
        for event in case.events.all()
        if (action := _action(event.action)) in PUBLIC_EVENT_WORDS
    ]
    return {
        "case": case,
        "holder": _holder(case),
        "steps": list(case.steps.all()),
        "open_status": StepStatus.OPEN,
        "due_class": due_class,
        "workdays_left": workdays_left,
        "strip": case_clock_strip(case, today=today, calendar=calendar),
        "timeline": timeline,
    }


def _action(name: str) -> Action | None:
    try:
        return Action(name)
    except ValueError:
        return None


# POST, not GET with query parameters: the query code is the only secret of a case without an
# account, and a URL that carries it ends up in the browser's history, proxies' and servers'
# access logs and the Referer of the next link followed. POST keeps it in the request body;
# the throttle counts POSTs, so each guess is counted.
@never_cache
@csrf_protect
@rate_limited(TRACKING)
def track(request: HttpRequest) -> HttpResponse:
    """Case tracking (办件查询): the case number and query code → status, steps and clock."""
    status, context = 200, {}
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            case = case_get_by_tracking(
                number=form.cleaned_data["number"], query_code=form.cleaned_data["code"]
            )
            if case is None:
                # The same words whichever of the two is wrong: saying which would let a
                # stranger first find a valid number, then guess only its code.
                form.add_error(None, _("No case matches this number and code; check both."))
                status = 404
            else:
                context = _tracked(case)
    return render(request, "portal/public/track.html", {"form": form, **context}, status=status)


def results(request: HttpRequest) -> HttpResponse:
    """The licences and approvals granted (Art. 40), the latest first, searchable."""
    form = ResultSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = keyset_page(
        results_disclosed(search=search),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=RESULTS_PER_PAGE,
    )
    for case in page:
        case.holder = _holder(case)  # type: ignore[attr-defined]
    query = urlencode({"q": search}) if search else ""
    return render(
        request,
        "portal/public/results.html",
        {"form": form, "page": page, "query": query, "search": search},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def screen(request: HttpRequest) -> HttpResponse:
    """The hall's big screen (大厅显示屏): today's figures and the latest licences granted, for
    a television in the hall; ``?center=<code>`` for one center's own screen."""
    code = request.GET.get("center", "").strip()
    center = None
    if code:
        center = ServiceCenter.objects.filter(code=code).first()
        if center is None:
            raise Http404(_("No service center has this code."))
    today = shanghai_today()
    latest = list(results_disclosed(center=code)[:SCREEN_RESULTS])
    for case in latest:
        case.holder = _holder(case)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/public/screen.html",
        {
            "center": center,
            "today": today,
            "now": timezone.localtime(),
            "counts": hall_counts_on(today, center=code),
            "latest": latest,
            "refresh_seconds": SCREEN_REFRESH_SECONDS,
        },
    )
