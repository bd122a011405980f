"""The applicant's own endpoints (``/api/v1/me/``): the hall's profile, apply wizard and "my
cases" for an app, by API token or by the hall's session (with its CSRF token).

Each endpoint does what the hall's page does, through the same forms, services and getters:
``case_get_for_applicant`` is the only way to a case (anyone else's is a 404), the wizard's
``DetailsForm`` checks who applies, ``case_attach_material`` checks each file, ``case_submit``
sends a draft once however often it is asked. Staff accounts are refused (403): their cases
are under ``/api/v1/cases/``.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.downloads import private_file_response
from catalog.models import ItemVersion
from catalog.roles import is_staff_member
from catalog.selectors import published_version_detail
from workflow.api.cases import ERROR_RESPONSES, CaseErrorSerializer, CasePagination, invalid_input
from workflow.api.cases import refused as workflow_refused
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.exceptions import InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.models import Case, CaseStatus, Channel, Notice
from workflow.notice_views import TITLES
from workflow.selectors import (
    case_get_for_applicant,
    cases_for_applicant_newest,
    deferred_materials_pending,
    material_files_reusable,
)
from workflow.services import (
    APPLICANT_FIELDS,
    case_attach_material,
    case_choose_delivery,
    case_create,
    case_detach_material,
    case_particulars_change,
    case_submit,
    case_supply_deferred,
    case_withdraw,
)
from workflow.transitions import Action, check_transition

from ..access import applicant_profile
from ..apply_forms import DetailsForm, account_particulars
from ..apply_views import reused_copy
from ..mycases_forms import SupplementAnswerForm, WithdrawForm
from ..mycases_views import requested_materials, supplement_send
from .serializers import (
    MyCaseListSerializer,
    MyCaseSerializer,
    MyDeliveryChoiceSerializer,
    MyDraftCreateSerializer,
    MyDraftListSerializer,
    MyDraftSerializer,
    MyNoticeSerializer,
    MyParticularsSerializer,
    MyPendingMaterialSerializer,
    MyProfileSerializer,
    MyReuseSerializer,
    MyUploadSerializer,
    MyWithdrawSerializer,
)

# One group in the API docs: everything an applicant does with their own account.
TAG = "me"


class IsApplicant(BasePermission):
    """Logged in, by token or session, with an account that holds no staff role."""

    message = gettext_lazy(
        "These endpoints are an applicant's own; a staff account reads cases at /api/v1/cases/."
    )

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not is_staff_member(user))


# --- answers and refusals ------------------------------------------------------------------


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(CaseErrorSerializer, description=description)


NOT_AN_APPLICANT = _error(
    gettext_lazy(
        "A staff account: these endpoints are an applicant's own. Or a session request "
        "without its CSRF token."
    )
)
NO_DRAFT = gettext_lazy("You have no draft with this id; a submitted application is in me/cases/.")
NO_CASE = gettext_lazy("You have no case with this id.")
NO_MATERIAL = gettext_lazy("This material is not one of this item's materials.")
READ_ERRORS = {401: ERROR_RESPONSES[401], 403: NOT_AN_APPLICANT}
LIST_ERRORS = {
    **READ_ERRORS,
    404: _error(gettext_lazy("The cursor is not one this list gave.")),
}
DRAFT_ERRORS = {
    400: ERROR_RESPONSES[400],
    **READ_ERRORS,
    404: _error(gettext_lazy("No draft of yours with this id, or no such material of its item.")),
    409: _error(gettext_lazy("Not possible in the application's current state.")),
}
CASE_ERRORS = {
    400: ERROR_RESPONSES[400],
    **READ_ERRORS,
    404: _error(NO_CASE),
    409: _error(gettext_lazy("Not possible in the case's current state.")),
}


def me_context(request: Request) -> dict:
    """What the serializers need: the request (who reads), today and the calendar."""
    return {
        "request": request,
        "today": shanghai_today(timezone.now()),
        "calendar": load_work_calendar(),
    }


def refused_on(field: str, error: WorkflowError) -> Response:
    """The service's refusal, named on the input ``field`` as well (a file, an item code)."""
    message = str(error.message)
    fields = {name: [str(m) for m in messages] for name, messages in error.fields.items()}
    return Response(
        {"detail": message, "fields": fields or {field: [message]}}, status=error.status
    )


