"""The applicant's side of the API (``/api/v1/me/``): what the hall's pages show, as JSON.

Each answer is read from the same helpers as the pages — the profile's masked numbers, the
wizard's open round and reusable files, my cases' due date, plain-words timeline and the
supplement awaited — so that the app and the browser say the same thing.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import DepartmentRefSerializer
from catalog.models import ApplicantType
from workflow.api.action_inputs import MAX_ID
from workflow.clock import StripDay
from workflow.models import Case, CaseStatus, DeliveryMethod, ExtensionStatus, SpecialProcedure
from workflow.notice_views import TITLES
from workflow.permissions import Situation, offered_actions, submission_missing
from workflow.selectors import case_clock_strip, material_files_reusable
from workflow.transitions import Action

from ..account_views import masked_numbers
from ..apply_views import open_round_files
from ..mycases_views import due_shown, plain_timeline, supplement_awaited


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# --- the profile ---------------------------------------------------------------------------


class MyProfileSerializer(serializers.Serializer):
    """The account's particulars as the profile page shows them: the numbers partly hidden."""

    kind = serializers.CharField(help_text=gettext_lazy("natural or legal (person)."))
    kind_label = serializers.CharField(source="get_kind_display")
    name = serializers.CharField(
        help_text=gettext_lazy("The person's full name, or the company's or organisation's.")
    )
    phone = serializers.SerializerMethodField(
        help_text=gettext_lazy("The mobile phone number the account logs in with, masked.")
    )
    id_number = serializers.SerializerMethodField(
        help_text=gettext_lazy("A natural person's resident ID number, masked; else empty.")
    )
    credit_code = serializers.SerializerMethodField(
        help_text=gettext_lazy("A legal person's unified social credit code, masked; else empty.")
    )
    agent_name = serializers.CharField()
    agent_id_number = serializers.SerializerMethodField()
    agent_phone = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def _masked(self, profile) -> dict[str, str]:
        cache = self.context.setdefault("masked", {})
        if profile.pk not in cache:
            cache[profile.pk] = masked_numbers(profile)
        return cache[profile.pk]

    def get_phone(self, profile) -> str:
        return self._masked(profile)["phone"]

    def get_id_number(self, profile) -> str:
        return self._masked(profile)["id_number"]

    def get_credit_code(self, profile) -> str:
        return self._masked(profile)["credit_code"]

    def get_agent_id_number(self, profile) -> str:
        return self._masked(profile)["agent_id_number"]

    def get_agent_phone(self, profile) -> str:
        return self._masked(profile)["agent_phone"]


# --- what both drafts and cases show -------------------------------------------------------


class MyItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField()


class MyFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    material = serializers.IntegerField(source="material_id")
    material_name = serializers.CharField(source="material.name")
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text=gettext_lazy("Bytes."))
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where to download the file (the same credentials).")
    )

    def get_url(self, stored) -> str:
        return _absolute(
            self.context,
            reverse("api-me-case-file", args=[stored.submission.case_id, stored.pk]),
        )


class MyMaterialRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- drafts --------------------------------------------------------------------------------


class MyDraftListSerializer(serializers.Serializer):
    """A draft as the list shows it."""

    id = serializers.IntegerField()
    item = MyItemSerializer(source="item_version")
    department = DepartmentRefSerializer()
    applicant_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, case: Case) -> str:
        return _absolute(self.context, reverse("api-me-draft", args=[case.pk]))


class ReusableFileSerializer(serializers.Serializer):
    """One of the applicant's files from an earlier application (材料复用)."""

    id = serializers.IntegerField(
        help_text=gettext_lazy("Send it as file to the material's reuse/ endpoint.")
    )
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    item_name = serializers.CharField(source="submission.case.item_version.name")
    uploaded_at = serializers.DateTimeField()


class DraftMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a material's flag
    deferrable = serializers.BooleanField(
        help_text=gettext_lazy("May come after acceptance (容缺).")
    )
    files = MyFileSerializer(many=True, help_text=gettext_lazy("The files attached so far."))
    reusable = ReusableFileSerializer(
        many=True,
        help_text=gettext_lazy(
            "Your files for a material of the same name in earlier applications, newest first."
        ),
    )


class MyDraftSerializer(MyDraftListSerializer):
    """A draft with who applies, its materials and their files, and what is still missing."""

    revision = serializers.IntegerField()
    applicant_kind = serializers.CharField(help_text=gettext_lazy("natural or legal (person)."))
    id_number = serializers.CharField()
    credit_code = serializers.CharField()
    agent_name = serializers.CharField()
    agent_id_number = serializers.CharField()
    contact_phone = serializers.CharField()
    materials = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The required materials still without a file; submit/ is refused while any is."
        )
    )

    @extend_schema_field(DraftMaterialSerializer(many=True))
    def get_materials(self, case: Case):
        materials = list(case.item_version.materials.all())
        files = open_round_files(case)
        reusable = material_files_reusable(
            user=self.context["request"].user,
            names=[m.name for m in materials],
            exclude_case_id=case.pk,
        )
        rows = [
            {
                "id": material.pk,
                "name": material.name,
                "required": material.required,
                "deferrable": material.deferrable,
                "files": files.get(material.pk, []),
                "reusable": [f for f in reusable if f.material.name == material.name],
            }
            for material in materials
        ]
        return DraftMaterialSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(MyMaterialRefSerializer(many=True))
    def get_missing(self, case: Case):
        missing = submission_missing(Situation(case, self.context["request"].user))
        return MyMaterialRefSerializer(missing, many=True).data


