"""Write the demo city to the database: centers, departments, windows, staff and the catalog.

Running it again changes nothing: rows are found by their natural keys (center, department and
item codes, window numbers, usernames), and an item that already exists is left as it is, so
an administrator's later versions survive. Only the demo staff are reset, to their names, roles
and the demo password, so the printed logins always work.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from catalog.models import (
    ApprovalItem,
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    JointItem,
    Material,
    ProcessingType,
    Role,
    ServiceCenter,
    StaffContact,
    StepTemplate,
    Window,
    WindowAuthorization,
    WindowKind,
)
from catalog.models.organization import CENTER_ROLES
from catalog.roles import membership_grant
from catalog.stats import catalog_stats
from catalog.versions import item_create, item_version_publish

from .allocation import DemoItem, demo_items
from .organization import (
    CENTERS,
    CITY,
    CITY_CENTER,
    COMPREHENSIVE_WINDOWS,
    DEPARTMENTS,
    FEE_WINDOWS,
    FLOORS,
    HOTLINE,
    LOCAL_FEE_WINDOWS,
    LOCAL_WINDOWS,
    STAFF,
)
from .specs import Placement

DEMO_PASSWORD = "demo2026!"
# Fixed, so that two loads give the same catalog: the Monday the demo catalog took effect.
PUBLISHED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    place: str


@dataclass(frozen=True)
class DemoCity:
    """What the load left in the database, for the command to print."""

    center: str
    departments: int
    created_items: int
    logins: list[DemoLogin]
    stats: dict


def demo_city_load(*, password: str = DEMO_PASSWORD) -> DemoCity:
    """Create the demo city of 江州市; where it exists already, add only what is missing.

    The demo staff are reset every time (names, roles, ``password``, department heads); items
    that exist are never touched. The whole load is one transaction, and the catalog is
    computed and checked against the speech's figures before anything is written.
    """
    items = demo_items()
    with transaction.atomic():
        centers = _load_centers()
        city = centers[CITY_CENTER]
        departments = _load_departments(city)
        _load_windows(centers, departments)
        staff = _load_staff(city, departments, password)
        created = _load_items(
            items, departments, city_name=city.name, published_by=staff["catalog_admin"]
        )
        _load_joint_items(items, departments)
    return DemoCity(
        center=city.name,
        departments=Department.objects.filter(center=city).count(),
        created_items=created,
        logins=_logins(departments, city),
        stats=catalog_stats(ItemVersion.objects.filter(department__center=city)),
    )


# One "一件事" of the demo: the lead window takes in both permits of a building project at once.
DEMO_JOINT_ITEMS = (
    {
        "code": "330100-LB-ZGJ-0001",
        "name": "工程建设项目开工一件事（规划许可与施工许可联办）",
        "lead": "ZGJ",
        "items": ("建设工程规划许可证核发", "建筑工程施工许可证核发"),
        "description": "建设单位在自然资源和规划局窗口一次提交，规划、住建两部门并联审批。",
    },
)


def _load_joint_items(items: list[DemoItem], departments: dict[str, Department]) -> None:
    """The demo's joint items (联办件), bundling items the demo catalog holds by name."""
    codes = {item.spec.name: item.code for item in items}
    for spec in DEMO_JOINT_ITEMS:
        joint, created = JointItem.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "lead_department": departments[spec["lead"]],
                "description": spec["description"],
            },
        )
        if created:
            joint.items.set(
                ApprovalItem.objects.filter(code__in=[codes[name] for name in spec["items"]])
            )


def _load_centers() -> dict[str, ServiceCenter]:
    centers: dict[str, ServiceCenter] = {}
    for spec in CENTERS:  # parents come before their children
        centers[spec.code], _created = ServiceCenter.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "parent": centers.get(spec.parent) if spec.parent else None,
                "address": spec.address,
                "phone": spec.phone,
            },
        )
    return centers


def _load_departments(city: ServiceCenter) -> dict[str, Department]:
    return {
        spec.code: Department.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "center": city}
        )[0]
        for spec in DEPARTMENTS
    }


def _window(center: ServiceCenter, number: str, kind: str, departments=()) -> None:
    window, _created = Window.objects.get_or_create(
        center=center, number=number, defaults={"kind": kind}
    )
    if departments:
        window.departments.add(*departments)


def _load_windows(centers: dict[str, ServiceCenter], departments: dict[str, Department]) -> None:
    city = centers[CITY_CENTER]
    for spec in DEPARTMENTS:
        for number in spec.windows:
            _window(city, number, WindowKind.DEPARTMENT, [departments[spec.code]])
    for number, codes in COMPREHENSIVE_WINDOWS.items():
        _window(city, number, WindowKind.COMPREHENSIVE, [departments[code] for code in codes])
    for number in FEE_WINDOWS:
        _window(city, number, WindowKind.FEE)
    for code, numbers in LOCAL_WINDOWS.items():
        for number in numbers:
            _window(centers[code], number, WindowKind.COMPREHENSIVE)
    for code, number in LOCAL_FEE_WINDOWS.items():
        _window(centers[code], number, WindowKind.FEE)


