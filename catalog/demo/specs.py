"""The shapes of the demo city's data, and the reader for the compact item tables.

Data modules describe the city as plain values (no ORM); ``allocation`` completes them and
``builder`` writes them.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from catalog.models import ApplicantType, ProcessingType


class Placement(StrEnum):
    """How far an item has moved into the hall (应进必进 → 进驻 → 充分授权)."""

    FULL = "full"  # must enter, has entered, the window decides itself
    ENTERED = "entered"  # must enter, has entered, the back office still decides
    MUST_ENTER = "must_enter"  # must enter but is still handled in the department's office
    OUTSIDE = "outside"  # not required to enter the hall


@dataclass(frozen=True)
class CenterSpec:
    code: str
    name: str
    level: str
    parent: str | None
    address: str
    phone: str


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    # Window numbers in the city hall; empty for a department with no window of its own.
    windows: tuple[str, ...] = ()
    # The law most of the department's items rest on, for items without a basis of their own.
    basis: str = ""
    # Materials most of the department's items ask for beyond the application and identity.
    materials: tuple["MaterialSpec", ...] = ()

    @property
    def stationed(self) -> bool:
        return bool(self.windows)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    last_name: str
    first_name: str
    role: str
    department: str | None  # None for a center-wide role, held in the city center
    heads_department: bool = False


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    originals: int = 0
    copies: int = 1
    required: bool = True
    deferrable: bool = False
    notes: str = ""


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    limit_days: int


@dataclass(frozen=True)
class FeeSpec:
    name: str
    legal_basis: str
    amount: Decimal | None = None
    rule: str = ""


@dataclass(frozen=True)
class ItemSpec:
    """One approval item. ``None`` fields are filled in by ``allocation``."""

    department: str
    category: str
    name: str
    processing_type: str
    applicant_type: str
    statutory_limit: int
    legal_basis: str = ""
    promised_limit: int | None = None
    placement: Placement | None = None
    conditions: str = ""
    materials: tuple[MaterialSpec, ...] = ()
    steps: tuple[StepSpec, ...] | None = None
    fees: tuple[FeeSpec, ...] = ()
    result_type: str | None = None
    visits_required: int = 1

    @property
    def immediate(self) -> bool:
        return self.processing_type == ProcessingType.IMMEDIATE


PROCESSING_MARKS = {
    "即": ProcessingType.IMMEDIATE,
    "承": ProcessingType.PROMISED,
    "报": ProcessingType.REPORTED,
    "联": ProcessingType.JOINT,
}
APPLICANT_MARKS = {
    "企": ApplicantType.LEGAL,
    "个": ApplicantType.NATURAL,
    "全": ApplicantType.BOTH,
}


class DemoDataError(ValueError):
    """The demo data contradict themselves (a bad table line, figures that do not add up)."""


def read_item_table(department: str, table: str) -> list[ItemSpec]:
    """Read a department's item table, one item a line.

    A line is ``category processing applicant statutory name | legal basis``, for example
    ``XK 承 企 20 食品生产许可 | 《中华人民共和国食品安全法》第三十五条``. Processing is one of
    即 / 承 / 报 / 联 (immediate, promised, reported, joint), applicant one of 企 / 个 / 全 (legal
    person, natural person, either); the statutory limit is in working days; the basis may be
    left out, the department's own law is used then. A line that starts with ``|`` continues
    the legal basis of the item above it. Blank lines are skipped.
    """
    items: list[ItemSpec] = []
    for raw in table.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            if not items:
                raise DemoDataError(f"{department}: a basis line with no item above it")
            items[-1] = replace(items[-1], legal_basis=items[-1].legal_basis + line[1:].strip())
            continue
        head, _bar, basis = line.partition("|")
        try:
            category, processing, applicant, statutory, name = head.split(maxsplit=4)
            item = ItemSpec(
                department=department,
                category=category,
                name=name.strip(),
                processing_type=PROCESSING_MARKS[processing],
                applicant_type=APPLICANT_MARKS[applicant],
                statutory_limit=int(statutory),
                legal_basis=basis.strip(),
            )
        except (KeyError, ValueError) as exc:
            raise DemoDataError(f"{department}: cannot read item line {line!r}") from exc
        items.append(item)
    return items


_IDENTITY = {
    ApplicantType.LEGAL: MaterialSpec(
        "营业执照或其他主体资格证明", copies=1, notes="复印件加盖单位公章"
    ),
    ApplicantType.NATURAL: MaterialSpec(
        "申请人有效身份证件", originals=1, copies=1, notes="原件核验后当场退还"
    ),
    ApplicantType.BOTH: MaterialSpec(
        "申请人身份证件或营业执照", originals=1, copies=1, notes="原件核验后当场退还"
    ),
}
_POWER_OF_ATTORNEY = MaterialSpec(
    "授权委托书及受托人身份证件", originals=1, copies=1, required=False, notes="委托他人办理的提交"
)


def standard_materials(
    item_name: str, applicant_type: str, specific: tuple[MaterialSpec, ...]
) -> tuple[MaterialSpec, ...]:
    """An item's materials in the order guides list them.

    The application form, the applicant's proof of identity, the item's own materials, and last
    the power of attorney, needed only when an agent applies.
    """
    return (
        MaterialSpec(
            f"{item_name}申请表", originals=1, copies=0, notes="可在网上办事大厅下载或现场领取"
        ),
        _IDENTITY[applicant_type],
        *specific,
        _POWER_OF_ATTORNEY,
    )
