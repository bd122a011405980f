"""Complete the demo catalog so that it adds up to the figures of the source speech.

The speech (shared source 000) reports, for 38 departments: 367 retained items, 277 licensing
and 90 non-licensing; 46 immediate; an average promised limit of 4.85 working days; 172 items
that must enter the center, 111 that did, 30 the window decides itself. The data modules fix
what a reader of an item guide would check (names, categories, processing types, statutory
limits, and everything about the detailed guides); the rest is allocated here, deterministically,
so that the totals come out exactly and each item stays plausible:

* promised limits are shared out in proportion to the statutory limits;
* the window's full authorisation goes first to immediate items, then the other places in the
  hall are dealt out department by department, so no department is left empty.

Nothing here touches the database.
"""

import re
from dataclasses import dataclass, replace
from itertools import chain, zip_longest

from catalog.models import ProcessingType, ResultType, Role

from .guides import DETAILED, GUIDED
from .items import FEES, TABLES
from .organization import DEPARTMENTS, REGION_CODE
from .specs import (
    DemoDataError,
    DepartmentSpec,
    ItemSpec,
    Placement,
    StepSpec,
    read_item_table,
    standard_materials,
)


@dataclass(frozen=True)
class Figures:
    departments: int
    items: int
    licensing: int
    legacy: int
    immediate: int
    promised_total: int
    must_enter: int
    entered: int
    full: int


# 1780 / 367 = 4.850…, the speech's average of 4.85 days.
SPEECH_FIGURES = Figures(
    departments=38,
    items=367,
    licensing=277,
    legacy=90,
    immediate=46,
    promised_total=1780,
    must_enter=172,
    entered=111,
    full=30,
)

_IN_HALL = {Placement.FULL, Placement.ENTERED}
_MUST_ENTER = {Placement.FULL, Placement.ENTERED, Placement.MUST_ENTER}


@dataclass(frozen=True)
class DemoItem:
    """An item ready to be written: its code, its department and its completed spec."""

    code: str
    department: DepartmentSpec
    spec: ItemSpec


def demo_items(figures: Figures = SPEECH_FIGURES) -> list[DemoItem]:
    """Every item of the demo city, complete and coded, adding up to ``figures``.

    Raises ``DemoDataError`` when the data cannot add up (a table was edited, say), before
    anything is written.
    """
    departments = {department.code: department for department in DEPARTMENTS}
    specs = _all_specs(departments)
    specs = _with_promised_limits(specs, figures.promised_total)
    specs = _with_placements(specs, departments, figures)
    specs = [_completed(spec, departments[spec.department]) for spec in specs]
    _check(specs, departments, figures)
    return _coded(specs, departments)


def _all_specs(departments: dict[str, DepartmentSpec]) -> list[ItemSpec]:
    tables = chain.from_iterable(read_item_table(code, text) for code, text in TABLES.items())
    specs = [*DETAILED, *GUIDED, *tables]
    unknown = {spec.department for spec in specs} - departments.keys()
    if unknown:
        raise DemoDataError(f"items of unknown departments: {sorted(unknown)}")
    order = list(departments)
    # Stable: within a department the detailed guides come first and get the low numbers.
    return sorted(specs, key=lambda spec: order.index(spec.department))


def _with_promised_limits(specs: list[ItemSpec], total: int) -> list[ItemSpec]:
    """Give every open non-immediate item a promised limit so that all of them add up to ``total``.

    Each gets a share of ``total`` proportional to its statutory limit, at least 1 and at most
    the statutory limit; the rounding difference is then spread one day at a time, starting
    with the items whose law allows the longest.
    """
    specs = [replace(s, promised_limit=0) if s.immediate else s for s in specs]
    open_ = [i for i, spec in enumerate(specs) if spec.promised_limit is None]
    remaining = total - sum(spec.promised_limit or 0 for spec in specs)
    statutory = sum(specs[i].statutory_limit for i in open_)
    if not open_ or remaining < len(open_) or statutory < remaining:
        raise DemoDataError(f"cannot share {remaining} promised days among {len(open_)} items")
    limits = {
        i: min(
            specs[i].statutory_limit,
            max(1, round(specs[i].statutory_limit * remaining / statutory)),
        )
        for i in open_
    }
    longest_first = sorted(open_, key=lambda i: (-specs[i].statutory_limit, i))
    difference = remaining - sum(limits.values())
    while difference:
        step = 1 if difference > 0 else -1
        for i in longest_first:
            if difference and 1 <= limits[i] + step <= specs[i].statutory_limit:
                limits[i] += step
                difference -= step
    return [
        replace(spec, promised_limit=limits[i]) if i in limits else spec
        for i, spec in enumerate(specs)
    ]


