"""The demo's scenarios: one script per situation a case can be in, and the plan that draws,
for each department, how many cases of each there are, for which items and on which days.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from catalog.models import (
    ApplicantType,
    ItemVersion,
    JointItem,
    Role,
)

from .. import services
from .run import Demo, Desk, Item, Run
from .timeline import Script, together

# --- the scripts: one per situation -----------------------------------------------------------


def _pace(rng: random.Random, accepted: int, upto: int) -> int:
    """The day the step reached was opened, between acceptance and today."""
    if upto == 1:
        return accepted
    return round(accepted * rng.uniform(0, 0.5))


def running(
    run: Run,
    *,
    accepted: int,
    upto: int,
    claim: bool,
    suspended: int | None = None,
    paused: tuple[int, int] | None = None,
    extension: tuple[int, int | None, bool] | None = None,
) -> Script:
    """Accepted ``accepted`` working days back and at step ``upto``; optionally suspended since
    ``suspended``, suspended and resumed over ``paused``, or with an extension requested (and
    decided) at the given days."""
    yield from run.accepted(accepted)
    opened = _pace(run.rng, accepted, upto)
    start, first_claimed = accepted, False
    if paused is not None:
        # The suspension came while the first step was with the handler.
        yield from run.claim(accepted)
        yield from run.suspend(paused[0])
        yield from run.resume(paused[1])
        start, first_claimed = paused[1], True
        opened = min(opened, start)
    yield from run.work(
        start=start, end=opened, upto=upto, claim=claim, first_claimed=first_claimed
    )
    if extension is not None:
        asked, decided, approve = extension
        yield from run.request_extension(asked)
        if decided is not None:
            yield from run.decide_extension(decided, approve=approve)
    if suspended is not None:
        yield from run.suspend(suspended)


def decided(
    run: Run,
    *,
    accepted: int,
    decided: int,
    approve: bool,
    paid: int | None = None,
    delivered: int | None = None,
) -> Script:
    """Accepted, worked through every step and decided ``decided`` working days back; the fees
    recorded and the result delivered on the days given."""
    yield from run.accepted(accepted)
    yield from run.work(start=accepted, end=decided, upto=len(run.item.roles), claim=True)
    yield from run.decide(decided, approve=approve)
    if approve and paid is not None:
        yield from run.pay(paid)
    if delivered is not None:
        yield from run.deliver(delivered)


def on_the_spot(run: Run, *, ago: int) -> Script:
    """An immediate item (即办件) taken in and completed in one visit."""
    yield from run.intake_at_window(ago)
    at = run.when(ago)
    yield at
    step = run._open_step()
    user = run.desk.staff[step.role]
    number = run.demo.next_number(f"licence:{run.desk.department.pk}:{at.year}")
    services.case_complete_on_the_spot(
        case=run._case,
        by=user,
        licence_number=f"{run.desk.department.code}{at:%Y}{number:05d}",
        now=at,
    )


def prereview(run: Run, *, submitted: int) -> Script:
    """Submitted online, waiting for the window's pre-review (Art. 32: 5 working days)."""
    yield from run.submit_online(submitted)


def supplement(run: Run, *, submitted: int, asked: int, answered: int | None = None) -> Script:
    """Told once what to supplement; answered and waiting again when ``answered`` is given."""
    yield from run.submit_online(submitted)
    yield from run.request_supplement(asked)
    if answered is not None:
        yield from run.answer_supplement(answered)


def rejected(run: Run, *, submitted: int, refused: int) -> Script:
    yield from run.submit_online(submitted)
    yield from run.reject(refused)


def withdrawn(run: Run, *, submitted: int, withdrawn: int, accepted: bool = False) -> Script:
    """Withdrawn by the applicant: online before intake, or at the window once in progress."""
    if accepted:
        yield from run.accepted(submitted)
        yield from run.claim(submitted)
    else:
        yield from run.submit_online(submitted)
    yield from run.withdraw(withdrawn)


def draft(run: Run, *, ago: int) -> Script:
    yield from run.draft(ago)


# --- the plan of each department -------------------------------------------------------------

Pick = Callable[[Item], bool]
Plan = Callable[[Run, Item], Script]


def promised(item: Item) -> bool:
    return not item.immediate and item.promised >= 1 and bool(item.roles)


def _promised_at_least(days: int) -> Pick:
    return lambda item: promised(item) and item.promised >= days


def _with_step(role: str) -> Pick:
    return lambda item: promised(item) and item.step_with(role) is not None


