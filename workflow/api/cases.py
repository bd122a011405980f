"""The cases API: read cases, take every action on them, track one without logging in.

An applicant reaches their own cases, staff the cases of their departments (center-wide roles:
of their center); anything else is "not found". Every write goes through one service in
``workflow/services/`` (the action registry, ``workflow/actions.py``, names it), which checks the transition and the user's role; the refusals come
back as ``{"detail": message}`` with 400, 403 or 409.
"""

import functools
from collections.abc import Callable

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from approval_center.throttling import AnonRateThrottle, TrackingThrottle
from catalog.api.serializers import DepartmentRefSerializer
from catalog.models import ApplicantType, Material, StaffMembership
from catalog.selectors import published_versions
from workflow import actions, services
from workflow.actions import ACTIONS
from workflow.api.action_inputs import MAX_ID, ActionSerializer
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import calendar_known, workdays_left
from workflow.exceptions import InvalidInput, WorkflowError
from workflow.identifiers import mask_phone, mask_resident_id
from workflow.models import (
    Case,
    CaseStatus,
    Channel,
    JointCaseStatus,
    SpecialProcedure,
    StepRun,
    StepStatus,
)
from workflow.permissions import offered_actions
from workflow.selectors import (
    case_get_by_tracking,
    case_get_for_applicant,
    case_get_for_staff,
    cases_for_applicant,
    cases_for_staff,
)
from workflow.transitions import WINDOW

# --- errors ---------------------------------------------------------------------------------


class CaseErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("What is wrong, in the user's language."))
    fields = serializers.DictField(  # type: ignore[assignment]  # the error body's own field
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("The messages per input field, when the input was at fault."),
    )


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as ``{"items.0.material": [messages]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            flat.update(
                _flatten(value, prefix if key == api_settings.NON_FIELD_ERRORS_KEY else name)
            )
    elif isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        messages = errors if isinstance(errors, list) else [errors]
        flat.setdefault(prefix, []).extend(str(message) for message in messages)
    return flat


def invalid_input(errors) -> Response:
    """A 400 for input a serializer refused: every message on one line, and per field."""
    fields = _flatten(errors)
    detail = " ".join(
        " ".join(messages) if not name else f"{name}: {' '.join(messages)}"
        for name, messages in fields.items()
    )
    return Response(
        {"detail": detail, "fields": {name or "non_field_errors": m for name, m in fields.items()}},
        status=status.HTTP_400_BAD_REQUEST,
    )


def refused(error: WorkflowError) -> Response:
    """The service's refusal as the API answers it: its message and its status."""
    body: dict = {"detail": str(error.message)}
    if error.fields:
        body["fields"] = {
            name: [str(m) for m in messages] for name, messages in error.fields.items()
        }
    return Response(body, status=error.status)


ERROR_RESPONSES = {
    400: OpenApiResponse(CaseErrorSerializer, description=gettext_lazy("Bad input.")),
    401: OpenApiResponse(
        CaseErrorSerializer,
        description=gettext_lazy(
            "Not logged in: no API token or session, or the token expired or was revoked."
        ),
    ),
    403: OpenApiResponse(CaseErrorSerializer, description=gettext_lazy("The role is missing.")),
    404: OpenApiResponse(
        CaseErrorSerializer, description=gettext_lazy("No case with this id that you may see.")
    ),
    409: OpenApiResponse(
        CaseErrorSerializer,
        description=gettext_lazy(
            "Not possible in the case's current state, or the case changed since expected_revision."
        ),
    ),
}


# --- reading a case -------------------------------------------------------------------------


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _open_step(case: Case) -> StepRun | None:
    steps = getattr(case, "open_steps", None)
    if steps is None:
        steps = [step for step in case.steps.all() if step.status == StepStatus.OPEN]
    return steps[0] if steps else None


class CaseItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField()
    version = serializers.IntegerField(source="number")


class CurrentStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    assignee = serializers.SerializerMethodField(
        help_text=gettext_lazy("Who claimed the step; null while it waits in the queue.")
    )
    due_on = serializers.DateField(allow_null=True)

    def get_assignee(self, step: StepRun) -> str | None:
        return _person(step.assignee)


class CaseStepSerializer(CurrentStepSerializer):
    status = serializers.CharField(
        help_text=gettext_lazy("waiting, open, done, returned or cancelled.")
    )
    opened_on = serializers.DateField(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    opinion = serializers.CharField()


class CaseNoticeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The printable notice: the applicant's page or the workbench's.")
    )

    def get_url(self, notice) -> str:
        own = notice.case.applicant_id is not None and (
            notice.case.applicant_id == self.context.get("user_id")
        )
        name = "applicant-notice" if own else "workbench-notice"
        path = reverse(name, args=[notice.case_id, notice.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class EventStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()


class CaseEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField(help_text=gettext_lazy("Empty for the creation."))
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField(help_text=gettext_lazy("The reason or the opinion."))
    step = EventStepSerializer(allow_null=True)

    def get_actor(self, event) -> str | None:
        return _person(event.actor)


class CaseMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a material's flag
    deferrable = serializers.BooleanField(
        help_text=gettext_lazy("May come after acceptance (容缺).")
    )


class CaseFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="submission.round")
    material = serializers.IntegerField(source="material_id")
    material_name = serializers.CharField(source="material.name")
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class SuspensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    procedure = serializers.ChoiceField(choices=SpecialProcedure.choices)
    reason = serializers.CharField()
    expected_days = serializers.IntegerField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    workdays = serializers.IntegerField(allow_null=True)


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    days = serializers.IntegerField()
    reason = serializers.CharField()
    status = serializers.CharField(help_text=gettext_lazy("requested, approved or refused."))
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class FeeRecordSerializer(serializers.Serializer):
    name = serializers.CharField()
    standard_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    receipt_number = serializers.CharField()
    deviation_reason = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class JointCaseRefSerializer(serializers.Serializer):
    """The joint case (联办件) a sub-case belongs to."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=JointCaseStatus.choices)
    joint_item = serializers.CharField(source="joint_item.code")
    joint_item_name = serializers.CharField(source="joint_item.name")
    lead_department = serializers.CharField(source="joint_item.lead_department.code")
    accepted_on = serializers.DateField()
    due_on = serializers.DateField()


class CaseListSerializer(serializers.Serializer):
    """A case as the list shows it. Identifiers and the phone are in full for the applicant and
    for staff of the case's department; center-wide readers see them masked."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    revision = serializers.IntegerField(
        help_text=gettext_lazy("Send it back as expected_revision to act only on this state.")
    )
    item = CaseItemSerializer(source="item_version")
    department = DepartmentRefSerializer()
    applicant_kind = serializers.CharField()
    applicant_name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    credit_code = serializers.SerializerMethodField()
    agent_name = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    green_channel = serializers.BooleanField()
    agent_service = serializers.BooleanField()
    received_on = serializers.DateField(allow_null=True)
    intake_late = serializers.BooleanField()
    accepted_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    statutory_due_on = serializers.DateField(allow_null=True)
    workdays_left = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Working days from today to due_on (negative when overdue) while the clock runs; "
            "while it is suspended, those left on the day of suspension (the clock stands "
            "still); null once it has stopped."
        )
    )
    calendar_known = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "False when one of the case's due dates (due_on, statutory_due_on, the open step's "
            "due date, delivery_due_on, deferred_due_on) lies in a year whose official holiday "
            "schedule is not loaded: it was counted Monday to Friday and moves when the "
            "schedule is entered."
        )
    )
    clock = serializers.ChoiceField(choices=["running", "suspended", "stopped"])
    suspended_since = serializers.DateField(allow_null=True)
    deferred_due_on = serializers.DateField(allow_null=True)
    current_step = serializers.SerializerMethodField()
    decision = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    licence_number = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    delivery_due_on = serializers.DateField(allow_null=True)
    delivered_on = serializers.DateField(allow_null=True)
    delivery_method = serializers.CharField()
    delivery_requested = serializers.CharField(
        help_text=gettext_lazy("How the applicant asked to receive the result; empty if not yet.")
    )
    notices = CaseNoticeSerializer(many=True)
    joint_case = JointCaseRefSerializer(
        allow_null=True,
        help_text=gettext_lazy("For a sub-case of a joint item: the joint case; null otherwise."),
    )

    def _sees_identity(self, case: Case) -> bool:
        return (
            case.applicant_id is not None and case.applicant_id == self.context["user_id"]
        ) or case.department_id in self.context["own_departments"]

    def _identifier(self, case: Case, value: str) -> str:
        return value if not value or self._sees_identity(case) else mask_resident_id(value)

    def get_id_number(self, case: Case) -> str:
        return self._identifier(case, case.id_number)

    def get_credit_code(self, case: Case) -> str:
        return self._identifier(case, case.credit_code)

    def get_workdays_left(self, case: Case) -> int | None:
        if case.clock == "stopped":
            return None
        return workdays_left(
            case.due_on,
            today=self.context["today"],
            suspended_since=case.suspended_since,
            calendar=self.context["calendar"],
        )

    def get_calendar_known(self, case: Case) -> bool:
        step = _open_step(case)
        return calendar_known(
            case.due_on,
            case.statutory_due_on,
            step.due_on if step is not None else None,
            case.delivery_due_on,
            case.deferred_due_on,
            calendar=self.context["calendar"],
        )

    @extend_schema_field(CurrentStepSerializer(allow_null=True))
    def get_current_step(self, case: Case):
        step = _open_step(case)
        return None if step is None else CurrentStepSerializer(step).data


