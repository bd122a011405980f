"""Joint cases (联办件 / 一件事) in the API: read them, and take one in at the lead window.

Staff see the joint cases with a sub-case they may see; each sub-case is an ordinary case of
``/api/v1/cases/``, acted on there. Taking a joint item in is for window staff of its lead
department, with the files of every member item in one multipart request.
"""

import re

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from approval_center.api_errors import NO_SUCH_PAGE, error_response
from catalog.models import JointItem
from workflow import services
from workflow.exceptions import InvalidInput, WorkflowError
from workflow.models import JointCase
from workflow.selectors import (
    joint_case_get_for_staff,
    joint_cases_for_staff,
    joint_sub_cases_visible_to,
)

from .cases import (
    ERROR_RESPONSES,
    CaseCreateSerializer,
    JointCaseRefSerializer,
    agent_staff_named,
    invalid_input,
    refused,
)

MATERIAL_FIELD = re.compile(r"material_([0-9]{1,18})")


class SubCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    item = serializers.CharField(source="item_version.item.code")
    item_name = serializers.CharField(source="item_version.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    due_on = serializers.DateField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)


class JointCaseSerializer(JointCaseRefSerializer):
    status_label = serializers.CharField(source="get_status_display")
    joint_limit = serializers.IntegerField(source="joint_item.joint_limit")
    applicant_name = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class JointCaseDetailSerializer(JointCaseSerializer):
    query_code = serializers.CharField(
        help_text=gettext_lazy("For tracking each sub-case without login.")
    )
    sub_cases = SubCaseSerializer(many=True)


class JointCaseCreateSerializer(CaseCreateSerializer):
    """The applicant once for every member item; the files come as ``material_<id>`` parts."""

    item = None  # type: ignore[assignment]  # a joint intake names the joint item instead
    channel = None  # type: ignore[assignment]
    joint_item = serializers.CharField(
        max_length=40, help_text=gettext_lazy("The joint item's code.")
    )
    deferred_due_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("When optional materials are still missing: the day they are due."),
    )


def _files_by_version(request: Request, joint_item: JointItem) -> dict[int, dict[int, list]]:
    """The uploaded parts ``material_<id>``, grouped by the member item they belong to."""
    owner = {
        material.pk: version.pk
        for version in joint_item.member_versions().prefetch_related("materials")
        for material in version.materials.all()
    }
    files: dict[int, dict[int, list]] = {}
    for name in request.FILES:
        match = MATERIAL_FIELD.fullmatch(name)
        material_id = int(match.group(1)) if match else None
        if material_id is None or material_id not in owner:
            message = _("“%(field)s” is not a material of this joint item's items.") % {
                "field": name
            }
            raise InvalidInput(message).with_fields({name: [message]})
        files.setdefault(owner[material_id], {})[material_id] = request.FILES.getlist(name)
    return files


JOINT_CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Joint case id.")


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Joint cases you may see"),
        description=gettext_lazy(
            "The joint cases with a sub-case of your departments, newest first."
        ),
        responses={
            200: JointCaseSerializer(many=True),
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
            404: NO_SUCH_PAGE,
        },
        tags=["joint cases"],
    ),
)
class JointCaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Joint cases and the intake of a joint item."""

    permission_classes = [IsAuthenticated]
    queryset = JointCase.objects.none()
    serializer_class = JointCaseSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    # The intake carries files; the rest of the resource is read-only.
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[JointCase]:
        return joint_cases_for_staff(self.request.user)

    def _detail(self, request: Request, pk: int, status_code: int = 200) -> Response:
        joint = joint_case_get_for_staff(user=request.user, pk=pk)
        data = JointCaseDetailSerializer(joint).data
        visible = joint_sub_cases_visible_to(request.user, joint)
        # Another department's sub-case shows its progress, not its id to open.
        for sub_case in data["sub_cases"]:
            if sub_case["id"] not in visible:
                sub_case["id"] = None
        return Response(data, status=status_code)

    @extend_schema(
        summary=gettext_lazy("One joint case with every department's sub-case"),
        parameters=[JOINT_CASE_ID],
        responses={
            200: JointCaseDetailSerializer,
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
            404: error_response(gettext_lazy("No joint case with this id that you may see.")),
        },
        tags=["joint cases"],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(request, int(pk))

    @extend_schema(
        summary=gettext_lazy("Take in a joint item at the lead window"),
        description=gettext_lazy(
            "Window staff of the lead department only. One sub-case per member item is created "
            "and accepted at once, all or nothing. Send each material's files as parts named "
            "material_<material id> (repeat the part for several files)."
        ),
        request={"multipart/form-data": JointCaseCreateSerializer},
        responses={201: JointCaseDetailSerializer, **ERROR_RESPONSES},
        tags=["joint cases"],
    )
    def create(self, request: Request) -> Response:
        parsed = JointCaseCreateSerializer(data=request.data)
        if not parsed.is_valid():
            return invalid_input(parsed.errors)
        data = dict(parsed.validated_data)
        joint_item = (
            JointItem.objects.select_related("lead_department__center")
            .filter(code=data.pop("joint_item"), active=True)
            .first()
        )
        if joint_item is None:
            message = _("No open joint item has this code.")
            return refused(InvalidInput(message).with_fields({"joint_item": [message]}))
        deferred_due_on = data.pop("deferred_due_on", None)
        try:
            data["agent_staff"] = agent_staff_named(data.pop("agent_staff", ""))
            joint = services.joint_case_intake(
                joint_item=joint_item,
                by=request.user,
                applicant=data,
                files=_files_by_version(request, joint_item),
                deferred_due_on=deferred_due_on,
            )
        except WorkflowError as error:
            return refused(error)
        return self._detail(request, joint.pk, status.HTTP_201_CREATED)
