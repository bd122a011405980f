"""Reads of cases shared by the workbench, the API and the portal.

The permission-checked getters are the only way a view obtains a case: staff reach the cases
of the departments they work in (center-wide roles: every department of their center), an
applicant reaches only their own. Anything else is "not found", never "forbidden", so that
case ids cannot be probed.
"""

from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from catalog.models import ApplicantType, Department, Role, StaffMembership
from catalog.selectors import centers_under

from .clock import Pause, StripDay, calendar_strip, intake_due_on
from .deadlines import WorkCalendar
from .filters import due_soon, overdue
from .models import (
    CLOCK_STATES,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Decision,
    JointCase,
    MaterialFile,
    StepRun,
    StepStatus,
)
from .paging import count_up_to
from .permissions import memberships_of
from .transitions import WINDOW

# Center-wide roles that see the cases of their whole center.
CASE_READING_CENTER_ROLES = frozenset({Role.SUPERVISION_OFFICER, Role.FEE_CLERK})


def _staff_scope(user) -> Q | None:
    """The filter of the cases ``user`` may see as staff, or None if they are not staff."""
    reach = _staff_reach(user)
    if reach is None:
        return None
    # An applicant's online draft is theirs alone until they submit it.
    return reach & ~Q(status=CaseStatus.DRAFT, channel=Channel.ONLINE)


def _staff_reach(user) -> Q | None:
    """The departments' and led joint cases' filter, online drafts not yet left out."""
    parts = _staff_reach_parts(user)
    if not parts:
        return None
    reach = Q()
    for part in parts:
        reach |= part
    return reach


def _staff_reach_parts(user) -> list[Q]:
    """The parts of :func:`_staff_reach`, disjoint: the departments' cases, then the other
    departments' sub-cases of the joint cases they lead (none if not staff).

    Every part of it is a condition on a column of the case itself, which an index serves:
    the departments (a center-wide role's center read as its departments, so no join to the
    department table) and, for a lead window, the joint cases its departments lead. An OR
    across a join to the joint item would make PostgreSQL read every case.
    """
    if user is None or not user.is_authenticated:
        return []
    memberships = memberships_of(user)
    departments = {department for _role, department, _center in memberships if department}
    centers = {
        center
        for role, _department, center in memberships
        if center and role in CASE_READING_CENTER_ROLES
    }
    if not departments and not centers:
        return []
    # Supervision reaches the county centers and town stations under its own (三级联网).
    supervised = {
        center
        for role, _department, center in memberships
        if center and role == Role.SUPERVISION_OFFICER
    }
    if supervised:
        centers |= centers_under(supervised)
    if centers:
        departments |= set(
            Department.objects.filter(center_id__in=centers).values_list("pk", flat=True)
        )
    own = sorted(departments)
    parts = [Q(department_id__in=own)]
    # The lead department's window takes in a joint case and hands over its results: it sees
    # every sub-case of the joint cases it leads.
    leading = {
        department for role, department, _center in memberships if department and role in WINDOW
    }
    if leading:
        led = JointCase.objects.filter(joint_item__lead_department_id__in=sorted(leading))
        parts.append(
            Q(AnyOf("joint_case_id", led.order_by().values("pk"))) & ~Q(department_id__in=own)
        )
    return parts


def case_counts_for_staff(user, *, today, calendar) -> dict[str, int]:
    """The dashboard's counts of the cases ``user`` may see: awaiting intake, overdue, due soon.

    One count per kind, each a condition an index answers alone (the department and status,
    or the partial index of running cases by department and due date), so that a center's
    hundreds of thousands of cases are counted from the index, never read.
    """
    kinds = {
        "prereview": Q(status=CaseStatus.SUBMITTED),
        "overdue": overdue(today),
        "due_soon": due_soon(today, calendar),
    }
    # None of these states is a draft, so the drafts need no leaving out. Each part of the
    # reach is counted on its own: under an OR the planner loses the index of each part.
    parts = _staff_reach_parts(user)
    return {
        name: sum(Case.objects.filter(part & kind).count() for part in parts)
        for name, kind in kinds.items()
    }


class AnyOf(Func):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL, ``column IN (subquery)`` elsewhere.

    PostgreSQL runs the subquery once and hands its values to an index scan of the column, so
    an OR of it with another indexed condition is two index scans; ``IN (subquery)`` under an
    OR is checked row by row instead.
    """

    output_field = BooleanField()

    def __init__(self, column: str, subquery: QuerySet) -> None:
        super().__init__(F(column), Subquery(subquery))

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        return super().as_sql(
            compiler, connection, template="%(expressions)s", arg_joiner=" IN ", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s))",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )


def cases_for_staff(user) -> QuerySet[Case]:
    """The cases ``user`` may see as staff (none for non-staff), ready for list pages."""
    scope = _staff_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope).select_related(
        "item_version__item",
        "department__center",
        "applicant",
        "joint_case__joint_item__lead_department",
    )


def cases_for_applicant(user) -> QuerySet[Case]:
    """The applicant's own cases."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(applicant=user).select_related(
        "item_version__item", "department", "joint_case__joint_item__lead_department"
    )