class CaseDetailSerializer(CaseListSerializer):
    """The whole case: its materials and files, steps, clock rows, fees and timeline."""

    contact_phone = serializers.SerializerMethodField()
    agent_id_number = serializers.SerializerMethodField()
    query_code = serializers.SerializerMethodField(
        help_text=gettext_lazy("For tracking without login; only the applicant and its staff.")
    )
    decision_reasons = serializers.CharField()
    tracking_number = serializers.CharField()
    materials = serializers.SerializerMethodField(
        help_text=gettext_lazy("The item's materials, as the case was applied for.")
    )
    files = serializers.SerializerMethodField()
    steps = CaseStepSerializer(many=True)
    suspensions = SuspensionSerializer(many=True)
    extensions = ExtensionSerializer(many=True)
    fees = FeeRecordSerializer(many=True)
    events = CaseEventSerializer(many=True)
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The actions you may take on the case now, each the name of its endpoint "
            "(POST cases/{id}/<name>/); the same list the workbench and the online hall offer."
        )
    )

    def get_contact_phone(self, case: Case) -> str:
        return case.contact_phone if self._sees_identity(case) else mask_phone(case.contact_phone)

    def get_agent_id_number(self, case: Case) -> str:
        return self._identifier(case, case.agent_id_number)

    def get_query_code(self, case: Case) -> str | None:
        return case.query_code if self._sees_identity(case) else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        request = self.context.get("request")
        return offered_actions(case, request.user if request is not None else None)

    @extend_schema_field(CaseMaterialSerializer(many=True))
    def get_materials(self, case: Case):
        return CaseMaterialSerializer(case.item_version.materials.all(), many=True).data

    @extend_schema_field(CaseFileSerializer(many=True))
    def get_files(self, case: Case):
        files = [f for submission in case.submissions.all() for f in submission.files.all()]
        return CaseFileSerializer(files, many=True).data


