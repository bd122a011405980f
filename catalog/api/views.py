"""The public, read-only catalog API: items, departments and the catalog statistics.

Anyone may read, anonymous users included: everything here is derived from published versions
only, which are public by law (the item guide is the center's promise to applicants).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approval_center.api_errors import BAD_QUERY, NO_SUCH_PAGE, THROTTLED, error_response
from catalog.models import ItemVersion
from catalog.selectors import (
    departments_with_published_counts,
    published_version_detail,
    published_versions,
)
from catalog.stats import catalog_stats

from .filters import ItemVersionFilter
from .serializers import (
    CatalogStatsSerializer,
    DepartmentSerializer,
    ItemDetailSerializer,
    ItemListSerializer,
)

ITEM_CODE_PARAMETER = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("Item code, e.g. 330100-XK-SCJ-0001."),
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published items"),
        responses={
            200: ItemListSerializer(many=True),
            400: BAD_QUERY,
            404: NO_SUCH_PAGE,
            429: THROTTLED,
        },
        tags=["catalog"],
    ),
    retrieve=extend_schema(
        summary=_("The current version of one item, with its whole guide"),
        parameters=[ITEM_CODE_PARAMETER],
        responses={
            200: ItemDetailSerializer,
            404: error_response(_("No published item has this code.")),
            429: THROTTLED,
        },
        tags=["catalog"],
    ),
)
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Approval items in their current published version; drafts are never shown."""

    permission_classes = [AllowAny]
    filterset_class = ItemVersionFilter
    lookup_field = "item__code"
    lookup_url_kwarg = "code"
    # Item codes hold hyphens (330100-XK-SCJ-0001); the default regex stops at a slash or dot.
    lookup_value_regex = r"[0-9A-Za-z][0-9A-Za-z-]*"

    def get_queryset(self):
        return published_versions()

    def get_serializer_class(self):
        return ItemDetailSerializer if self.action == "retrieve" else ItemListSerializer

    def get_object(self) -> ItemVersion:
        try:
            return published_version_detail(self.kwargs[self.lookup_url_kwarg])
        except ItemVersion.DoesNotExist:
            raise Http404(_("No published item has this code.")) from None


@extend_schema(
    summary=_("Departments with their number of published items"),
    responses={200: DepartmentSerializer(many=True), 404: NO_SUCH_PAGE, 429: THROTTLED},
    tags=["catalog"],
)
class DepartmentListView(generics.ListAPIView):
    """Departments, each with its center and how many current items it handles (paginated)."""

    permission_classes = [AllowAny]
    serializer_class = DepartmentSerializer
    # The item filters do not apply here.
    filter_backends: list = []

    def get_queryset(self):
        return departments_with_published_counts()


class CatalogStatsView(APIView):
    """The catalog figures over the published catalog."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("Catalog statistics"),
        responses={200: CatalogStatsSerializer, 429: THROTTLED},
        tags=["catalog"],
    )
    def get(self, request: Request) -> Response:
        return Response(CatalogStatsSerializer(catalog_stats()).data)