class MyParticularsSerializer(serializers.Serializer):
    """Who applies; a field left out stays as it is (on a new draft: as the account has it)."""

    applicant_kind = serializers.ChoiceField(
        choices=[ApplicantType.NATURAL, ApplicantType.LEGAL],
        required=False,
        help_text=gettext_lazy("natural or legal."),
    )
    applicant_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=18)
    credit_code = serializers.CharField(required=False, allow_blank=True, max_length=18)
    agent_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    agent_id_number = serializers.CharField(required=False, allow_blank=True, max_length=18)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


class MyDraftCreateSerializer(MyParticularsSerializer):
    """A new draft for an item; who applies comes from the account unless given here."""

    item_code = serializers.CharField(
        max_length=60, help_text=gettext_lazy("The code of an item open to online pre-review.")
    )


class MyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy("PDF, an image or an office document up to the configured size.")
    )


class MyReuseSerializer(serializers.Serializer):
    file = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("The id of one of the material's reusable files."),
    )


# --- cases ---------------------------------------------------------------------------------


class MyCaseListSerializer(serializers.Serializer):
    """A case as "my cases" lists it, with the due date the applicant waits for."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    item = MyItemSerializer(source="item_version")
    department = DepartmentRefSerializer()
    created_at = serializers.DateTimeField()
    received_on = serializers.DateField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    due_on = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The decision's due date once accepted; while the application waits for intake, "
            "the day the window must answer by (5 working days, Art. 32)."
        )
    )
    due_state = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "ok, soon, overdue or suspended; empty when no clock runs for the applicant."
        )
    )
    workdays_left = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Working days from today to due_on (negative when overdue); while suspended, those "
            "left on the day of suspension; null when no clock runs."
        )
    )
    clock = serializers.ChoiceField(choices=["running", "suspended", "stopped"])
    decided_on = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    def _due(self, case: Case) -> dict:
        cache = self.context.setdefault("due", {})
        if case.pk not in cache:
            cache[case.pk] = due_shown(
                case, today=self.context["today"], calendar=self.context["calendar"]
            )
        return cache[case.pk]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, case: Case):
        due = self._due(case)["due_on"]
        return due.isoformat() if due else None

    def get_due_state(self, case: Case) -> str:
        return self._due(case)["due_class"]

    def get_workdays_left(self, case: Case) -> int | None:
        return self._due(case)["workdays_left"]

    def get_url(self, case: Case) -> str:
        return _absolute(self.context, reverse("api-me-case", args=[case.pk]))


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    words = serializers.CharField(help_text=gettext_lazy("What happened, in plain words."))
    step = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The step it happened at, if any.")
    )


class StripDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField(
        help_text=gettext_lazy(
            "start (the day of the event, not counted), counted, suspended (not counted, "
            "Art. 45), holiday or rest."
        )
    )
    ordinal = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The number of a counted working day.")
    )
    makeup = serializers.BooleanField(
        help_text=gettext_lazy("A weekend that is a make-up working day.")
    )
    is_due = serializers.BooleanField()
    is_today = serializers.BooleanField()


class MySuspensionSerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=SpecialProcedure.choices)
    procedure_label = serializers.CharField(source="get_procedure_display")
    reason = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    expected_days = serializers.IntegerField(help_text=gettext_lazy("Working days."))


class MyExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text=gettext_lazy("Working days added (Art. 42)."))
    reason = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class MyNoticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(
        help_text=gettext_lazy(
            "acceptance, supplement, rejection, extension, suspension, approval or denial."
        )
    )
    title = serializers.SerializerMethodField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The notice's content in this API.")
    )
    page_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The printable notice in the online hall (a browser session).")
    )
    pdf_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The notice as a PDF in the online hall; null where not offered.")
    )

    def get_title(self, notice) -> str:
        return str(TITLES.get(notice.kind, notice.get_kind_display()))

    def get_url(self, notice) -> str:
        return _absolute(self.context, reverse("api-me-notice", args=[notice.case_id, notice.pk]))

    def get_page_url(self, notice) -> str:
        return _absolute(
            self.context, reverse("applicant-notice", args=[notice.case_id, notice.pk])
        )

    def get_pdf_url(self, notice) -> str | None:
        try:
            path = reverse("applicant-notice-pdf", args=[notice.case_id, notice.pk])
        except NoReverseMatch:
            return None
        return _absolute(self.context, path)


class RequestedMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text=gettext_lazy("Send its file as material_<id> to supplement/.")
    )
    name = serializers.CharField()
    reason = serializers.CharField(
        required=False, help_text=gettext_lazy("What is missing or wrong with it.")
    )


class MyCaseSerializer(MyCaseListSerializer):
    """One of the applicant's cases: its clock in plain words, its notices and what the
    applicant may do now."""

    query_code = serializers.CharField(
        help_text=gettext_lazy("With the case number, tracks the case without logging in.")
    )
    channel = serializers.CharField(help_text=gettext_lazy("online or window."))
    applicant_name = serializers.CharField()
    suspended_since = serializers.DateField(allow_null=True)
    suspension = serializers.SerializerMethodField(
        help_text=gettext_lazy("While the clock is suspended: why, and since when (Art. 45).")
    )
    past_suspensions = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField(
        help_text=gettext_lazy("The extension granted, with its reason (Art. 42).")
    )
    calendar_strip = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The clock's working days one by one, from the triggering day to the due date."
        )
    )
    timeline = serializers.SerializerMethodField()
    notices = serializers.SerializerMethodField()
    supplement_requested = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The materials the supplement notice asks for, while you may answer it; else empty."
        )
    )
    files = serializers.SerializerMethodField(help_text=gettext_lazy("Every file you gave."))
    decision = serializers.CharField(help_text=gettext_lazy("approved, denied or empty."))
    decision_reasons = serializers.CharField()
    licence_number = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    delivery_method = serializers.CharField()
    delivered_on = serializers.DateField(allow_null=True)
    actions = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "What you may do now, each the name of its endpoint "
            "(POST me/cases/{case_id}/<name>/): withdraw, supplement."
        )
    )

    @extend_schema_field(MySuspensionSerializer(allow_null=True))
    def get_suspension(self, case: Case):
        if case.clock != "suspended":
            return None
        running = next((s for s in case.suspensions.all() if s.ended_on is None), None)
        return MySuspensionSerializer(running).data if running else None

    @extend_schema_field(MySuspensionSerializer(many=True))
    def get_past_suspensions(self, case: Case):
        ended = [s for s in case.suspensions.all() if s.ended_on is not None]
        return MySuspensionSerializer(ended, many=True).data

    @extend_schema_field(MyExtensionSerializer(many=True))
    def get_extensions(self, case: Case):
        granted = [e for e in case.extensions.all() if e.status == ExtensionStatus.APPROVED]
        return MyExtensionSerializer(granted, many=True).data

    @extend_schema_field(StripDaySerializer(many=True))
    def get_calendar_strip(self, case: Case):
        days: list[StripDay] = case_clock_strip(
            case, today=self.context["today"], calendar=self.context["calendar"]
        )
        return StripDaySerializer(days, many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case: Case):
        entries = [
            {"at": e["at"], "words": str(e["words"]), "step": e["step"].name if e["step"] else None}
            for e in plain_timeline(case)
        ]
        return TimelineEntrySerializer(entries, many=True).data

    @extend_schema_field(MyNoticeRefSerializer(many=True))
    def get_notices(self, case: Case):
        notices = sorted(case.notices.all(), key=lambda n: (n.issued_at, n.pk))
        return MyNoticeRefSerializer(notices, many=True, context=self.context).data

    @extend_schema_field(RequestedMaterialSerializer(many=True))
    def get_supplement_requested(self, case: Case):
        return RequestedMaterialSerializer(self._awaited(case), many=True).data

    @extend_schema_field(MyFileSerializer(many=True))
    def get_files(self, case: Case):
        files = [f for s in case.submissions.all() for f in s.files.all()]
        return MyFileSerializer(files, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        user = self.context["request"].user
        actions = []
        if Action.WITHDRAW in offered_actions(case, user):
            actions.append("withdraw")
        if self._awaited(case):
            actions.append("supplement")
        return actions

    def _awaited(self, case: Case) -> list[dict]:
        cache = self.context.setdefault("awaited", {})
        if case.pk not in cache:
            cache[case.pk] = supplement_awaited(case, self.context["request"].user)
        return cache[case.pk]


class MyNoticeSerializer(MyNoticeRefSerializer):
    """A notice as it was issued: its content frozen then, never the live case."""

    content = serializers.JSONField(
        help_text=gettext_lazy(
            "What the notice says, as frozen when it was issued; its keys depend on the kind."
        )
    )


class MyWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        help_text=gettext_lazy("Why you withdraw, in a few words."),
    )


class MyDeliveryChoiceSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=DeliveryMethod.choices,
        help_text=gettext_lazy("pickup at the window, post, or electronic."),
    )
    recipient = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("By post: the full postal address, with recipient and phone."),
    )


class MyPendingMaterialSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("A material accepted as pending (容缺)."),
    )
    file = serializers.FileField()