def case_context(request: Request) -> dict:
    """What the case serializers need of the request: who reads, today and the calendar."""
    user = request.user
    departments = set()
    if user.is_authenticated:
        departments = set(
            StaffMembership.objects.filter(user=user, department__isnull=False).values_list(
                "department_id", flat=True
            )
        )
    return {
        "request": request,
        "user_id": user.pk if user.is_authenticated else None,
        "own_departments": departments,
        "today": shanghai_today(timezone.now()),
        "calendar": load_work_calendar(),
    }


def case_for_user(user, pk: int) -> Case:
    """The case with its detail if ``user`` may see it as its applicant or as staff; else 404."""
    try:
        return case_get_for_applicant(user=user, pk=pk)
    except Http404:
        return case_get_for_staff(user=user, pk=pk)


def visible_cases(user) -> QuerySet[Case]:
    """The applicant's own cases and, for staff, their departments' cases, ready for a list."""
    return (
        (cases_for_applicant(user) | cases_for_staff(user))
        .select_related(
            "item_version__item", "department", "joint_case__joint_item__lead_department"
        )
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=StepRun.objects.filter(status=StepStatus.OPEN).select_related("assignee"),
                to_attr="open_steps",
            ),
            "notices",
        )
        .order_by("-created_at", "-id")
    )


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=gettext_lazy("Status"))
    item = django_filters.CharFilter(
        field_name="item_version__item__code", max_length=60, label=gettext_lazy("Item code")
    )
    number = django_filters.CharFilter(
        field_name="number", max_length=40, label=gettext_lazy("Case number")
    )

    class Meta:
        model = Case
        fields = ["status", "item", "number"]


# --- input of the actions -------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    """A new draft. The applicant's fields are checked by the service, which names each mistake."""

    item = serializers.CharField(max_length=60, help_text=gettext_lazy("The item's code."))
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text=gettext_lazy(
            "By default window for window staff of the item's department, online otherwise."
        ),
    )
    # Missing fields read as empty: the service then names each one that is required.
    applicant_kind = serializers.ChoiceField(
        choices=[ApplicantType.NATURAL, ApplicantType.LEGAL], default="", allow_blank=True
    )
    applicant_name = serializers.CharField(default="", allow_blank=True, max_length=200)
    id_number = serializers.CharField(default="", allow_blank=True, max_length=40)
    credit_code = serializers.CharField(default="", allow_blank=True, max_length=40)
    agent_name = serializers.CharField(default="", allow_blank=True, max_length=100)
    agent_id_number = serializers.CharField(default="", allow_blank=True, max_length=40)
    contact_phone = serializers.CharField(default="", allow_blank=True, max_length=40)
    green_channel = serializers.BooleanField(required=False, default=False)
    agent_service = serializers.BooleanField(required=False, default=False)
    agent_staff = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text=gettext_lazy("Username of the staff member who acts as agent (代办)."),
    )


class AttachFileSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=gettext_lazy("A material id of the case's item.")
    )
    file = serializers.FileField()


def agent_staff_named(username: str):
    """The staff member acting as agent (代办) by username; None for none; InvalidInput if unknown."""
    if not username:
        return None
    agent = (
        get_user_model()
        .objects.filter(username=username, memberships__isnull=False)
        .distinct()
        .first()
    )
    if agent is None:
        message = _("No staff member has this username.")
        raise InvalidInput(message).with_fields({"agent_staff": [message]})
    return agent


# --- the viewset ----------------------------------------------------------------------------


CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("Case id."))


