"""The item versions cases are applied for, read once per process.

A published version and its parts (steps, materials, fees) never change
(``catalog.models.items``), and cases are created only from published ones, so what a case was
applied for can be kept: the transitions and the rules read it from here, not from the database.
"""

from catalog.models import ItemVersion

_versions: dict[int, ItemVersion] = {}
_VERSIONS_KEPT = 10_000


def item_version(pk: int) -> ItemVersion:
    """The item version ``pk`` with its item, and its steps, materials and fees in order."""
    version = _versions.get(pk)
    if version is None:
        version = (
            ItemVersion.objects.select_related("item")
            .prefetch_related("steps", "materials", "fees")
            .get(pk=pk)
        )
        if len(_versions) >= _VERSIONS_KEPT:
            _versions.clear()
        _versions[pk] = version
    return version


def forget_item_versions() -> None:
    """Drop the kept versions (tests, whose rolled-back rows may reuse ids)."""
    _versions.clear()
