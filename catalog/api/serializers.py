"""Read-only representations of the published catalog."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.downloads import MATERIAL_FILES
from catalog.models import (
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    Material,
    ServiceCenter,
    StepTemplate,
)


class CenterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCenter
        fields = ["code", "name"]


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemCategory
        fields = ["code", "name"]


class ItemListSerializer(serializers.ModelSerializer):
    """One line of the item list: enough to choose an item, with the link to its guide."""

    code = serializers.CharField(source="item.code", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    category = CategoryRefSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ItemVersion
        fields = [
            "code",
            "name",
            "version",
            "department",
            "category",
            "processing_type",
            "applicant_type",
            "statutory_limit",
            "promised_limit",
            "online_prereview",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: ItemVersion) -> str:
        path = reverse("api-item-detail", kwargs={"code": version.item.code})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepTemplate
        fields = ["order", "name", "role", "limit_days"]
        read_only_fields = fields


class MaterialSerializer(serializers.ModelSerializer):
    # An absent file is null, not an empty string, so clients can test it directly. A present
    # one is the address of the download view, which checks the reader: never a media URL.
    template_file = serializers.SerializerMethodField()
    sample_file = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = [
            "name",
            "required",
            "deferrable",
            "originals",
            "copies",
            "notes",
            "template_file",
            "sample_file",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_template_file(self, material: Material) -> str | None:
        return self._download(material, "template")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_sample_file(self, material: Material) -> str | None:
        return self._download(material, "sample")

    def _download(self, material: Material, kind: str) -> str | None:
        if not getattr(material, MATERIAL_FILES[kind]):
            return None
        path = reverse("material-file", kwargs={"pk": material.pk, "kind": kind})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        fields = ["name", "amount", "rule", "legal_basis"]
        read_only_fields = fields


class ItemDetailSerializer(ItemListSerializer):
    """The whole item guide of the current version: rules, procedure, materials and fees."""

    steps = StepSerializer(many=True, read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    free = serializers.SerializerMethodField(help_text=_("True when the item charges no fee."))

    class Meta(ItemListSerializer.Meta):
        fields = [
            *ItemListSerializer.Meta.fields,
            "legal_basis",
            "conditions",
            "extension_allowed",
            "suspension_allowed",
            "visits_required",
            "must_enter_center",
            "entered_center",
            "window_authorization",
            "result_type",
            "window_location",
            "phone",
            "published_at",
            "steps",
            "materials",
            "fees",
            "free",
        ]
        read_only_fields = fields

    def get_free(self, version: ItemVersion) -> bool:
        # Reads the prefetched fees: len(), not exists(), to avoid a query.
        return len(version.fees.all()) == 0


class DepartmentSerializer(serializers.ModelSerializer):
    center = CenterRefSerializer(read_only=True)
    published_items = serializers.IntegerField(
        read_only=True, help_text=_("Number of items with a current published version.")
    )

    class Meta:
        model = Department
        fields = ["code", "name", "center", "published_items"]
        read_only_fields = fields


def _percent_field(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, help_text=help_text
    )


class CategoryCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    share = _percent_field(_("Percentage of all items."))


class DepartmentCountSerializer(CategoryCountSerializer):
    pass


class CatalogStatsSerializer(serializers.Serializer):
    """The output of ``catalog.stats.catalog_stats``; numbers, percentages with one decimal."""

    total_items = serializers.IntegerField()
    by_category = CategoryCountSerializer(many=True)
    by_department = DepartmentCountSerializer(many=True)
    immediate_count = serializers.IntegerField()
    immediate_share = _percent_field(_("Immediate items as a percentage of all items."))
    long_promise_days = serializers.IntegerField(
        help_text=_("The threshold of long_promise_count, in working days.")
    )
    long_promise_count = serializers.IntegerField(
        help_text=_("Items whose promised limit is long_promise_days or more.")
    )
    long_promise_share = _percent_field(_("long_promise_count as a percentage of all items."))
    average_promised_limit = serializers.DecimalField(
        max_digits=7, decimal_places=2, coerce_to_string=False
    )
    average_statutory_limit = serializers.DecimalField(
        max_digits=7, decimal_places=2, coerce_to_string=False
    )
    compression = _percent_field(_("1 - average promised / average statutory limit, in percent."))
    must_enter_count = serializers.IntegerField()
    entered_count = serializers.IntegerField(help_text=_("Items that must enter and have entered."))
    entered_rate = _percent_field(_("entered_count as a percentage of must_enter_count."))
    full_authorisation_count = serializers.IntegerField(
        help_text=_("Entered items whose window has full authorisation.")
    )
    full_authorisation_share = _percent_field(
        _("full_authorisation_count as a percentage of entered_count.")
    )