def _dealt(indices: list[int], specs: list[ItemSpec]) -> list[int]:
    """``indices`` reordered one per department in turn: the first of each, then the second…"""
    by_department: dict[str, list[int]] = {}
    for i in indices:
        by_department.setdefault(specs[i].department, []).append(i)
    rounds = zip_longest(*by_department.values())
    return [i for i in chain.from_iterable(rounds) if i is not None]


def _with_placements(
    specs: list[ItemSpec], departments: dict[str, DepartmentSpec], figures: Figures
) -> list[ItemSpec]:
    """Place every open item in the hall (or not) so that the hall figures come out exactly."""
    fixed = [spec.placement for spec in specs if spec.placement is not None]
    need_full = figures.full - sum(p == Placement.FULL for p in fixed)
    need_entered = figures.entered - sum(p in _IN_HALL for p in fixed) - need_full
    need_must = figures.must_enter - sum(p in _MUST_ENTER for p in fixed) - need_full - need_entered
    open_ = [i for i, spec in enumerate(specs) if spec.placement is None]
    # Only a department with a window in the hall can have items handled there.
    in_hall = [i for i in open_ if departments[specs[i].department].stationed]

    placements: dict[int, Placement] = {}

    def take(candidates: list[int], count: int, placement: Placement) -> None:
        free = [i for i in candidates if i not in placements]
        if count < 0 or len(free) < count:
            raise DemoDataError(f"cannot place {count} more items as {placement.value}")
        for i in free[:count]:
            placements[i] = placement

    immediate_first = _dealt([i for i in in_hall if specs[i].immediate], specs) + _dealt(
        [i for i in in_hall if not specs[i].immediate], specs
    )
    take(immediate_first, need_full, Placement.FULL)
    take(_dealt(in_hall, specs), need_entered, Placement.ENTERED)
    take(_dealt(open_, specs), need_must, Placement.MUST_ENTER)
    return [
        replace(spec, placement=placements.get(i, Placement.OUTSIDE))
        if spec.placement is None
        else spec
        for i, spec in enumerate(specs)
    ]


_LAW = re.compile(r"《[^》]+》")


def default_conditions(spec: ItemSpec) -> str:
    """Generic conditions for an item without its own: who may apply, the law, the form."""
    law = _LAW.search(spec.legal_basis)
    applicant = {
        "legal": "申请人为依法设立的法人或者其他组织",
        "natural": "申请人具有完全民事行为能力",
        "both": "申请人为具有完全民事行为能力的自然人，或者依法设立的法人、其他组织",
    }[spec.applicant_type]
    rule = f"符合{law.group(0)}规定的条件" if law else "符合法律、法规规定的条件"
    return f"1. {applicant}；\n2. {rule}；\n3. 申请材料齐全、符合法定形式。"


def default_result_type(name: str) -> str:
    """What an item's name says it produces: a filing, a licence, a certificate or a decision."""
    if "备案" in name:
        return ResultType.FILING
    if "许可" in name or "执照" in name or name.endswith("证核发"):
        return ResultType.LICENCE
    if any(word in name for word in ("登记", "认定", "资格", "注册", "证明", "确认", "核发")):
        return ResultType.CERTIFICATE
    return ResultType.APPROVAL_DOCUMENT