class Planner:
    """Draws the cases of one department: which item, who applies, which days."""

    def __init__(self, demo: Demo, desk: Desk) -> None:
        self.demo, self.desk, self.rng = demo, desk, demo.rng
        self.scripts: list[Script] = []

    def item(self, pick: Pick) -> Item | None:
        items = [item for item in self.desk.items if pick(item)]
        if not items:
            return None
        # Items people apply for themselves come up twice as often: most departments' catalogs
        # are mostly for companies, and the queues would be all companies otherwise.
        weights = [1 if i.version.applicant_type == ApplicantType.LEGAL else 2 for i in items]
        return self.rng.choices(items, weights=weights)[0]

    def add(self, pick: Pick, plan: Plan, *, online: bool | None = None) -> None:
        item = self.item(pick)
        if item is None:
            return
        rng = self.rng
        run = Run(
            self.demo,
            self.desk,
            item,
            online=rng.random() < 0.5 if online is None else online,
            complete=rng.random() < 0.6,
            green=rng.random() < 0.08,
            agent_service=rng.random() < 0.15,
        )
        self.scripts.append(plan(run, item))

    def plan(self) -> list[Script]:
        rng = self.rng
        r = rng.randint
        online = True

        # Online: a draft, fresh and late pre-reviews, supplements, rejections, withdrawals.
        self.add(promised, lambda run, i: draft(run, ago=r(0, 4)), online=online)
        for _ in range(5):
            self.add(promised, lambda run, i: prereview(run, submitted=r(0, 3)), online=online)
        for _ in range(3):  # past the 5 working days of Art. 32
            self.add(promised, lambda run, i: prereview(run, submitted=r(6, 11)), online=online)
        for _ in range(2):
            self.add(
                promised,
                lambda run, i: supplement(run, submitted=r(5, 8), asked=r(3, 4), answered=r(0, 2)),
                online=online,
            )
        for _ in range(3):
            self.add(
                promised,
                lambda run, i: supplement(run, submitted=r(2, 5), asked=r(0, 1)),
                online=online,
            )
        # Answered late: the application counts as accepted on the day it came (Art. 32).
        self.add(promised, lambda run, i: supplement(run, submitted=8, asked=1), online=online)
        for _ in range(3):
            self.add(
                promised,
                lambda run, i: rejected(run, submitted=(s := r(2, 30)), refused=s - r(1, 2)),
                online=online,
            )
        for _ in range(2):
            self.add(
                promised,
                lambda run, i: withdrawn(run, submitted=(s := r(3, 20)), withdrawn=s - r(1, 3)),
                online=online,
            )
        self.add(
            promised,
            lambda run, i: withdrawn(run, submitted=12, withdrawn=r(2, 8), accepted=True),
            online=False,
        )

        # Accepted, the first step waiting in the department's queue.
        for _ in range(4):
            self.add(promised, lambda run, i: running(run, accepted=r(0, 1), upto=1, claim=False))
        # At each step, claimed and unclaimed, on track.
        for role, claimed, count in (
            (Role.HANDLER, True, 4),
            (Role.HANDLER, False, 2),
            (Role.REVIEWER, False, 2),
            (Role.REVIEWER, True, 2),
            (Role.APPROVER, False, 2),
            (Role.APPROVER, True, 3),
            (Role.CHIEF_REPRESENTATIVE, True, 1),
        ):

            def at_step(run: Run, i: Item, role: str = role, claimed: bool = claimed) -> Script:
                start = 0 if i.promised < 4 else 1
                return running(
                    run,
                    accepted=r(start, max(start, i.promised - 3)),
                    upto=i.step_with(role) or 1,
                    claim=claimed,
                )

            for _ in range(count):
                self.add(_with_step(role), at_step)
        # Due today, due within two working days, overdue by 1, 3, 8 and more.
        for late, count in ((0, 3), (-1, 2), (-2, 2), (1, 3), (3, 3), (8, 2), (12, 2), (20, 1)):

            def due(run: Run, i: Item, late: int = late) -> Script:
                return running(
                    run,
                    accepted=i.promised + late,
                    upto=r(1, len(i.roles)),
                    claim=rng.random() < 0.7,
                )

            for _ in range(count):
                self.add(_promised_at_least(max(1, -late)), due)
        # Suspended for a special procedure (Art. 45): still, and resumed earlier.
        for _ in range(3):
            self.add(
                _promised_at_least(2),
                lambda run, i: running(
                    run,
                    accepted=(a := r(2, i.promised + 2)),
                    upto=1,
                    claim=True,
                    suspended=r(0, a - 1),
                ),
            )
        for _ in range(2):
            self.add(
                _promised_at_least(3),
                lambda run, i: running(
                    run,
                    accepted=(a := i.promised + 4),
                    upto=r(1, len(i.roles)),
                    claim=True,
                    paused=(a - 1, a - 1 - r(2, 4)),
                ),
            )
        # Extended (Art. 42): approved in time, requested and waiting for the leader, refused.
        for _ in range(3):
            self.add(
                _promised_at_least(3),
                lambda run, i: running(
                    run,
                    accepted=(a := i.promised + r(2, 5)),
                    upto=1,
                    claim=True,
                    extension=(a - i.promised + 1, a - i.promised, True),
                ),
            )
        for _ in range(2):
            self.add(
                _promised_at_least(3),
                lambda run, i: running(
                    run,
                    accepted=i.promised - 1,
                    upto=1,
                    claim=True,
                    extension=(r(0, 1), None, True),
                ),
            )
        self.add(
            _promised_at_least(3),
            lambda run, i: running(
                run, accepted=i.promised, upto=1, claim=True, extension=(2, 1, False)
            ),
        )

        # Decided, waiting for the fees or the hand-over.
        for approve, count in ((True, 4), (False, 1)):

            def to_deliver(run: Run, i: Item, approve: bool = approve) -> Script:
                day = r(0, 3)
                taken = r(max(1, i.promised - 2), i.promised)
                return decided(run, accepted=day + taken, decided=day, approve=approve)

            for _ in range(count):
                self.add(lambda item: promised(item) and not item.fees, to_deliver)
        for _ in range(4):
            self.add(
                lambda item: promised(item) and bool(item.fees),
                lambda run, i: decided(
                    run, accepted=(d := r(0, 2)) + i.promised, decided=d, approve=True
                ),
            )
        # Completed over the last three months: on time and late, approved and denied.
        for approve, late, count in (
            (True, False, 16),
            (True, True, 3),
            (False, False, 3),
            (False, True, 1),
        ):

            def completed(run: Run, i: Item, approve: bool = approve, late: bool = late) -> Script:
                day = r(3, 60)
                taken = i.promised + r(1, 4) if late else r(max(1, i.promised - 3), i.promised)
                paid = day - r(0, 1)
                return decided(
                    run,
                    accepted=day + taken,
                    decided=day,
                    approve=approve,
                    paid=paid,
                    delivered=paid - r(0, 2),
                )

            for _ in range(count):
                self.add(promised, completed)
        # A result handed over after the 10 working days of Art. 44.
        self.add(
            promised,
            lambda run, i: decided(
                run,
                accepted=30 + i.promised,
                decided=30,
                approve=True,
                paid=29,
                delivered=r(14, 17),
            ),
        )
        # Immediate items, done on the spot.
        for _ in range(5):
            self.add(
                lambda item: item.immediate and not item.fees,
                lambda run, i: on_the_spot(run, ago=r(0, 40)),
                online=False,
            )
        return self.scripts


