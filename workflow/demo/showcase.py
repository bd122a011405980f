"""The hall's two demo accounts, 张三 and the company 恒达 (through its agent 李四), each with
a case in every state an applicant meets: a draft, one waiting for pre-review, one asked to
supplement, one in progress, one suspended, one decided and waiting for the applicant's choice
of delivery, one delivered. Played with the rest of the demo city, at the same desks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from catalog.models import ApplicantType

from .applicants import HENGDA, ZHANG_SAN
from .run import Demo, Desk, Item, Run
from .scenarios import decided, draft, prereview, promised, running, supplement
from .timeline import Script

# (what the case shows, the script) for each account, in the order the hall lists them.
SHOWCASE: tuple[Callable[[Run], Script], ...] = (
    lambda run: decided(run, accepted=16, decided=7, approve=True, paid=6, delivered=5),
    lambda run: decided(run, accepted=9, decided=1, approve=True),
    lambda run: running(run, accepted=7, upto=1, claim=True, suspended=2),
    lambda run: running(run, accepted=3, upto=2, claim=True),
    lambda run: supplement(run, submitted=4, asked=2),
    lambda run: prereview(run, submitted=1),
    lambda run: draft(run, ago=0),
)


def _admits(kind: str) -> Callable[[Item], bool]:
    admitted = {kind, ApplicantType.BOTH}
    return lambda item: (
        promised(item)
        and item.version.online_prereview
        and item.version.applicant_type in admitted
        and not item.fees  # the decided cases wait for the applicant, not for a fee
    )


def showcase_scripts(demo: Demo, desks: dict[int, Desk]) -> Iterator[Script]:
    """The scripts of the two demo accounts' cases, on the items of the market regulator's
    desk where it has them (else of any desk)."""
    accounts: tuple[tuple[str, dict[str, Any], Any], ...] = (
        (ApplicantType.NATURAL, ZHANG_SAN.particulars(), demo.zhang_san),
        (ApplicantType.LEGAL, HENGDA.particulars(), demo.accounts[HENGDA.phone]),
    )
    ordered = sorted(desks.values(), key=lambda d: d.department.code != HENGDA.department)
    for kind, particulars, account in accounts:
        fits = _admits(kind)
        for n, script in enumerate(SHOWCASE):
            choices = [(desk, item) for desk in ordered for item in desk.items if fits(item)]
            if not choices:
                return
            # A different item for each case, the market regulator's first.
            desk, item = choices[n % len(choices)]
            run = Run(demo, desk, item, online=True)
            run.particulars, run.account = particulars, account
            yield script(run)