# Step plans: (name, role, share of the promised days). The first step takes what rounding
# leaves over, so the steps always add up to the promised limit exactly.
_PLANS = {
    ProcessingType.PROMISED: (
        ("承办", Role.HANDLER, 3),
        ("审核", Role.REVIEWER, 1),
        ("审批", Role.APPROVER, 1),
    ),
    ProcessingType.JOINT: (
        ("牵头部门受理审查", Role.HANDLER, 1),
        ("联合会审", Role.REVIEWER, 2),
        ("审批", Role.APPROVER, 1),
    ),
    ProcessingType.REPORTED: (
        ("初审", Role.HANDLER, 1),
        ("审核", Role.REVIEWER, 1),
        ("签发上报", Role.APPROVER, 1),
        ("上级机关审批", Role.HANDLER, 2),
    ),
}
# A fully authorised window examines and signs itself (首席代表).
_FULL_PLAN = (
    ("审查", Role.CHIEF_REPRESENTATIVE, 2),
    ("签发", Role.CHIEF_REPRESENTATIVE, 1),
)


def default_steps(spec: ItemSpec) -> tuple[StepSpec, ...]:
    """The steps of an item without its own, their limits adding up to its promised limit."""
    if spec.immediate:
        role = Role.CHIEF_REPRESENTATIVE if spec.placement == Placement.FULL else Role.WINDOW_CLERK
        return (StepSpec("当场审核办结", role, 0),)
    plan = _FULL_PLAN if spec.placement == Placement.FULL else _PLANS[spec.processing_type]
    days = spec.promised_limit
    shares = sum(share for _name, _role, share in plan)
    limits = [days * share // shares for _name, _role, share in plan]
    limits[0] += days - sum(limits)
    return tuple(
        StepSpec(name, role, limit)
        for (name, role, _share), limit in zip(plan, limits, strict=True)
    )


def _completed(spec: ItemSpec, department: DepartmentSpec) -> ItemSpec:
    basis = spec.legal_basis or department.basis
    spec = replace(spec, legal_basis=basis)
    return replace(
        spec,
        conditions=spec.conditions or default_conditions(spec),
        materials=spec.materials
        or standard_materials(spec.name, spec.applicant_type, department.materials),
        steps=spec.steps if spec.steps is not None else default_steps(spec),
        fees=spec.fees or FEES.get((spec.department, spec.name), ()),
        result_type=spec.result_type or default_result_type(spec.name),
    )


def figures_of(specs: list[ItemSpec]) -> Figures:
    """The speech's figures as the specs would give them once written."""
    return Figures(
        departments=len({spec.department for spec in specs}),
        items=len(specs),
        licensing=sum(spec.category == "XK" for spec in specs),
        legacy=sum(spec.category == "FXK" for spec in specs),
        immediate=sum(spec.immediate for spec in specs),
        promised_total=sum(spec.promised_limit for spec in specs),
        must_enter=sum(spec.placement in _MUST_ENTER for spec in specs),
        entered=sum(spec.placement in _IN_HALL for spec in specs),
        full=sum(spec.placement == Placement.FULL for spec in specs),
    )


def _check(specs: list[ItemSpec], departments: dict[str, DepartmentSpec], figures: Figures) -> None:
    actual = figures_of(specs)
    if actual != figures:
        raise DemoDataError(f"the demo catalog adds up to {actual}, not {figures}")
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        key = (spec.department, spec.name)
        if key in seen:
            raise DemoDataError(f"{spec.department} lists {spec.name} twice")
        seen.add(key)
        if spec.placement in _IN_HALL and not departments[spec.department].stationed:
            raise DemoDataError(
                f"{spec.name} is placed in the hall, but {spec.department} has no window"
            )
        if sum(step.limit_days for step in spec.steps) > spec.promised_limit:
            raise DemoDataError(f"the steps of {spec.name} take longer than its promised limit")


def _coded(specs: list[ItemSpec], departments: dict[str, DepartmentSpec]) -> list[DemoItem]:
    """Number items per department and category in order: 330100-XK-SCJ-0001, …"""
    counters: dict[tuple[str, str], int] = {}
    coded = []
    for spec in specs:
        key = (spec.category, spec.department)
        counters[key] = counters.get(key, 0) + 1
        code = f"{REGION_CODE}-{spec.category}-{spec.department}-{counters[key]:04d}"
        coded.append(DemoItem(code=code, department=departments[spec.department], spec=spec))
    return coded