def form_refused(form) -> Response:
    """A hall form's errors as the API answers refused input."""
    return invalid_input(
        {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in form.errors.items()
        }
    )


def own_case(user, case_id: int) -> Case:
    """The applicant's own case with its detail; 404 (in JSON) for anyone else's."""
    try:
        return case_get_for_applicant(user=user, pk=case_id)
    except Http404:
        raise NotFound(NO_CASE) from None


def own_draft(user, draft_id: int) -> Case:
    """The applicant's own draft; 404 for anyone else's, and once it is submitted."""
    try:
        case = case_get_for_applicant(user=user, pk=draft_id)
    except Http404:
        case = None
    if case is None or case.status != CaseStatus.DRAFT:
        raise NotFound(NO_DRAFT)
    return case


def _material(case: Case, material_id: int):
    material = case.item_version.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound(NO_MATERIAL)
    return material


class MeView(APIView):
    permission_classes = [IsApplicant]

    def draft_answer(self, request: Request, draft_id: int, code: int = 200) -> Response:
        case = own_draft(request.user, draft_id)
        return Response(MyDraftSerializer(case, context=me_context(request)).data, status=code)

    def case_answer(self, request: Request, case_id: int, code: int = 200) -> Response:
        case = own_case(request.user, case_id)
        return Response(MyCaseSerializer(case, context=me_context(request)).data, status=code)


# --- the profile ---------------------------------------------------------------------------


class ProfileView(MeView):
    @extend_schema(
        summary=gettext_lazy("Your account's particulars"),
        description=gettext_lazy(
            "As the profile page shows them, the numbers partly hidden. They are not changed "
            "through the API."
        ),
        responses={
            200: MyProfileSerializer,
            **READ_ERRORS,
            404: _error(gettext_lazy("The account has no applicant particulars.")),
        },
        tags=[TAG],
    )
    def get(self, request: Request) -> Response:
        profile = applicant_profile(request.user)
        if profile is None:
            raise NotFound(
                _(
                    "This account has no applicant particulars, so it cannot use the online "
                    "hall's personal pages. Open an applicant account with your phone number."
                )
            )
        return Response(MyProfileSerializer(profile).data)


# --- drafts --------------------------------------------------------------------------------


class DraftListView(MeView, GenericAPIView):
    queryset = Case.objects.none()
    serializer_class = MyDraftListSerializer
    pagination_class = CasePagination

    @extend_schema(
        summary=gettext_lazy("Your drafts"),
        description=gettext_lazy("Applications not sent yet, newest first, by cursor pages."),
        responses={200: MyDraftListSerializer(many=True), **LIST_ERRORS},
        tags=[TAG],
    )
    def get(self, request: Request) -> Response:
        drafts = cases_for_applicant_newest(request.user).filter(status=CaseStatus.DRAFT)
        page = self.paginate_queryset(drafts)
        data = MyDraftListSerializer(page, many=True, context=me_context(request)).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary=gettext_lazy("Start an application for online pre-review"),
        description=gettext_lazy(
            "The item must be current and open to online pre-review, and admit your kind of "
            "applicant. Who applies is taken from your account; a field given replaces it. "
            "Checked as the apply wizard checks it."
        ),
        request=MyDraftCreateSerializer,
        responses={201: MyDraftSerializer, **READ_ERRORS, 400: ERROR_RESPONSES[400]},
        tags=[TAG],
    )
    def post(self, request: Request) -> Response:
        parsed = MyDraftCreateSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        given = dict(parsed.validated_data)
        try:
            version = published_version_detail(given.pop("item_code"))
        except ItemVersion.DoesNotExist:
            return refused_on("item_code", InvalidInput(_("No published item has this code.")))
        if not version.online_prereview:
            return refused_on(
                "item_code",
                InvalidInput(_("This item cannot be applied for online; apply at the window.")),
            )
        form = DetailsForm({**account_particulars(request.user), **given}, version=version)
        if not form.is_valid():
            return form_refused(form)
        try:
            case = case_create(
                version=version, by=request.user, channel=Channel.ONLINE, **form.applicant()
            )
        except WorkflowError as error:
            return workflow_refused(error)
        answer = self.draft_answer(request, case.pk, status.HTTP_201_CREATED)
        answer["Location"] = reverse("api-me-draft", args=[case.pk])
        return answer


