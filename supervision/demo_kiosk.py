"""The demo city's rating kiosk (电子评议器): the demo window clerks seated at their
departments' first windows in the city hall, a kiosk at 市场监督管理局's window A01, and a few
of the cases its clerk handed over there rated at the kiosk, each a few minutes after the
hand-over (the clock set back). Load after the demo cases.

The kiosk's binding code is shown once, so the demo keeps none: ``issue_demo_kiosk_code`` issues
a fresh one for the command to print."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.demo.organization import CITY_CENTER, DEPARTMENTS
from catalog.models import Window
from workflow.exceptions import WorkflowError
from workflow.models import CaseEvent, CaseStatus, DeliveryMethod
from workflow.transitions import Action

from .kiosks import kiosk_rate, kiosk_reissue
from .models import Kiosk, Rating

# The demo window clerks and their department's code.
SEATED = {"scj_clerk": "SCJ", "zjj_clerk": "ZJJ", "zgj_clerk": "ZGJ"}
KIOSK_CLERK = "scj_clerk"
KIOSK_LABEL = "A01 窗口评议器"
ISSUER = "catalog_admin"
# (level on the five-level scale, comment) of the kiosk's demo ratings, newest hand-over first.
RATINGS = (
    (5, ""),
    (4, "办理很快，工作人员耐心。"),
    (5, ""),
    (2, "排队等候时间较长，希望增加高峰时段窗口。"),
)
RATED_AFTER = timedelta(minutes=3)


def _first_window(code: str) -> Window | None:
    numbers = {spec.code: spec.windows for spec in DEPARTMENTS}.get(code) or ()
    if not numbers:
        return None
    return Window.objects.filter(center__code=CITY_CENTER, number=numbers[0]).first()


def _kiosk_window() -> Window | None:
    return _first_window(SEATED[KIOSK_CLERK])


def demo_kiosk_load(*, now: datetime | None = None) -> dict[str, int]:
    """Seat the demo clerks, add the kiosk of window A01 and rate a few of its recent
    hand-overs there. A second load finds the kiosk and adds nothing."""
    now = now or timezone.now()
    users = get_user_model().objects.in_bulk(list(SEATED) + [ISSUER], field_name="username")
    window = _kiosk_window()
    if window is None or ISSUER not in users or Kiosk.objects.filter(window=window).exists():
        return {}
    seated = 0
    with transaction.atomic():
        for username, code in SEATED.items():
            place = _first_window(code)
            if place is not None and username in users:
                place.clerks.add(users[username])
                seated += 1
        kiosk = Kiosk.objects.create(
            window=window, label=KIOSK_LABEL, issued_by=users[ISSUER], issued_at=now
        )
        rated = _rate_recent_handovers(kiosk, users.get(KIOSK_CLERK), now=now)
    return {"clerks seated": seated, "kiosks": 1, "kiosk ratings": rated}


def _rate_recent_handovers(kiosk: Kiosk, clerk, *, now: datetime) -> int:
    """Rate at ``kiosk`` the newest results its clerk handed over in person, each a few minutes
    after the hand-over (through the kiosk's own path, so its checks apply)."""
    if clerk is None:
        return 0
    handovers = (
        CaseEvent.objects.filter(
            action=Action.DELIVER,
            actor=clerk,
            at__lte=now - RATED_AFTER,
            case__status=CaseStatus.COMPLETED,
            case__delivery_method=DeliveryMethod.PICKUP,
            case__department__windows=kiosk.window,
        )
        .exclude(case_id__in=Rating.objects.values("case_id"))
        # The walk-in applicants': the hall's demo accounts keep their cases to rate online.
        .filter(case__applicant__isnull=True)
        .order_by("-at", "-id")
        .values_list("case_id", "at")[: len(RATINGS) * 2]
    )
    rated = 0
    for case_id, at in handovers:
        if rated == len(RATINGS):
            break
        level, comment = RATINGS[rated]
        try:
            kiosk_rate(
                kiosk=kiosk, case_id=case_id, level=level, comment=comment, now=at + RATED_AFTER
            )
        except WorkflowError:
            continue  # out of its time to rate, or rated meanwhile
        rated += 1
    return rated


def issue_demo_kiosk_code() -> tuple[int, str] | None:
    """A fresh binding code for the demo kiosk, as (window id, code): the command prints it so
    that the kiosk can be bound at /kiosk/. None without the demo kiosk."""
    kiosk = (
        Kiosk.objects.filter(window=_kiosk_window(), label=KIOSK_LABEL).order_by("pk").first()
        if _kiosk_window()
        else None
    )
    if kiosk is None:
        return None
    issued = kiosk_reissue(kiosk=kiosk, by=kiosk.issued_by)
    return kiosk.window_id, issued.shown
