"""The item every benchmark applies for: a three-step licence (承办 → 审核 → 审批) on a promised
limit of 5 working days, statutory 20. Needs Django set up and the catalog migrated."""

from catalog.models import (
    ApplicantType,
    Department,
    ItemCategory,
    ItemVersion,
    ProcessingType,
    ResultType,
    Role,
    StepTemplate,
)
from catalog.versions import item_create

STEPS = (("承办", Role.HANDLER, 2), ("审核", Role.REVIEWER, 1), ("审批", Role.APPROVER, 2))


def bench_item_draft(department: Department, code: str) -> ItemVersion:
    """A draft of the bench item in ``department``, its steps in place; the caller adds the
    materials and fees it measures with, then publishes it."""
    draft = item_create(
        code=f"330100-XK-{code}-0001",
        by=None,
        name=f"食品经营许可（基准测试{code}）",
        department=department,
        category=ItemCategory.objects.get(code="XK"),
        processing_type=ProcessingType.PROMISED,
        applicant_type=ApplicantType.BOTH,
        legal_basis="《中华人民共和国食品安全法》",
        statutory_limit=20,
        promised_limit=5,
        entered_center=True,
        result_type=ResultType.LICENCE,
    )
    for order, (name, role, limit) in enumerate(STEPS, start=1):
        StepTemplate.objects.create(
            version=draft, order=order, name=name, role=role, limit_days=limit
        )
    return draft