class DraftView(MeView):
    @extend_schema(
        summary=gettext_lazy("One of your drafts"),
        description=gettext_lazy(
            "Who applies, each material with its files and the earlier files you may reuse "
            "for it, and the materials still missing."
        ),
        responses={200: MyDraftSerializer, **READ_ERRORS, 404: DRAFT_ERRORS[404]},
        tags=[TAG],
    )
    def get(self, request: Request, draft_id: int) -> Response:
        return self.draft_answer(request, draft_id)

    @extend_schema(
        summary=gettext_lazy("Change who applies on a draft"),
        description=gettext_lazy(
            "The fields given replace the draft's; they are checked as the apply wizard checks "
            "them."
        ),
        request=MyParticularsSerializer,
        responses={200: MyDraftSerializer, **DRAFT_ERRORS},
        tags=[TAG],
    )
    def patch(self, request: Request, draft_id: int) -> Response:
        case = own_draft(request.user, draft_id)
        parsed = MyParticularsSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        current = {name: getattr(case, name) for name in APPLICANT_FIELDS}
        form = DetailsForm({**current, **parsed.validated_data}, version=case.item_version)
        if not form.is_valid():
            return form_refused(form)
        try:
            case_particulars_change(case=case, by=request.user, **form.applicant())
        except WorkflowError as error:
            return workflow_refused(error)
        return self.draft_answer(request, case.pk)


