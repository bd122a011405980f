"""Public catalog pages."""

from pathlib import PurePosixPath

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .downloads import MATERIAL_FILES, private_file_response
from .models import FeeItem, ItemVersion, Material, StepTemplate, VersionStatus, Window
from .roles import is_staff_member


def _sheet_version(*, code: str, number: int | None) -> ItemVersion:
    """The version a sheet shows: the current one, or version ``number`` if it was ever published.

    Drafts are never shown: a printed sheet is a promise to the applicant.
    """
    versions = (
        ItemVersion.objects.filter(item__code=code)
        .select_related("item", "department__center", "category")
        .prefetch_related(
            Prefetch("steps", queryset=StepTemplate.objects.order_by("order")),
            Prefetch("materials", queryset=Material.objects.order_by("order", "pk")),
            Prefetch("fees", queryset=FeeItem.objects.order_by("pk")),
        )
    )
    if number is None:
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    else:
        versions = versions.filter(
            number=number, status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED]
        )
    version = versions.first()
    if version is None:
        raise Http404(_("There is no published item with this code."))
    return version


def item_sheet(request, code: str):
    """The one-time notification sheet (一次性告知单): everything to bring, on one printable page.

    ``?version=N`` prints an earlier version, for staff only (a case accepted under it may need
    it); the public always gets the current version, and a 404 for anything else.
    """
    number = None
    requested = request.GET.get("version")
    if requested is not None:
        if not is_staff_member(request.user):
            raise Http404(_("Earlier versions are not public."))
        try:
            number = int(requested)
        except ValueError:
            raise Http404(_("There is no such version.")) from None
    version = _sheet_version(code=code, number=number)
    current_number = (
        version.number
        if version.status == VersionStatus.PUBLISHED
        else ItemVersion.objects.filter(item=version.item, status=VersionStatus.PUBLISHED)
        .values_list("number", flat=True)
        .first()
    )
    windows = Window.objects.filter(departments=version.department).select_related("center")
    materials = list(version.materials.all())
    return render(
        request,
        "catalog/sheet.html",
        {
            "version": version,
            "is_current": version.status == VersionStatus.PUBLISHED,
            "current_number": current_number,
            "steps": version.steps.all(),
            "materials": materials,
            "has_deferrable": any(material.deferrable for material in materials),
            "fees": version.fees.all(),
            "windows": windows,
            "center": version.department.center,
            "printed_on": timezone.localdate(),
        },
    )


def may_read_version(user, version: ItemVersion) -> bool:
    """Whether ``user`` may read ``version`` and its files.

    The current version is public; earlier ones are for staff (a case accepted under one may need
    it, as on the sheet); a draft is for those who may see the catalog's materials in the admin.
    """
    if version.status == VersionStatus.PUBLISHED:
        return True
    if version.status == VersionStatus.SUPERSEDED:
        return is_staff_member(user)
    return bool(user.is_authenticated and user.is_staff and user.has_perm("catalog.view_material"))


def material_file(request, pk: int, kind: str):
    """A material's blank template or filled-in sample, to whoever may read its version (404)."""
    field = MATERIAL_FILES.get(kind)
    material = Material.objects.select_related("version").filter(pk=pk).first()
    if field is None or material is None or not may_read_version(request.user, material.version):
        raise Http404(_("There is no such file."))
    stored = getattr(material, field)
    if not stored:
        raise Http404(_("There is no such file."))
    return private_file_response(stored, filename=PurePosixPath(stored.name).name)