def case_action(name: str, body: type[ActionSerializer], summary, description: str = ""):
    """Make ``perform(view, request, case, data)`` the endpoint ``POST cases/{id}/<name>/``.

    The endpoint finds the case among those the user may see (404 otherwise), parses the body
    with ``body``, lets ``perform`` call its one service and answers with the case as it is now.
    """

    def decorate(perform: Callable) -> Callable:
        @functools.wraps(perform)
        def endpoint(self, request: Request, pk: str) -> Response:
            case = case_for_user(request.user, int(pk))
            parsed = body(data=request.data)
            if not parsed.is_valid():
                return invalid_input(parsed.errors)
            try:
                perform(self, request, case, parsed.validated_data)
            except WorkflowError as error:
                return refused(error)
            return self.case_response(request, case.pk)

        # @action first: it replaces the function's kwargs, where extend_schema keeps its schema.
        endpoint = drf_action(detail=True, methods=["post"], url_path=str(name))(endpoint)  # type: ignore[assignment]
        return extend_schema(
            summary=summary,
            description=description,
            request=body,
            parameters=[CASE_ID],
            responses={200: CaseDetailSerializer, **ERROR_RESPONSES},
            tags=["cases"],
        )(endpoint)

    return decorate


class CasePagination(CursorPagination):
    """Newest first, "next / previous" by an opaque cursor, no total.

    A page number needs a COUNT over every case the reader may see and an OFFSET that reads
    the rows before it; at a province's millions of cases both take seconds. The cursor is
    the position of the last row, which the index on (created_at, id) starts from.
    """

    ordering = ("-created_at", "-id")
    page_size = api_settings.PAGE_SIZE


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Cases you may see"),
        description=gettext_lazy(
            "An applicant's own cases and, for staff, the cases of their departments; "
            "newest first. Without steps and timeline."
        ),
        responses={
            200: CaseListSerializer(many=True),
            400: OpenApiResponse(
                CaseErrorSerializer,
                description=gettext_lazy("A query parameter has a value it does not take."),
            ),
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
            404: OpenApiResponse(
                CaseErrorSerializer,
                description=gettext_lazy("The page number is past the last page."),
            ),
        },
        tags=["cases"],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One case with its steps, clock and timeline"),
        parameters=[CASE_ID],
        responses={
            200: CaseDetailSerializer,
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
            404: ERROR_RESPONSES[404],
        },
        tags=["cases"],
    ),
    create=extend_schema(
        summary=gettext_lazy("Create a draft application"),
        description=gettext_lazy(
            "Online for the applicant's own account (the item must allow online pre-review), "
            "or at the window by window staff of the item's department."
        ),
        request=CaseCreateSerializer,
        responses={
            201: CaseDetailSerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
        },
        tags=["cases"],
    ),
)
class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cases and the actions on them."""

    permission_classes = [IsAuthenticated]
    queryset = Case.objects.none()
    serializer_class = CaseListSerializer
    filterset_class = CaseFilter
    pagination_class = CasePagination
    # Ids fit a 64-bit integer; anything longer is not a case.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), **case_context(self.request)}

    def case_response(self, request: Request, pk: int, status_code: int = 200) -> Response:
        case = case_for_user(request.user, pk)
        return Response(
            CaseDetailSerializer(case, context=case_context(request)).data, status=status_code
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.case_response(request, int(pk))

    def create(self, request: Request) -> Response:
        parsed = CaseCreateSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        data = dict(parsed.validated_data)
        version = published_versions().filter(item__code=data.pop("item")).first()
        if version is None:
            message = _("No published item has this code.")
            return refused(InvalidInput(message).with_fields({"item": [message]}))
        channel = data.pop("channel", None) or (
            Channel.WINDOW
            if StaffMembership.objects.filter(
                user_id=request.user.pk or 0, department=version.department_id, role__in=WINDOW
            ).exists()
            else Channel.ONLINE
        )
        try:
            agent_staff = agent_staff_named(data.pop("agent_staff", ""))
        except InvalidInput as error:
            return refused(error)
        try:
            case = services.case_create(
                version=version,
                by=request.user,
                channel=channel,
                agent_staff=agent_staff,
                **data,
            )
        except WorkflowError as error:
            return refused(error)
        return self.case_response(request, case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Attach a file for one of the item's materials"),
        description=gettext_lazy(
            "To a draft, or in answer to a supplement notice (only the materials it lists); "
            "after acceptance, a material accepted as pending (容缺). PDF, images and office "
            "documents up to the configured size."
        ),
        request={"multipart/form-data": AttachFileSerializer},
        parameters=[CASE_ID],
        responses={201: CaseDetailSerializer, **ERROR_RESPONSES},
        tags=["cases"],
    )
    @drf_action(
        detail=True,
        methods=["post"],
        url_path="materials",
        parser_classes=[MultiPartParser, FormParser],
    )
    def materials(self, request: Request, pk: str) -> Response:
        case = case_for_user(request.user, int(pk))
        parsed = AttachFileSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        material = Material.objects.filter(pk=parsed.validated_data["material"]).first()
        upload = parsed.validated_data["file"]
        try:
            if material is None:
                raise InvalidInput(_("This material is not one of this item's materials."))
            if case.status in (CaseStatus.DRAFT, CaseStatus.NEEDS_SUPPLEMENT):
                services.case_attach_material(
                    case=case, material=material, upload=upload, by=request.user
                )
            else:
                services.case_supply_deferred(
                    case=case, material=material, upload=upload, by=request.user
                )
        except WorkflowError as error:
            return refused(error)
        return self.case_response(request, case.pk, status.HTTP_201_CREATED)


def _add_action_endpoints(viewset: type[viewsets.GenericViewSet]) -> None:
    """One endpoint ``POST cases/{id}/<name>/`` for every action of the registry with a
    serializer: parse the body, let the registry carry it out, answer with the case."""
    for entry in ACTIONS.values():
        if entry.serializer is None:
            continue
        method = case_action(entry.name, entry.serializer, entry.summary)(_performer(entry.name))
        setattr(viewset, str(entry.name).replace("-", "_"), method)


def _performer(name: str) -> Callable:
    def perform(self, request: Request, case: Case, data: dict) -> None:
        actions.perform(name, case=case, by=request.user, data=data)

    perform.__name__ = perform.__qualname__ = name.replace("-", "_")
    return perform


_add_action_endpoints(CaseViewSet)


# --- tracking without login -----------------------------------------------------------------


class TrackQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text=gettext_lazy("The case number."))
    code = serializers.CharField(
        max_length=12, help_text=gettext_lazy("The query code on the acceptance receipt.")
    )


class TrackEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()


class TrackSerializer(serializers.Serializer):
    """What anyone holding the number and the query code may know: no names, no reasons."""

    number = serializers.CharField()
    item = serializers.CharField(source="item_version.name")
    department = serializers.CharField(source="department.name")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    accepted_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    clock = serializers.ChoiceField(choices=["running", "suspended", "stopped"])
    current_step = serializers.SerializerMethodField()
    decision = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    delivered_on = serializers.DateField(allow_null=True)
    events = TrackEventSerializer(many=True)

    def get_current_step(self, case: Case) -> str | None:
        step = case.steps.filter(status=StepStatus.OPEN).first()
        return step.name if step else None


class TrackView(APIView):
    """Case tracking (办件查询) with the number and the query code, no account needed."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, TrackingThrottle]

    @extend_schema(
        summary=gettext_lazy("Track a case by its number and query code"),
        parameters=[TrackQuerySerializer],
        responses={
            200: TrackSerializer,
            400: ERROR_RESPONSES[400],
            404: OpenApiResponse(
                CaseErrorSerializer, description=gettext_lazy("No case has this number and code.")
            ),
            429: OpenApiResponse(
                CaseErrorSerializer,
                description=gettext_lazy("Too many requests from this address; wait and retry."),
            ),
        },
        tags=["cases"],
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = TrackQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return invalid_input(query.errors)
        case = case_get_by_tracking(
            number=query.validated_data["number"], query_code=query.validated_data["code"]
        )
        if case is None:
            return Response(
                {"detail": _("No case has this number and query code; check both.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(TrackSerializer(case).data)
