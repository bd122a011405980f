"""Demo cases for the demo city: a few hundred applications in every state the workbench shows,
for varied people and companies, built through the services with back-dated clocks.

Every case is played by the services (``case_submit``, ``case_accept``, ``step_claim``,
``step_complete``, ``case_decide`` …) with ``now=`` set to the moment it happened; no status or
due date is written here. Dates are counted back from the load's day in working days, so the
queues stay current whenever the demo is loaded, and no moment is after the load. The same day
gives the same cases (one seeded random source, drawn in a fixed order); a second load adds
nothing.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import (
    Department,
    ItemVersion,
    Role,
    StaffMembership,
    VersionStatus,
)

from ..calendar import load_work_calendar
from ..models import (
    Case,
    CaseEvent,
    CaseStatus,
)
from ..services.notices import notice_pdfs_deferred
from .applicants import HENGDA, ZHANG_SAN, Applicants, demo_applicants
from .run import Demo, Desk, Item, Run
from .scenarios import Planner, draft, joint_scripts, promised
from .showcase import showcase_scripts
from .timeline import DemoClock, Script, play

APPLICANT_USERNAME = "zhangsan"
# The cases draw from their own random source, apart from the applicants'.
SEED = 20260102

# --- loading -----------------------------------------------------------------------------------


def _desks() -> dict[int, Desk]:
    """The departments whose demo staff can take a case from intake to decision."""
    desks: dict[int, Desk] = {}
    needed = {Role.WINDOW_CLERK, Role.HANDLER, Role.REVIEWER, Role.APPROVER}
    departments = Department.objects.filter(memberships__role=Role.WINDOW_CLERK).distinct()
    for department in departments.select_related("center").order_by("code"):
        staff = {
            m.role: m.user
            for m in StaffMembership.objects.filter(department=department)
            .select_related("user")
            .order_by("pk")
        }
        fee_clerk = (
            StaffMembership.objects.filter(center=department.center, role=Role.FEE_CLERK)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if not needed <= set(staff) or fee_clerk is None:
            continue
        versions = (
            ItemVersion.objects.filter(
                department=department, status=VersionStatus.PUBLISHED, online_prereview=True
            )
            .select_related("item")
            .prefetch_related("steps", "materials", "fees")
            .order_by("item__code")
        )
        items = []
        for version in versions:
            roles = tuple(s.role for s in sorted(version.steps.all(), key=lambda s: s.order))
            if not roles or any(role not in staff for role in roles):
                continue
            materials = [m for m in version.materials.all() if m.required]
            items.append(
                Item(
                    version=version,
                    roles=roles,
                    fees=tuple(sorted(version.fees.all(), key=lambda f: f.pk)),
                    key_materials=tuple(m for m in materials if not m.deferrable),
                    deferrable=tuple(m for m in materials if m.deferrable),
                )
            )
        if items:
            desks[department.pk] = Desk(department, staff, items, fee_clerk.user)
    return desks


def _accounts(applicants: Applicants) -> dict[str, Any]:
    """The online hall's accounts of the demo applicants: the phone number as username, no
    password (the demo's own applicant login is 张三's)."""
    users = get_user_model().objects
    accounts = {}
    for person in applicants.online:
        account, created = users.get_or_create(
            username=person.phone,
            defaults={"last_name": person.surname, "first_name": person.given_name},
        )
        if created:
            account.set_unusable_password()
            account.save(update_fields=["password"])
        accounts[person.phone] = account
    # The hall's demo company logs in with its phone (its agent's); its password is set with
    # its particulars by the hall's demo (portal.demo).
    company, _created = users.get_or_create(
        username=HENGDA.phone, defaults={"first_name": HENGDA.name[:150]}
    )
    if _created:
        company.set_unusable_password()
        company.save(update_fields=["password"])
    accounts[HENGDA.phone] = company
    return accounts


def demo_cases_load(*, password: str, now: datetime | None = None) -> int:
    """Create the demo applicants and the demo cases; returns how many cases were created.

    ``now`` is the load's moment (the current time by default): every case is dated before it.
    A second load finds 张三's cases and adds nothing, but resets his password.
    """
    applicant, _created = get_user_model().objects.get_or_create(
        username=APPLICANT_USERNAME, defaults={"first_name": ZHANG_SAN.name}
    )
    applicant.password = make_password(password)
    applicant.save(update_fields=["password"])
    if Case.objects.filter(applicant=applicant).exists():
        return 0
    clock = DemoClock(now or timezone.now(), load_work_calendar())
    # Hundreds of notices: their PDFs are stored when first opened, not rendered all at once here.
    with transaction.atomic(), notice_pdfs_deferred():
        applicants = demo_applicants(clock.today)
        demo = Demo(
            clock=clock,
            rng=random.Random(SEED),
            applicants=applicants,
            accounts=_accounts(applicants),
            zhang_san=applicant,
        )
        desks = _desks()
        scripts: list[Script] = []
        for desk in desks.values():
            scripts.extend(Planner(demo, desk).plan())
        scripts.extend(joint_scripts(demo, desks))
        scripts.extend(showcase_scripts(demo, desks))
        before = Case.objects.count()
        after_id = Case.objects.aggregate(last=Max("pk"))["last"] or 0
        play(scripts)
        created = Case.objects.count() - before
        _date_the_cases(after_id)
        # 张三 has at least one case, so that a second load knows the demo is there.
        if not Case.objects.filter(applicant=applicant).exists():
            desk = next(iter(desks.values()))
            item = next(i for i in desk.items if promised(i))
            run = Run(demo, desk, item, online=True)
            run.particulars, run.account = ZHANG_SAN.particulars(), applicant
            play([draft(run, ago=0)])
            created += 1
    return created


def _date_the_cases(after_id: int) -> None:
    """Each case created when its first event says, not at the load (``created_at`` is set by
    the database on insert): the lists sorted newest first show the demo's own order."""
    first = CaseEvent.objects.filter(case_id=OuterRef("pk")).order_by("at", "id").values("at")[:1]
    Case.objects.filter(pk__gt=after_id).update(
        created_at=Coalesce(Subquery(first), F("created_at"))
    )


def demo_status_counts() -> dict[str, int]:
    """How many cases are in each status, every status listed (for the load's report)."""
    counts = dict.fromkeys(CaseStatus.values, 0)
    for status in Case.objects.values_list("status", flat=True):
        counts[status] += 1
    return counts
