"""One demo case played through the services: who applies for what, and each thing that happens
to the case, at a moment ``ago`` working days back.

A :class:`Run` holds the case, its applicant and the staff of its department; each of its
methods is a piece of a script (see :mod:`.timeline`): it yields the moment of the action and
calls the one service that takes it, with ``now=`` that moment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from catalog.models import (
    ApplicantType,
    Department,
    FeeItem,
    ItemVersion,
    Material,
    ProcessingType,
    Role,
)

from .. import services
from ..deadlines import add_workdays
from ..models import (
    Case,
    Channel,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    SpecialProcedure,
    StepRun,
    StepStatus,
)
from .applicants import ZHANG_SAN, Applicants, Company, Person
from .timeline import DemoClock, Script

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# What the demo's staff write (data of the demo city, in its language).
OPINIONS: dict[str, tuple[str, ...]] = {
    Role.HANDLER: (
        "材料齐全，符合法定条件，建议准予许可。",
        "经现场核查，场所与申报一致，拟同意。",
        "申请材料真实有效，符合办理条件。",
    ),
    Role.REVIEWER: ("经审核，同意承办意见。", "复核无误，同意。"),
    Role.APPROVER: ("同意。", "同意承办、审核意见。"),
    Role.CHIEF_REPRESENTATIVE: ("材料齐全，同意办理。",),
    Role.WINDOW_CLERK: ("材料齐全，当场办结。",),
}
SUPPLEMENT_REASONS = (
    "复印件不清晰，请重新提交",
    "缺少法定代表人签字并加盖公章",
    "证明文件已过有效期，请提供最新版本",
    "页数不全，请补齐全部页面",
)
REJECTION_REASONS = (
    "申请事项不属于本部门职权范围，请向有权机关申请。",
    "申请人不具备申请资格：经营场所位于规划禁止设立区域。",
    "该事项依法不需要取得行政许可，可直接办理备案。",
)
DENIAL_REASONS = (
    "经现场核查，场所条件不符合相关技术规范要求。",
    "专家评审意见认为技术方案存在重大安全隐患，不予许可。",
    "申请人提供的业绩证明与实际不符。",
)
SUSPENSIONS = (
    (SpecialProcedure.EXPERT_REVIEW, "需组织专家对技术方案进行评审", 5),
    (SpecialProcedure.TESTING, "需委托检测机构对设备进行检测", 8),
    (SpecialProcedure.HEARING, "涉及相邻权利人重大利益，依申请组织听证", 10),
    (SpecialProcedure.INSPECTION, "需对经营场所进行现场勘验", 3),
    (SpecialProcedure.APPRAISAL, "需委托第三方对房屋安全进行鉴定", 6),
)
EXTENSION_REASONS = (
    "现场核查需补充检测，二十日内不能作出决定",
    "需征求相关部门意见，法定期限内不能作出决定",
    "申请涉及多个地块，需逐一核实",
)
WITHDRAWAL_REASONS = ("申请人书面申请撤回", "项目计划调整，申请人申请撤回")

# At what hour of the day (after 08:00) staff and applicants act.
STAFF_HOURS = (timedelta(minutes=40), timedelta(hours=9))
APPLICANT_HOURS = (timedelta(0), timedelta(hours=13, minutes=30))


@dataclass(frozen=True)
class Item:
    """A published version and what the scripts ask of it."""

    version: ItemVersion
    roles: tuple[str, ...]
    fees: tuple[FeeItem, ...]
    key_materials: tuple[Material, ...]  # required, cannot come later
    deferrable: tuple[Material, ...]  # required, may come after acceptance (容缺)

    @property
    def promised(self) -> int:
        return self.version.promised_limit

    @property
    def immediate(self) -> bool:
        return self.version.processing_type == ProcessingType.IMMEDIATE

    def step_with(self, role: str) -> int | None:
        """The (1-based) order of the step ``role`` holds; the last such step for approvers,
        who decide."""
        orders = [n for n, r in enumerate(self.roles, start=1) if r == role]
        if not orders:
            return None
        return orders[-1] if role == Role.APPROVER else orders[0]


@dataclass
class Desk:
    """A department with demo staff, and its items."""

    department: Department
    staff: dict[str, Any]
    items: list[Item]
    fee_clerk: Any


@dataclass
class Demo:
    """What every script shares: the clock, the random source, the applicants."""

    clock: DemoClock
    rng: random.Random
    applicants: Applicants
    accounts: dict[str, Any]
    zhang_san: Any
    counters: dict[str, int] = field(default_factory=dict)

    def next_number(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def upload(self, material: Material) -> ContentFile:
        return ContentFile(DEMO_PDF, name=f"{material.name}.pdf")


class Run:
    """One case being played: who applies, for what, and where its clock stands."""

    def __init__(
        self,
        demo: Demo,
        desk: Desk,
        item: Item,
        *,
        online: bool,
        complete: bool = True,
        green: bool = False,
        agent_service: bool = False,
    ) -> None:
        self.demo, self.desk, self.item = demo, desk, item
        self.rng = demo.rng
        self.online = online
        # Whether the deferrable materials come with the application or after acceptance.
        self.complete = complete or not item.deferrable or item.immediate
        self.green = green
        self.agent_service = agent_service and not online
        self.particulars, self.account = self._applicant()
        self.case: Case | None = None
        self._asked: list[Material] = []
        self._cursor: tuple[date, timedelta] | None = None

    # --- who and when ------------------------------------------------------------------------

    def _applicant(self) -> tuple[dict[str, Any], Any]:
        applicants, rng = self.demo.applicants, self.rng
        kind = self.item.version.applicant_type
        legal = kind == ApplicantType.LEGAL or (kind == ApplicantType.BOTH and rng.random() < 0.3)
        if legal:
            # Mostly companies of the department's trade; now and then one of any trade.
            trade = self.desk.department.code if rng.random() < 0.85 else ""
            companies = [c for c in applicants.companies if c.department == trade]
            company: Company = rng.choice(companies or applicants.companies)
            account = self.demo.accounts[company.agent.phone] if self.online else None
            return company.particulars(), account
        if self.online and rng.random() < 0.12:
            return ZHANG_SAN.particulars(), self.demo.zhang_san
        person: Person = rng.choice(applicants.online if self.online else applicants.people)
        account = self.demo.accounts[person.phone] if self.online else None
        return person.particulars(), account

    def when(self, ago: int, hours: tuple[timedelta, timedelta] = STAFF_HOURS) -> datetime:
        """A moment ``ago`` working days back, within ``hours``, after this case's last one."""
        clock = self.demo.clock
        day = clock.day(max(ago, 0))
        start, end = hours
        offset = start + timedelta(
            minutes=self.rng.randrange(int((end - start).total_seconds() // 60))
        )
        if self._cursor is not None:
            last_day, last_offset = self._cursor
            assert day >= last_day, "a script went back in time"
            if day == last_day and offset <= last_offset:
                offset = last_offset + timedelta(minutes=self.rng.randint(4, 20))
        offset = min(offset, timedelta(hours=13, minutes=59))
        self._cursor = (day, offset)
        return clock.moment(day, offset)

    def follow(self, other: Run) -> None:
        """Continue after ``other``'s last moment (the sub-cases of a joint intake)."""
        self._cursor = other._cursor

    def day(self, ago: int) -> date:
        return self.demo.clock.day(max(ago, 0))

    @property
    def clerk(self) -> Any:
        return self.desk.staff[Role.WINDOW_CLERK]

    @property
    def handler(self) -> Any:
        return self.desk.staff[Role.HANDLER]

    @property
    def _case(self) -> Case:
        assert self.case is not None
        return self.case

    def _open_step(self) -> StepRun:
        return self._case.steps.get(status=StepStatus.OPEN)

    # --- applying ----------------------------------------------------------------------------

    def draft(self, ago: int) -> Script:
        at = self.when(ago, APPLICANT_HOURS)
        yield at
        self.case = services.case_create(
            version=self.item.version,
            by=self.account,
            channel=Channel.ONLINE,
            now=at,
            **self.particulars,
        )
        # Half the files are in: the applicant stopped to find the rest.
        for material in self.item.key_materials[: len(self.item.key_materials) // 2]:
            services.case_attach_material(
                case=self.case,
                material=material,
                upload=self.demo.upload(material),
                by=self.account,
                now=at,
            )
        return self.case

    def submit_online(self, ago: int) -> Script:
        at = self.when(ago, APPLICANT_HOURS)
        yield at
        version = self.item.version
        self.case = services.case_create(
            version=version,
            by=self.account,
            channel=Channel.ONLINE,
            green_channel=self.green,
            now=at,
            **self.particulars,
        )
        materials = self.item.key_materials + (self.item.deferrable if self.complete else ())
        for material in materials:
            services.case_attach_material(
                case=self.case,
                material=material,
                upload=self.demo.upload(material),
                by=self.account,
                now=at,
            )
        services.case_submit(case=self.case, by=self.account, now=at)
        return self.case

    def intake_at_window(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        materials = self.item.key_materials + (self.item.deferrable if self.complete else ())
        self.case = services.case_window_intake(
            version=self.item.version,
            by=self.clerk,
            files={m.pk: [self.demo.upload(m)] for m in materials},
            applicant={
                **self.particulars,
                "green_channel": self.green,
                "agent_service": self.agent_service,
            },
            deferred_due_on=self._deferred_due_on(ago),
            now=at,
        )
        return self.case

    def _deferred_due_on(self, ago: int) -> date:
        return add_workdays(self.day(ago), 5, calendar=self.demo.clock.calendar)

    def accept(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        services.case_accept(
            case=self._case, by=self.clerk, deferred_due_on=self._deferred_due_on(ago), now=at
        )

    def accepted(self, ago: int) -> Script:
        """Taken in ``ago`` working days back: online the day before, or at the window."""
        if self.online:
            yield from self.submit_online(ago + 1)
            yield from self.accept(ago)
        else:
            yield from self.intake_at_window(ago)

    def request_supplement(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        materials = list(self.item.key_materials)
        chosen = self.rng.sample(materials, k=min(len(materials), self.rng.choice((1, 1, 2))))
        services.case_request_supplement(
            case=self._case,
            by=self.clerk,
            items=[
                {"material": m.pk, "reason": self.rng.choice(SUPPLEMENT_REASONS)} for m in chosen
            ],
            now=at,
        )
        self._asked = chosen

    def answer_supplement(self, ago: int) -> Script:
        at = self.when(ago, APPLICANT_HOURS)
        yield at
        for material in self._asked:
            services.case_attach_material(
                case=self._case,
                material=material,
                upload=self.demo.upload(material),
                by=self.account,
                now=at,
            )
        services.case_submit(case=self._case, by=self.account, now=at)

    def reject(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        services.case_reject(
            case=self._case, by=self.clerk, reason=self.rng.choice(REJECTION_REASONS), now=at
        )

    def withdraw(self, ago: int) -> Script:
        if self.online:
            at = self.when(ago, APPLICANT_HOURS)
            yield at
            services.case_withdraw(case=self._case, by=self.account, now=at)
        else:
            at = self.when(ago)
            yield at
            services.case_withdraw(
                case=self._case, by=self.clerk, reason=self.rng.choice(WITHDRAWAL_REASONS), now=at
            )

    def supply_deferred(self, ago: int) -> Script:
        if self.complete:
            return
        at = self.when(ago, APPLICANT_HOURS if self.online else STAFF_HOURS)
        yield at
        for material in self.item.deferrable:
            services.case_supply_deferred(
                case=self._case,
                material=material,
                upload=self.demo.upload(material),
                by=self.account if self.online else self.clerk,
                now=at,
            )
        self.complete = True

    # --- the steps ---------------------------------------------------------------------------

    def claim(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        step = self._open_step()
        services.step_claim(step=step, by=self.desk.staff[step.role], now=at)

    def complete_step(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        step = self._open_step()
        services.step_complete(
            step=step, by=step.assignee, opinion=self.rng.choice(OPINIONS[step.role]), now=at
        )

    def work(
        self, *, start: int, end: int, upto: int, claim: bool, first_claimed: bool = False
    ) -> Script:
        """Steps before step ``upto`` done between ``start`` and ``end`` working days back, step
        ``upto`` open since then, claimed or still in the department's queue. A material
        accepted as pending comes before the first step is done."""
        opened = start
        for order in range(1, upto):
            if order > 1 or not first_claimed:
                yield from self.claim(opened)
            done = start - round((start - end) * order / (upto - 1))
            yield from self.supply_deferred(done)
            yield from self.complete_step(done)
            opened = done
        if claim and not (upto == 1 and first_claimed):
            yield from self.claim(opened)

    def decide(self, ago: int, *, approve: bool) -> Script:
        yield from self.supply_deferred(ago)
        at = self.when(ago)
        yield at
        step = self._open_step()
        day = self.day(ago)
        if approve:
            version = self.item.version
            number = self.demo.next_number(f"licence:{version.department_id}:{day.year}")
            valid = "许可" in version.name and "注销" not in version.name
            services.case_decide(
                case=self._case,
                by=step.assignee,
                decision=Decision.APPROVED,
                opinion=self.rng.choice(OPINIONS[Role.APPROVER]),
                licence_number=f"{self.desk.department.code}{day:%Y}{number:05d}",
                # Five years on (28th at most: a 29 February has no such day five years on).
                valid_until=date(day.year + 5, day.month, min(day.day, 28)) if valid else None,
                now=at,
            )
        else:
            services.case_decide(
                case=self._case,
                by=step.assignee,
                decision=Decision.DENIED,
                reasons=self.rng.choice(DENIAL_REASONS),
                now=at,
            )

    def pay(self, ago: int) -> Script:
        if not self.item.fees:
            return
        at = self.when(ago)
        yield at
        # An applicant pays one of the alternatives the catalog lists (住宅类 or 非住宅类); the
        # other is recorded as not due, with the reason.
        due = self.rng.randrange(len(self.item.fees))
        for index, fee in enumerate(self.item.fees):
            number = self.demo.next_number(f"receipt:{at.year}")
            services.fee_record(
                case=self._case,
                by=self.desk.fee_clerk,
                fee_name=fee.name,
                amount=fee.amount if index == due else Decimal("0.00"),
                receipt_number=f"330100{at:%Y}{number:07d}",
                deviation_reason=""
                if index == due
                else f"不适用：本案按{self.item.fees[due].name}收取",
                now=at,
            )

    def deliver(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        method = self.rng.choice(
            (
                DeliveryMethod.PICKUP,
                DeliveryMethod.PICKUP,
                DeliveryMethod.POST,
                DeliveryMethod.ELECTRONIC,
            )
        )
        services.case_deliver(
            case=self._case,
            by=self.clerk,
            method=method,
            tracking_number=f"1{self.rng.randrange(10**12):012d}"
            if method == DeliveryMethod.POST
            else "",
            now=at,
        )

    # --- the clock: suspension (Art. 45) and extension (Art. 42) ------------------------------

    def suspend(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        procedure, reason, days = self.rng.choice(SUSPENSIONS)
        services.case_suspend(
            case=self._case,
            by=self.handler,
            procedure=procedure,
            reason=reason,
            expected_days=days,
            now=at,
        )

    def resume(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        services.case_resume(case=self._case, by=self.handler, now=at)

    def request_extension(self, ago: int) -> Script:
        at = self.when(ago)
        yield at
        services.extension_request(
            case=self._case,
            by=self.handler,
            days=self.rng.choice((5, 10, 10)),
            reason=self.rng.choice(EXTENSION_REASONS),
            now=at,
        )

    def decide_extension(self, ago: int, *, approve: bool) -> Script:
        at = self.when(ago)
        yield at
        services.extension_decide(
            extension=self._case.extensions.get(status=ExtensionStatus.REQUESTED),
            by=self.desk.staff[Role.APPROVER],
            approve=approve,
            note="" if approve else "现有材料足以作出决定，请在原期限内办结。",
            now=at,
        )