class DraftFileView(MeView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Upload a file for one of the draft's materials"),
        description=gettext_lazy(
            "Kept on the draft at once. The file's type, size and content are checked as in "
            "the apply wizard; a refused file is not kept."
        ),
        request={"multipart/form-data": MyUploadSerializer},
        responses={201: MyDraftSerializer, **DRAFT_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, draft_id: int, material_id: int) -> Response:
        case = own_draft(request.user, draft_id)
        material = _material(case, material_id)
        parsed = MyUploadSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            case_attach_material(
                case=case, material=material, upload=parsed.validated_data["file"], by=request.user
            )
        except WorkflowError as error:
            return refused_on("file", error)
        return self.draft_answer(request, case.pk, status.HTTP_201_CREATED)


class DraftFileRemoveView(MeView):
    @extend_schema(
        summary=gettext_lazy("Remove a wrong file from the draft"),
        description=gettext_lazy(
            "Only a file of the draft not yet sent; a file already sent stays on the record."
        ),
        responses={200: MyDraftSerializer, **DRAFT_ERRORS},
        tags=[TAG],
    )
    def delete(self, request: Request, draft_id: int, material_id: int, file_id: int) -> Response:
        case = own_draft(request.user, draft_id)
        _material(case, material_id)
        try:
            case_detach_material(case=case, file_id=file_id, by=request.user)
        except WorkflowError as error:
            return refused_on("file", error)
        return self.draft_answer(request, case.pk)


class DraftReuseView(MeView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Attach a file from one of your earlier applications"),
        description=gettext_lazy(
            "Material reuse (材料复用): one of the material's reusable files (the draft lists "
            "them) is attached again as a copy, checked like an upload."
        ),
        request=MyReuseSerializer,
        responses={201: MyDraftSerializer, **DRAFT_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, draft_id: int, material_id: int) -> Response:
        case = own_draft(request.user, draft_id)
        material = _material(case, material_id)
        parsed = MyReuseSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        offers = material_files_reusable(
            user=request.user, names=[material.name], exclude_case_id=case.pk
        )
        stored = next((f for f in offers if f.pk == parsed.validated_data["file"]), None)
        if stored is None:
            return refused_on(
                "file",
                InvalidInput(
                    _("This is not one of your files from an earlier application for “%(name)s”.")
                    % {"name": material.name}
                ),
            )
        try:
            case_attach_material(
                case=case, material=material, upload=reused_copy(stored), by=request.user
            )
        except WorkflowError as error:
            return refused_on("file", error)
        return self.draft_answer(request, case.pk, status.HTTP_201_CREATED)


def _submitted_once(case: Case) -> bool:
    return any(s.submitted_at is not None for s in case.submissions.all())


class DraftSubmitView(MeView):
    @extend_schema(
        summary=gettext_lazy("Submit a draft for online pre-review"),
        description=gettext_lazy(
            "Sent once however often it is asked: a retried request or a second device gets "
            "the case as the first request left it (200). The window answers within 5 working "
            "days (Art. 32); the case is then under me/cases/."
        ),
        request=None,
        responses={
            200: MyCaseSerializer,
            **DRAFT_ERRORS,
            400: _error(gettext_lazy("Materials are missing; the message names them.")),
            404: _error(NO_CASE),
        },
        tags=[TAG],
    )
    def post(self, request: Request, draft_id: int) -> Response:
        case = own_case(request.user, draft_id)
        if case.status == CaseStatus.DRAFT:
            try:
                case_submit(case=case, by=request.user)
            except TransitionNotAllowed as error:
                # Another request submitted it between our read and our lock.
                if not _submitted_once(own_case(request.user, draft_id)):
                    return workflow_refused(error)
            except WorkflowError as error:
                return workflow_refused(error)
        elif not _submitted_once(case):
            # A draft withdrawn before it was ever sent: nothing to answer a retry with.
            try:
                check_transition(Action.SUBMIT, case.status)
            except TransitionNotAllowed as error:
                return workflow_refused(error)
        return self.case_answer(request, draft_id)


# --- cases ---------------------------------------------------------------------------------


class CaseListView(MeView, GenericAPIView):
    queryset = Case.objects.none()
    serializer_class = MyCaseListSerializer
    pagination_class = CasePagination

    @extend_schema(
        summary=gettext_lazy("Your cases"),
        description=gettext_lazy(
            "Every application of yours, drafts included, newest first, by cursor pages (no "
            "total): each with its status and the due date you wait for."
        ),
        responses={200: MyCaseListSerializer(many=True), **LIST_ERRORS},
        tags=[TAG],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(cases_for_applicant_newest(request.user))
        # The due date of a submitted round reads its submissions: one query for the page.
        prefetch_related_objects(page, "submissions")
        data = MyCaseListSerializer(page, many=True, context=me_context(request)).data
        return self.get_paginated_response(data)


class CaseView(MeView):
    @extend_schema(
        summary=gettext_lazy("One of your cases"),
        description=gettext_lazy(
            "Its status, the due date with the working days left and, while suspended or once "
            "extended, why; the timeline in plain words; the notices; the materials a "
            "supplement notice asks for; what you may do now."
        ),
        responses={200: MyCaseSerializer, **READ_ERRORS, 404: CASE_ERRORS[404]},
        tags=[TAG],
    )
    def get(self, request: Request, case_id: int) -> Response:
        return self.case_answer(request, case_id)


class CaseWithdrawView(MeView):
    @extend_schema(
        summary=gettext_lazy("Withdraw an application"),
        description=gettext_lazy(
            "A withdrawn application cannot be taken up again; you would apply anew."
        ),
        request=MyWithdrawSerializer,
        responses={200: MyCaseSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        form = WithdrawForm(request.data, prefix="")
        if not form.is_valid():
            return form_refused(form)
        try:
            case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as error:
            return workflow_refused(error)
        return self.case_answer(request, case_id)


# One file field per requested material, named after it: the fields differ from case to case.
SUPPLEMENT_BODY = {"type": "object", "additionalProperties": {"type": "string", "format": "binary"}}


class CaseSupplementView(MeView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Answer the supplement notice"),
        description=gettext_lazy(
            "Exactly the materials the notice asks for (supplement_requested), one file each in "
            "a field named material_<id>; they go to the window at once, which answers within "
            "5 working days. A refused file keeps none of them."
        ),
        request={"multipart/form-data": SUPPLEMENT_BODY},
        responses={200: MyCaseSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        requested = requested_materials(case)
        if case.status != CaseStatus.NEEDS_SUPPLEMENT or not requested:
            return workflow_refused(
                TransitionNotAllowed(_("This case is not waiting for a supplement."))
            )
        form = SupplementAnswerForm(request.data, request.FILES, requested=requested, prefix="")
        if not form.is_valid():
            return form_refused(form)
        try:
            supplement_send(case=case, uploads=form.uploads(), by=request.user)
        except WorkflowError as error:
            return workflow_refused(error)
        return self.case_answer(request, case_id)


class CaseDeliveryView(MeView):
    @extend_schema(
        summary=gettext_lazy("Choose how the result reaches you"),
        description=gettext_lazy(
            "Once decided (Art. 44): pickup at the window, post (recipient, phone and full "
            "address) or electronic; it may be changed until the result is handed over."
        ),
        request=MyDeliveryChoiceSerializer,
        responses={200: MyCaseSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        parsed = MyDeliveryChoiceSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        try:
            case_choose_delivery(case=case, by=request.user, **parsed.validated_data)
        except WorkflowError as error:
            return workflow_refused(error)
        return self.case_answer(request, case_id)


class CasePendingMaterialView(MeView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Bring a material accepted as pending"),
        description=gettext_lazy(
            "A material the window accepted as pending (容缺) comes before its date; the "
            "decision waits for it."
        ),
        request={"multipart/form-data": MyPendingMaterialSerializer},
        responses={200: MyCaseSerializer, **CASE_ERRORS},
        tags=[TAG],
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = own_case(request.user, case_id)
        parsed = MyPendingMaterialSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        pending = {m.pk: m for m in deferred_materials_pending(case)}
        material = pending.get(parsed.validated_data["material"])
        if material is None:
            message = _("Only a material accepted as pending can be brought now.")
            return invalid_input({"material": [message]})
        try:
            case_supply_deferred(
                case=case, material=material, upload=parsed.validated_data["file"], by=request.user
            )
        except WorkflowError as error:
            return refused_on("file", error)
        return self.case_answer(request, case_id)


class CaseNoticeView(MeView):
    @extend_schema(
        summary=gettext_lazy("A notice issued to you"),
        description=gettext_lazy(
            "The notice as it was issued: its content is frozen then and never changes."
        ),
        responses={
            200: MyNoticeSerializer,
            **READ_ERRORS,
            404: _error(gettext_lazy("No notice with this id on a case of yours.")),
        },
        tags=[TAG],
    )
    def get(self, request: Request, case_id: int, notice_id: int) -> Response:
        case = own_case(request.user, case_id)
        # The getter prefetched the case's notices: never another case's.
        notice: Notice | None = next((n for n in case.notices.all() if n.pk == notice_id), None)
        if notice is None or notice.kind not in TITLES:
            raise NotFound(_("This case has no notice with this id."))
        return Response(MyNoticeSerializer(notice, context=me_context(request)).data)


class CaseFileView(MeView):
    @extend_schema(
        summary=gettext_lazy("Download one of your files"),
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The file.")
            ),
            (401, "application/json"): READ_ERRORS[401],
            (403, "application/json"): READ_ERRORS[403],
            (404, "application/json"): _error(gettext_lazy("No file of yours with this id.")),
        },
        tags=[TAG],
    )
    def get(self, request: Request, case_id: int, file_id: int) -> HttpResponse:
        case = own_case(request.user, case_id)
        stored = next(
            (f for s in case.submissions.all() for f in s.files.all() if f.pk == file_id), None
        )
        if stored is None:
            raise NotFound(_("This case has no file of yours with this id."))
        return private_file_response(stored.file, filename=stored.original_name)
