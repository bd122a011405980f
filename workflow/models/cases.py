"""Cases: an application from its draft to delivery, with its rounds of materials, its steps,
its clock rows (suspensions, extensions) and its append-only timeline.

Status, clock and assignment fields change only through the services in
``workflow/services.py``; the rules they follow are in ``workflow/transitions.py``.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import ApplicantType, Department, ItemVersion, JointItem, Material, Role
from catalog.models.append_only import AppendOnlyModel

from ..deadlines import WorkCalendar, add_workdays


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_SUPPLEMENT = "needs_supplement", _("Needs supplement")
    REJECTED = "rejected", _("Rejected at intake")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DECIDED = "decided", _("Decided")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the statutory clock runs (or is suspended): between acceptance and decision.
CLOCK_STATES = frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS})
# States that end a case.
FINAL_STATES = frozenset({CaseStatus.REJECTED, CaseStatus.COMPLETED, CaseStatus.WITHDRAWN})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WINDOW = "window", _("At the window")


class Decision(models.TextChoices):
    # Worded as the decision notices are (准予许可 / 不予许可, Art. 38).
    APPROVED = "approved", pgettext_lazy("decision", "Approved")
    DENIED = "denied", pgettext_lazy("decision", "Denied")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Pickup at the window")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronic")


class JointCaseStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is not None:
        return calendar
    from ..calendar import load_work_calendar  # it imports the models

    return load_work_calendar()


class JointCase(models.Model):
    """One intake at the lead window for a joint item: one sub-case per department, one clock."""

    joint_item = models.ForeignKey(
        JointItem, verbose_name=_("joint item"), on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField(_("joint case number"), max_length=40, unique=True)
    query_code = models.CharField(_("query code"), max_length=12)
    status = models.CharField(
        _("status"), max_length=10, choices=JointCaseStatus.choices, default=JointCaseStatus.OPEN
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    accepted_on = models.DateField(_("accepted on"))
    due_on = models.DateField(_("due on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken in by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")
        ordering = ["-created_at"]
        indexes = [
            # The joint clock's scans ask for open joint cases by due date.
            models.Index(
                fields=["due_on"], name="jointcase_open_due_on", condition=Q(status="open")
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def clock(self) -> str:
        """``running`` while open, ``stopped`` once decided or withdrawn (it never suspends:
        its sub-cases do)."""
        return "running" if self.status == JointCaseStatus.OPEN else "stopped"


class CaseQuerySet(models.QuerySet):
    """The due-date questions the dashboards and the supervision scans ask of cases."""

    def running(self) -> "CaseQuerySet":
        """Cases whose clock runs: accepted, not decided, not suspended.

        A suspended case is neither overdue nor due soon (Art. 45 stops the clock): its due
        dates move when it resumes.
        """
        return self.filter(status__in=CLOCK_STATES, suspended_since__isnull=True)

    def overdue(self, *, on: date) -> "CaseQuerySet":
        """Cases with the clock running whose due date is before ``on``."""
        return self.running().filter(due_on__lt=on)

    def due_within(
        self, n: int, *, on: date, calendar: WorkCalendar | None = None
    ) -> "CaseQuerySet":
        """Cases with the clock running due on ``on`` or within ``n`` working days after it.

        ``calendar`` defaults to the stored working-day calendar, loaded once.
        """
        last = add_workdays(on, n, calendar=_calendar(calendar))
        return self.running().filter(due_on__gte=on, due_on__lte=last)


class Case(models.Model):
    # What is applied for: the exact version, and the rules copied from it at acceptance.
    item_version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="cases"
    )
    promised_limit = models.PositiveSmallIntegerField(
        _("promised limit (working days)"), null=True, blank=True
    )
    statutory_limit = models.PositiveSmallIntegerField(
        _("statutory limit (working days)"), null=True, blank=True
    )
    extension_allowed = models.BooleanField(_("extension allowed"), default=False)
    suspension_allowed = models.BooleanField(_("suspension allowed"), default=False)
    is_immediate = models.BooleanField(_("immediate item"), default=False)

    joint_case = models.ForeignKey(
        JointCase,
        verbose_name=_("joint case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_cases",
    )

    # Who applies.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_kind = models.CharField(
        _("applicant type"),
        max_length=10,
        choices=[
            (ApplicantType.NATURAL, ApplicantType.NATURAL.label),
            (ApplicantType.LEGAL, ApplicantType.LEGAL.label),
        ],
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, blank=True, help_text=_("For a natural person.")
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("For a legal person."),
    )
    agent_name = models.CharField(_("agent name"), max_length=100, blank=True)
    agent_id_number = models.CharField(_("agent resident ID number"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    green_channel = models.BooleanField(_("green channel"), default=False)
    agent_service = models.BooleanField(_("agent service"), default=False)
    agent_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agent_cases",
    )

    # Where the case stands.
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Raised by every change, so a form filled in on an older state is refused."),
    )
    number = models.CharField(_("case number"), max_length=40, unique=True, null=True, blank=True)
    query_code = models.CharField(_("query code"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Intake (Art. 32).
    received_on = models.DateField(_("received on"), null=True, blank=True)
    deemed_received_on = models.DateField(
        _("acceptance counts from"),
        null=True,
        blank=True,
        help_text=_("Set when intake was answered late: the day of receipt (Art. 32)."),
    )
    intake_late = models.BooleanField(
        _("intake answered late"),
        default=False,
        help_text=_(
            "The supplement notice or decision on intake came later than 5 working days after "
            "receipt: acceptance counts from the day of receipt (Art. 32)."
        ),
    )

    # The clock.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    statutory_due_on = models.DateField(_("statutory due on"), null=True, blank=True)
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    deferred_due_on = models.DateField(
        _("optional materials due on"),
        null=True,
        blank=True,
        help_text=_("Materials accepted as pending (容缺) must come by this date."),
    )

    # Decision and delivery.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    licence_number = models.CharField(_("licence or document number"), max_length=60, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    delivery_due_on = models.DateField(_("delivery due on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_method = models.CharField(
        _("delivery method"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    # How the applicant asked to receive the result, once decided; the window delivers that way.
    delivery_requested = models.CharField(
        _("delivery asked for"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    delivery_recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    delivery_phone = models.CharField(_("recipient's phone"), max_length=20, blank=True)
    delivery_address = models.CharField(_("postal address"), max_length=300, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["department", "status"], name="case_department_status"),
            # The case lists, newest first: one department's, and a whole center's (whose
            # departments are a good share of all cases, so the walk down the newest stops soon).
            models.Index(
                "department", F("created_at").desc(), F("id").desc(), name="case_department_newest"
            ),
            models.Index(F("created_at").desc(), F("id").desc(), name="case_newest"),
            # The supervision scans and "overdue" filters ask for open cases by due date.
            models.Index(
                fields=["due_on"],
                name="case_open_due_on",
                condition=Q(status__in=["accepted", "in_progress"]),
            ),
            # Supervision's statutory reads, and the re-projection after a change of the holiday
            # schedule (statutory_due_on is the later of the two due dates).
            models.Index(
                fields=["statutory_due_on"],
                name="case_open_statutory_due_on",
                condition=Q(status__in=["accepted", "in_progress"]),
            ),
            # The dashboard counts a department's overdue and due-soon cases from the index alone.
            models.Index(
                fields=["department", "due_on"],
                name="case_running_department_due_on",
                condition=Q(status__in=["accepted", "in_progress"], suspended_since__isnull=True),
            ),
            models.Index(
                fields=["delivery_due_on"],
                name="case_undelivered_due_on",
                condition=Q(status="decided"),
            ),
            # The same counts for the sub-cases of the joint cases a lead window sees.
            models.Index(
                fields=["joint_case", "status", "department"],
                name="case_joint_status",
                condition=Q(joint_case__isnull=False),
            ),
            models.Index(
                fields=["joint_case", "due_on", "department"],
                name="case_running_joint_due_on",
                condition=Q(
                    status__in=["accepted", "in_progress"],
                    suspended_since__isnull=True,
                    joint_case__isnull=False,
                ),
            ),
            models.Index(fields=["applicant", "status"], name="case_applicant_status"),
            # "My cases" in the online hall: one applicant's cases, newest first.
            models.Index(
                "applicant", F("created_at").desc(), F("id").desc(), name="case_applicant_newest"
            ),
            models.Index(fields=["received_on"], name="case_received_on"),
            # The hall screen's counts of the cases accepted and decided today.
            models.Index(fields=["accepted_on"], name="case_accepted_on"),
            models.Index(fields=["decided_on"], name="case_decided_on"),
            # The public result list (Art. 40): the licences granted, the latest first.
            models.Index(
                F("decided_on").desc(),
                F("id").desc(),
                name="case_approved_decided_on",
                condition=Q(decision="approved"),
            ),
            # The hall's home page: the most-requested items of the last 30 days, counted from
            # the index alone, and this month's completed and decided cases.
            models.Index(fields=["received_on", "item_version"], name="case_received_version"),
            models.Index(
                fields=["delivered_on"],
                name="case_completed_delivered_on",
                condition=Q(status="completed"),
            ),
            models.Index(
                fields=["decided_on", "due_on"],
                name="case_decided_on_due_on",
                condition=Q(decided_on__isnull=False),
            ),
            # The supervision scan: the running cases near or past their due date, and every
            # running case for its steps, read from the index alone.
            models.Index(
                fields=["due_on"],
                include=["id", "department"],
                name="case_running_due_on",
                condition=Q(status__in=["accepted", "in_progress"], suspended_since__isnull=True),
            ),
            # The applications waiting for the window's answer (Art. 32), for the scan and the
            # monitoring room.
            models.Index(
                fields=["status", "department"],
                include=["id"],
                name="case_prereview",
                condition=Q(status__in=["submitted", "needs_supplement"]),
            ),
            # The monitoring room's suspended cases per department, and a window's intake in a
            # month (零受理) asked per department.
            models.Index(
                fields=["department"],
                name="case_suspended_department",
                condition=Q(status__in=["accepted", "in_progress"], suspended_since__isnull=False),
            ),
            models.Index(fields=["department", "received_on"], name="case_department_received"),
        ]

    def __str__(self) -> str:
        return self.number or _("Case %(pk)s (not accepted)") % {"pk": self.pk}

    @property
    def clock(self) -> str:
        """``running``, ``suspended`` or ``stopped``."""
        if self.status not in CLOCK_STATES:
            return "stopped"
        return "suspended" if self.suspended_since else "running"


class SubmissionQuerySet(models.QuerySet):
    def intake_overdue(self, *, on: date) -> "SubmissionQuerySet":
        """Submitted rounds still awaiting the window's answer after their intake due date.

        A round awaits an answer while its case is submitted and no later round exists: a
        supplement notice answers it by opening the next round, acceptance or rejection by
        moving the case on (Art. 32).
        """
        later = Submission.objects.filter(case_id=OuterRef("case_id"), round__gt=OuterRef("round"))
        return self.filter(
            submitted_at__isnull=False,
            intake_due_on__lt=on,
            case__status=CaseStatus.SUBMITTED,
        ).exclude(Exists(later))


class Submission(models.Model):
    """One round of materials: the first submission, then one per answer to a supplement notice."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="submissions"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    intake_due_on = models.DateField(
        _("intake answer due on"),
        null=True,
        blank=True,
        help_text=_("The window answers a submitted round within 5 working days (Art. 32)."),
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="submission_round_unique")
        ]
        indexes = [
            models.Index(
                fields=["intake_due_on"],
                name="submission_intake_due_on",
                condition=Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("Round %(round)s") % {"round": self.round}


def material_upload_path(instance: "MaterialFile", filename: str) -> str:
    # The stored name is not the applicant's file name: it is a random name in the case's folder.
    import uuid
    from pathlib import Path

    return f"cases/{instance.submission.case_id}/{instance.submission.round}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class MaterialFile(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="files"
    )
    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=material_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["submission", "material__order", "id"]

    def __str__(self) -> str:
        return self.original_name


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Sent back")
    CANCELLED = "cancelled", _("Cancelled")


class StepRunQuerySet(models.QuerySet):
    """The due-date questions asked of steps."""

    def running(self) -> "StepRunQuerySet":
        """Open steps of cases whose clock is not suspended (Art. 45 stops it for both)."""
        return self.filter(status=StepStatus.OPEN, case__suspended_since__isnull=True)

    def overdue(self, *, on: date) -> "StepRunQuerySet":
        """Open steps due before ``on``, their case's clock running."""
        return self.running().filter(due_on__lt=on)

    def due_within(
        self, n: int, *, on: date, calendar: WorkCalendar | None = None
    ) -> "StepRunQuerySet":
        """Open steps due on ``on`` or within ``n`` working days after it, the clock running."""
        last = add_workdays(on, n, calendar=_calendar(calendar))
        return self.running().filter(due_on__gte=on, due_on__lte=last)


class StepRun(models.Model):
    """One run of one of the item's steps; a step sent back gets a new run."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role that acts"), max_length=30, choices=Role.choices)
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="step_runs",
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    objects = StepRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["case", "id"]
        constraints = [
            # A case has at most one open step: steps run one after the other.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="steprun_one_open_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["role", "status"], name="steprun_role_status"),
            models.Index(fields=["assignee", "status"], name="steprun_assignee_status"),
            # Open steps by due date; the supervision scan reads them with their case from the
            # index alone.
            models.Index(
                fields=["due_on"],
                include=["id", "case"],
                name="steprun_open_due_on",
                condition=Q(status="open"),
            ),
            # My tasks, most urgent first: without it PostgreSQL walks every open step by due
            # date looking for the few of one assignee.
            models.Index(
                fields=["assignee", "due_on", "id"],
                name="steprun_open_assignee_due_on",
                condition=Q(status="open"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class SpecialProcedure(models.TextChoices):
    """The procedures whose time does not count towards the limit (Art. 45)."""

    HEARING = "hearing", _("Hearing")
    TENDERING = "tendering", _("Tendering")
    AUCTION = "auction", _("Auction")
    TESTING = "testing", _("Testing")
    INSPECTION = "inspection", _("Inspection")
    QUARANTINE = "quarantine", _("Quarantine")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPERT_REVIEW = "expert_review", _("Expert review")


class Suspension(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="suspensions"
    )
    procedure = models.CharField(
        _("special procedure"), max_length=20, choices=SpecialProcedure.choices
    )
    reason = models.TextField(_("reason"))
    expected_days = models.PositiveSmallIntegerField(_("expected length (working days)"))
    started_on = models.DateField(_("suspended on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    workdays = models.PositiveSmallIntegerField(_("working days suspended"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suspended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resumed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="suspension_one_open"
            )
        ]
        indexes = [
            # The supervision scan's distinct (start, length) of the open suspensions.
            models.Index(
                fields=["started_on", "expected_days"],
                name="suspension_open_started",
                condition=Q(ended_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_procedure_display()} {self.started_on}–{self.ended_on or ''}"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed: the case ended before the decision")


class Extension(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_note = models.TextField(_("leader's note"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["case", "requested_at"]
        constraints = [
            # Art. 42: the limit may be extended once.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["requested", "approved"]),
                name="extension_once",
            )
        ]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_status_display()})"


class AppendOnlyRecord(AppendOnlyModel):
    """A row of a timeline: written once, never changed or deleted (on PostgreSQL the
    database refuses too, see migration 0007)."""

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class CaseEvent(AppendOnlyRecord):
    """One row per transition: who, when, from which state to which, why, on which step."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)
    step = models.ForeignKey(
        StepRun,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason or opinion"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]
        indexes = [
            # Reports and scans ask "which cases had this happen in this period".
            models.Index(fields=["action", "at"], name="caseevent_action_at"),
        ]


class JointCaseEvent(AppendOnlyRecord):
    """One row per status change of a joint case: its intake, its decision or its withdrawal."""

    joint_case = models.ForeignKey(
        JointCase, verbose_name=_("joint case"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=JointCaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=JointCaseStatus.choices)

    class Meta:
        verbose_name = _("joint case event")
        verbose_name_plural = _("joint case events")
        ordering = ["joint_case", "at", "id"]


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance receipt")
    SUPPLEMENT = "supplement", _("Supplement notice")
    REJECTION = "rejection", _("Rejection at intake")
    EXTENSION = "extension", _("Extension notice")
    SUSPENSION = "suspension", _("Suspension notice")
    APPROVAL = "approval", _("Approval decision")
    DENIAL = "denial", _("Denial decision")


def notice_pdf_path(instance: "Notice", filename: str) -> str:
    # A random name in the case's folder: a second render never overwrites the stored document.
    import uuid

    return f"notices/{instance.case_id}/{instance.pk}-{uuid.uuid4().hex}.pdf"


class Notice(models.Model):
    """A written notice issued to the applicant; its content is frozen when issued.

    Its PDF is rendered once from that content and stored with its SHA-256: the document the
    applicant downloads never changes afterwards (``workflow.services.notice_pdf_store``).
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    number = models.CharField(_("notice number"), max_length=60, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to=notice_pdf_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["case", "issued_at", "id"]
        indexes = [
            # The back-fill walks the notices still without a PDF in id order.
            models.Index(fields=["id"], name="notice_pdf_missing", condition=Q(pdf="")),
        ]

    def __str__(self) -> str:
        return self.number


class FeeRecord(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="fees"
    )
    name = models.CharField(_("fee"), max_length=200)
    standard_amount = models.DecimalField(
        _("standard amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(_("amount collected"), max_digits=12, decimal_places=2)
    receipt_number = models.CharField(_("receipt number"), max_length=60)
    deviation_reason = models.TextField(_("reason for a different amount"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("fee record")
        verbose_name_plural = _("fee records")
        ordering = ["case", "recorded_at"]
        indexes = [
            # The supervision scan's recent fees collected at another amount than the standard.
            models.Index(
                fields=["recorded_at"],
                name="feerecord_deviation",
                condition=Q(standard_amount__isnull=False) & ~Q(amount=F("standard_amount")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"

    @property
    def deviates(self) -> bool:
        return self.standard_amount is not None and self.amount != self.standard_amount


class NumberSequence(models.Model):
    """The last number handed out under a key (a center, department and day; a notice kind…).

    Numbers come from a row locked for the length of the transaction that uses them, so two
    acceptances at once get different numbers and a rolled-back one hands out nothing.
    """

    key = models.CharField(max_length=120, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