def _load_staff(city: ServiceCenter, departments: dict[str, Department], password: str) -> dict:
    # Hashing is slow by design; every demo user shares the printed password, so one hash is
    # computed and reused instead of one per user.
    password_hash = make_password(password)
    users = {}
    for index, spec in enumerate(STAFF, start=1):
        user, _created = get_user_model().objects.get_or_create(username=spec.username)
        # Chinese names read family name first; Django's get_full_name() puts first_name first,
        # so the whole name goes into first_name.
        user.first_name = f"{spec.last_name}{spec.first_name}"
        user.last_name = ""
        user.password = password_hash
        user.is_active = True
        user.save()
        # A mobile phone for the supervision's text messages (the log gateway's, in the demo).
        StaffContact.objects.update_or_create(user=user, defaults={"mobile": f"1390571{index:04d}"})
        if spec.role in CENTER_ROLES:
            membership_grant(user=user, role=spec.role, center=city)
        else:
            membership_grant(user=user, role=spec.role, department=departments[spec.department])
        if spec.heads_department:
            department = departments[spec.department]
            department.head = user
            department.save(update_fields=["head"])
        users[spec.username] = user
    return users


def _logins(departments: dict[str, Department], city: ServiceCenter) -> list[DemoLogin]:
    return [
        DemoLogin(
            username=spec.username,
            name=f"{spec.last_name}{spec.first_name}",
            role=str(Role(spec.role).label),
            place=departments[spec.department].name if spec.department else city.name,
        )
        for spec in STAFF
    ]


def _window_location(item: DemoItem, city_name: str, index: int) -> str:
    spec = item.spec
    if spec.placement in (Placement.FULL, Placement.ENTERED):
        number = item.department.windows[0]
        return f"{city_name}{FLOORS[number[0]]} {number} 窗口"
    # Items not (yet) in the hall are handled in the department's own office.
    return f"{CITY}{item.department.name}行政审批科（{CITY}行政中心{index % 6 + 1}号楼）"


def _authorisation(item: DemoItem) -> str:
    if item.spec.placement == Placement.FULL:
        return WindowAuthorization.FULL
    if (
        item.spec.placement == Placement.ENTERED
        and item.spec.processing_type == ProcessingType.REPORTED
    ):
        # The window only passes a reported item on to the authority that decides it.
        return WindowAuthorization.RECEIVE_ONLY
    return WindowAuthorization.PARTIAL


def _load_items(
    items: list[DemoItem], departments: dict[str, Department], *, city_name: str, published_by
) -> int:
    """Write the items that do not exist yet, each with one published version; return how many.

    Through the catalog's write path: each item is created as a draft, its steps, materials and
    fees are added, and publishing checks the whole guide as it would an administrator's.
    """
    existing = set(
        ApprovalItem.objects.filter(code__in=[item.code for item in items]).values_list(
            "code", flat=True
        )
    )
    new = [item for item in items if item.code not in existing]
    categories = {category.code: category for category in ItemCategory.objects.all()}
    department_order = {spec.code: index for index, spec in enumerate(DEPARTMENTS)}

    drafts = []
    for item in new:
        spec = item.spec
        index = department_order[spec.department]
        drafts.append(
            item_create(
                code=item.code,
                by=published_by,
                name=spec.name,
                department=departments[spec.department],
                category=categories[spec.category],
                processing_type=spec.processing_type,
                applicant_type=spec.applicant_type,
                legal_basis=spec.legal_basis,
                conditions=spec.conditions,
                statutory_limit=spec.statutory_limit,
                promised_limit=spec.promised_limit,
                visits_required=spec.visits_required,
                must_enter_center=spec.placement != Placement.OUTSIDE,
                entered_center=spec.placement in (Placement.FULL, Placement.ENTERED),
                window_authorization=_authorisation(item),
                result_type=spec.result_type,
                window_location=_window_location(item, city_name, index),
                phone=f"{HOTLINE}转{801 + index}",
            )
        )

    # In bulk, while the versions are still drafts; publishing validates every row.
    steps, materials, fees = [], [], []
    for item, draft in zip(new, drafts, strict=True):
        steps += [
            StepTemplate(
                version=draft,
                order=order,
                name=step.name,
                role=step.role,
                limit_days=step.limit_days,
            )
            for order, step in enumerate(item.spec.steps, start=1)
        ]
        materials += [
            Material(
                version=draft,
                order=order,
                name=material.name,
                required=material.required,
                deferrable=material.deferrable,
                originals=material.originals,
                copies=material.copies,
                notes=material.notes,
            )
            for order, material in enumerate(item.spec.materials, start=1)
        ]
        fees += [
            FeeItem(
                version=draft,
                name=fee.name,
                amount=fee.amount,
                rule=fee.rule,
                legal_basis=fee.legal_basis,
            )
            for fee in item.spec.fees
        ]
    StepTemplate.objects.bulk_create(steps)
    Material.objects.bulk_create(materials)
    FeeItem.objects.bulk_create(fees)

    for draft in drafts:
        item_version_publish(version=draft, by=published_by, now=PUBLISHED_AT)
    return len(new)