# --- joint cases --------------------------------------------------------------------------------


def joint_scripts(demo: Demo, desks: dict[int, Desk]) -> Iterator[Script]:
    """A few joint cases (联办件) of each demo joint item, at the lead window: fresh, in progress,
    overdue on the joint clock, and decided."""
    for joint_item in JointItem.objects.filter(active=True).select_related("lead_department"):
        lead = desks.get(joint_item.lead_department_id)
        members = list(joint_item.member_versions())
        if (
            lead is None
            or joint_item.problems()
            or any(v.department_id not in desks for v in members)
        ):
            continue
        limit = joint_item.joint_limit
        for accepted, upto, done in (
            (3, 1, None),
            (15, 2, None),
            (limit + 4, 3, None),
            (limit - 5, None, 8),
        ):
            yield _joint(demo, desks, joint_item, members, lead, accepted, upto, done)


def _joint(
    demo: Demo,
    desks: dict[int, Desk],
    joint_item: JointItem,
    members: list[ItemVersion],
    lead: Desk,
    accepted: int,
    upto: int | None,
    done: int | None,
) -> Script:
    items = {
        v.pk: next(i for i in desks[v.department_id].items if i.version.pk == v.pk) for v in members
    }
    runs = {
        pk: Run(demo, desks[v.department_id], items[pk], online=False)
        for pk, v in ((v.pk, v) for v in members)
    }
    company = demo.rng.choice(
        [c for c in demo.applicants.companies if c.department in ("ZGJ", "ZJJ")]
    )
    intake = Run(demo, lead, items[members[0].pk], online=False)
    at = intake.when(accepted)
    yield at
    joint = services.joint_case_intake(
        joint_item=joint_item,
        by=lead.staff[Role.WINDOW_CLERK],
        applicant=company.particulars(),
        files={
            v.pk: {
                m.pk: [demo.upload(m)]
                for m in (*items[v.pk].key_materials, *items[v.pk].deferrable)
            }
            for v in members
        },
        now=at,
    )
    scripts: list[Script] = []
    for case in joint.sub_cases.order_by("pk"):
        run = runs[case.item_version_id]
        # Every file came at the joint intake: nothing is pending.
        run.case, run.particulars, run.complete = case, company.particulars(), True
        run.follow(intake)
        steps = len(run.item.roles)
        if done is not None:
            scripts.append(_sub_decided(run, accepted, done))
        else:
            target = min(upto or 1, steps)
            scripts.append(
                run.work(
                    start=accepted, end=_pace(demo.rng, accepted, target), upto=target, claim=True
                )
            )
    yield from together(scripts)


def _sub_decided(run: Run, accepted: int, decided: int) -> Script:
    yield from run.work(start=accepted, end=decided, upto=len(run.item.roles), claim=True)
    yield from run.decide(decided, approve=True)
    yield from run.pay(decided - 1)
    yield from run.deliver(decided - 2)