def _with_detail(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.prefetch_related(
        Prefetch("steps", queryset=StepRun.objects.select_related("assignee").order_by("id")),
        Prefetch(
            "events",
            queryset=CaseEvent.objects.select_related("actor", "step").order_by("at", "id"),
        ),
        "submissions__files__material",
        "notices",
        "suspensions",
        "extensions",
        "fees",
    )


def case_get_for_staff(*, user, pk: int) -> Case:
    """The case with everything its detail page shows, if ``user`` may see it; else Http404."""
    case = _with_detail(cases_for_staff(user)).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def joint_cases_for_staff(user) -> QuerySet[JointCase]:
    """The joint cases with a sub-case ``user`` may see, newest first."""
    return (
        JointCase.objects.filter(
            pk__in=cases_for_staff(user).filter(joint_case__isnull=False).values("joint_case_id")
        )
        .select_related("joint_item__lead_department")
        .order_by("-created_at", "-id")
    )


def joint_case_get_for_staff(*, user, pk: int) -> JointCase:
    """A joint case with all its sub-cases, if ``user`` may see one of them; else Http404."""
    joint = (
        joint_cases_for_staff(user)
        .prefetch_related(
            Prefetch(
                "sub_cases",
                queryset=Case.objects.select_related("department", "item_version").order_by(
                    "department__code", "id"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if joint is None:
        raise Http404
    return joint


def joint_sub_cases_visible_to(user, joint: JointCase) -> set[int]:
    """The ids of ``joint``'s sub-cases that ``user`` may open; the others show progress only."""
    return set(cases_for_staff(user).filter(joint_case=joint).values_list("pk", flat=True))


def case_get_for_applicant(*, user, pk: int) -> Case:
    """The applicant's own case with its detail; Http404 for anyone else's."""
    case = _with_detail(cases_for_applicant(user)).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_get_by_tracking(*, number: str, query_code: str) -> Case | None:
    """The case with this number and query code, for tracking without login."""
    if not number or not query_code:
        return None
    return (
        Case.objects.select_related("item_version__item", "department")
        .prefetch_related(
            Prefetch(
                "events", queryset=CaseEvent.objects.select_related("step").order_by("at", "id")
            ),
            Prefetch("steps", queryset=StepRun.objects.order_by("order", "id")),
            "suspensions",
        )
        .filter(number=number.strip(), query_code=query_code.strip().upper())
        .first()
    )


def open_steps_for_staff(user) -> QuerySet[StepRun]:
    """Open steps of the user's departments whose role the user holds (the department queue)."""
    if user is None or not user.is_authenticated:
        return StepRun.objects.none()
    pairs = list(
        StaffMembership.objects.filter(user=user, department__isnull=False).values_list(
            "department_id", "role"
        )
    )
    if not pairs:
        return StepRun.objects.none()
    condition = Q()
    for department_id, role in pairs:
        condition |= Q(case__department_id=department_id, role=role)
    # The departments' open cases first (an index on the case), then their one open step
    # each (the unique index on open steps); the pairs then keep the roles held in each.
    open_cases = Case.objects.filter(
        department_id__in=sorted({department for department, _role in pairs}),
        status__in=CLOCK_STATES,
    )
    return (
        StepRun.objects.filter(
            condition,
            status=StepStatus.OPEN,
            case__in=open_cases,
            role__in=sorted({role for _department, role in pairs}),
        )
        .select_related("case__item_version__item", "case__department", "assignee")
        # Green-channel cases (绿色通道) come first, then the most urgent.
        .order_by("-case__green_channel", "due_on", "id")
    )


def deferred_materials_pending(case: Case) -> list:
    """The required materials that may come later (容缺) and have not come yet."""
    supplied = {
        file.material_id for submission in case.submissions.all() for file in submission.files.all()
    }
    return [
        material
        for material in case.item_version.materials.all()
        if material.required and material.deferrable and material.pk not in supplied
    ]


def fees_unrecorded(case: Case) -> list:
    """The item's fees that have no record on the case yet."""
    recorded = {fee.name for fee in case.fees.all()}
    return [fee for fee in case.item_version.fees.all() if fee.name not in recorded]


def steps_claimed_by(user) -> QuerySet[StepRun]:
    """The open steps ``user`` has claimed (my tasks), most urgent first."""
    if user is None or not user.is_authenticated:
        return StepRun.objects.none()
    return (
        StepRun.objects.filter(status=StepStatus.OPEN, assignee=user)
        .select_related("case__item_version__item", "case__department")
        .order_by("due_on", "id")
    )


def extensions_awaiting_decision(user):
    """Requested extensions of the cases of departments where ``user`` is the leader (Art. 42)."""
    from .models import Extension, ExtensionStatus

    if user is None or not user.is_authenticated:
        return Extension.objects.none()
    departments = StaffMembership.objects.filter(
        user=user, role=Role.APPROVER, department__isnull=False
    ).values("department_id")
    return (
        Extension.objects.filter(
            status=ExtensionStatus.REQUESTED,
            case__department_id__in=departments,
            case__status__in=[CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS],
        )
        .select_related("case__item_version__item", "case__department", "requested_by")
        .order_by("requested_at", "id")
    )


def cases_received_on(user, day) -> QuerySet[Case]:
    """The cases of ``user``'s departments received at the counter or online on ``day``,
    newest first (today's counter list)."""
    return (
        cases_for_staff(user)
        .filter(received_on=day)
        .select_related("item_version__item", "department")
        .order_by("-created_at", "-id")
    )


def cases_to_deliver(user) -> QuerySet[Case]:
    """Decided cases whose result is still to be handed over, the earliest delivery due first
    (Art. 44); the partial index of undelivered cases serves the order."""
    return (
        cases_for_staff(user)
        .filter(status=CaseStatus.DECIDED)
        .select_related("item_version__item", "department")
        .order_by("delivery_due_on", "id")
    )


def cases_with_fees_to_record(user) -> QuerySet[Case]:
    """Approved, undelivered cases with a fee of their item not recorded yet (the fee clerk's
    list), the earliest delivery due first. Only decided cases are read: a bounded set, since
    each is delivered within 10 working days."""
    from catalog.models import FeeItem

    from .models import Decision, FeeRecord

    recorded = FeeRecord.objects.filter(case_id=OuterRef(OuterRef("pk"))).values("name")
    unrecorded = FeeItem.objects.filter(version_id=OuterRef("item_version_id")).exclude(
        name__in=Subquery(recorded)
    )
    return (
        cases_for_staff(user)
        .filter(status=CaseStatus.DECIDED, decision=Decision.APPROVED)
        .filter(Exists(unrecorded))
        .select_related("item_version__item", "department")
        .order_by("delivery_due_on", "id")
    )


# --- The online hall's public reads: the clock strip, result disclosure, the hall screen -----


def case_clock_strip(case: Case, *, today: date, calendar: WorkCalendar) -> list[StripDay]:
    """The calendar strip of the case's clock, for the workbench and the hall alike: from
    acceptance to the due date (or from receipt to the answer's due date while the application
    waits for intake); empty before receipt. Reads ``case.suspensions`` (prefetch it)."""
    if case.accepted_on and case.due_on:
        pauses = [
            Pause(started_on=s.started_on, ended_on=s.ended_on) for s in case.suspensions.all()
        ]
        until = case.decided_on if case.clock == "stopped" else None
        return calendar_strip(
            start=case.accepted_on,
            due_on=case.due_on,
            today=today,
            until=until,
            pauses=pauses,
            calendar=calendar,
        )
    if case.status == CaseStatus.SUBMITTED and case.received_on:
        return calendar_strip(
            start=case.received_on,
            due_on=intake_due_on(case.received_on, calendar=calendar),
            today=today,
            calendar=calendar,
        )
    return []


def results_disclosed(*, search: str = "", center: str = "") -> QuerySet[Case]:
    """The licences and approvals granted (Art. 40), the latest decision first, for the hall's
    result list and screen; ``search`` matches the item, the licence number or a company's
    name, ``center`` a service center's code.

    The partial index ``case_approved_decided_on`` serves the order, so a page costs the same at
    any depth (keyset pages). A natural person's name is not searched: a search for a full name
    that finds a masked "张**" would undo the mask.
    """
    rows = Case.objects.filter(
        decision=Decision.APPROVED,
        status__in=[CaseStatus.DECIDED, CaseStatus.COMPLETED],
        decided_on__isnull=False,
    )
    search = search.strip()
    if search:
        rows = rows.filter(
            Q(item_version__name__icontains=search)
            | Q(licence_number__icontains=search)
            | Q(applicant_kind=ApplicantType.LEGAL, applicant_name__icontains=search)
        )
    if center:
        rows = rows.filter(department__center__code=center)
    return rows.select_related("item_version", "department").order_by("-decided_on", "-id")


# A hall's day stays far below this; past it the screen shows "more than".
HALL_COUNT_LIMIT = 9999


def hall_counts_on(day: date, *, center: str = "") -> dict[str, int | None]:
    """The hall screen's figures of ``day``: applications received, cases accepted and cases
    concluded (decided) that day, each counted from its date's index and capped at
    ``HALL_COUNT_LIMIT`` (None beyond it); ``center`` a service center's code."""
    kinds = {
        "received": Q(received_on=day),
        "accepted": Q(accepted_on=day),
        "concluded": Q(decided_on=day),
    }
    scope = Q(department__center__code=center) if center else Q()
    return {
        name: count_up_to(Case.objects.filter(kind & scope), HALL_COUNT_LIMIT)
        for name, kind in kinds.items()
    }


# -- The online hall's public figures ---------------------------------------------------------
# Anonymous reads for the hall's home page: counts over one month or 30 days, each served by an
# index of the case table (received_on + item_version, the completed cases' delivered_on, the
# decided cases' decided_on + due_on), so their cost grows with a month's cases, not all of them.
# They count rows or an indexed column, never a column outside the index, so PostgreSQL answers
# them with index-only scans; the home page keeps each answer for a few minutes.


def most_requested_items(*, today, days: int = 30, limit: int = 8) -> list[tuple]:
    """(published version, cases received) of the ``limit`` items with the most cases received
    in the ``days`` days up to ``today``, most first (ties by item code).

    Items no longer published are left out: the hall links only current guides.
    """
    from datetime import timedelta

    from django.db.models import Count

    from catalog.selectors import published_versions

    rows = (
        Case.objects.filter(received_on__gt=today - timedelta(days=days), received_on__lte=today)
        .values("item_version__item_id")
        .annotate(requests=Count("*"))
        .order_by("-requests", "item_version__item_id")[: limit * 2]
    )
    requests = {row["item_version__item_id"]: row["requests"] for row in rows}
    ranked = [
        (version, requests[version.item_id])
        for version in published_versions().filter(item_id__in=requests)
    ]
    ranked.sort(key=lambda row: (-row[1], row[0].item.code))
    return ranked[:limit]


def month_figures(*, today) -> dict:
    """This month's public figures up to ``today``: ``completed`` (cases delivered),
    ``decided``, ``on_time`` (decided on or before their due date) and ``on_time_rate``
    (a percentage, None before the month's first decision)."""
    from django.db.models import Count

    start = today.replace(day=1)
    completed = Case.objects.filter(
        status=CaseStatus.COMPLETED, delivered_on__gte=start, delivered_on__lte=today
    ).count()
    decided = Case.objects.filter(decided_on__gte=start, decided_on__lte=today).aggregate(
        decided=Count("*"), on_time=Count("due_on", filter=Q(decided_on__lte=F("due_on")))
    )
    rate = round(100 * decided["on_time"] / decided["decided"], 1) if decided["decided"] else None
    return {
        "completed": completed,
        "decided": decided["decided"],
        "on_time": decided["on_time"],
        "on_time_rate": rate,
    }


# --- The online hall's apply wizard: files an applicant may reuse from an earlier case -------

# An applicant's earlier files of one material are a handful; the offer stays short.
REUSABLE_FILES_CAP = 20


def material_files_reusable(*, user, names: list[str], exclude_case_id: int) -> list[MaterialFile]:
    """The applicant's own files, from their other cases, of materials named as in ``names``
    (材料复用: a business licence given once is offered again), newest first, capped."""
    if user is None or not user.is_authenticated or not names:
        return []
    return list(
        MaterialFile.objects.filter(submission__case__applicant=user, material__name__in=names)
        .exclude(submission__case_id=exclude_case_id)
        .select_related("material", "submission__case__item_version")
        .order_by("-id")[:REUSABLE_FILES_CAP]
    )


# --- The online hall's "my cases": the applicant's list, newest first, and what is new ------


def cases_for_applicant_newest(user) -> QuerySet[Case]:
    """The applicant's own cases, newest first, for keyset pages (index
    ``case_applicant_newest``)."""
    return cases_for_applicant(user).order_by("-created_at", "-id")


def cases_changed_since(user, case_ids: list[int], since: datetime) -> set[int]:
    """Which of ``case_ids`` had something happen after ``since`` that ``user`` did not do
    themselves; one query over the events of the cases on one page."""
    if not case_ids:
        return set()
    return set(
        CaseEvent.objects.filter(case_id__in=case_ids, at__gt=since)
        .exclude(actor=user)
        .values_list("case_id", flat=True)
        .distinct()
    )
