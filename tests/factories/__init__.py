from .catalog import (
    ApprovalItemFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    ServiceCenterFactory,
    StepTemplateFactory,
    UserFactory,
    WindowFactory,
    staff_user,
)

__all__ = [
    "ApprovalItemFactory",
    "DepartmentFactory",
    "FeeItemFactory",
    "ItemVersionFactory",
    "MaterialFactory",
    "ServiceCenterFactory",
    "StepTemplateFactory",
    "UserFactory",
    "WindowFactory",
    "staff_user",
]
