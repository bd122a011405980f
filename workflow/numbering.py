"""Case numbers, notice numbers and query codes.

A case number reads ``<center>-<yyyymmdd>-<department>-<sequence>`` (330100-20261122-SCJ-0007):
people can read it over the phone, and sorting the numbers as text sorts the cases by center,
day, department and arrival. Numbers come from ``NumberSequence`` rows locked for the length of
the calling transaction: concurrent acceptances queue on the row and each gets its own
number; a transaction that rolls back hands out nothing, so no number is ever issued twice.
"""

import secrets
from datetime import date

from django.db import IntegrityError, transaction

from .models import Case, NumberSequence
from .prepared import execute

# Letters and digits that cannot be mistaken for one another when read out or typed.
QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8

NOTICE_PREFIXES = {
    "acceptance": "SL",
    "supplement": "BZ",
    "rejection": "BSL",
    "extension": "YQ",
    "suspension": "GQ",
    "approval": "ZY",
    "denial": "BY",
}


def next_in_sequence(key: str) -> int:
    """The next number under ``key``; must be called inside the transaction that uses it.

    One statement in the common case: the row is incremented and read back at once
    (``UPDATE … RETURNING``), its lock held until the transaction ends.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("numbers are drawn inside the transaction that uses them")
    table, key_column, last = (
        connection.ops.quote_name(name) for name in (NumberSequence._meta.db_table, "key", "last")
    )
    increment = f"UPDATE {table} SET {last} = {last} + 1 WHERE {key_column} = %s RETURNING {last}"
    with connection.cursor() as cursor:
        execute(cursor, increment, [key])
        row = cursor.fetchone()
        if row is not None:
            return row[0]
    try:
        # A savepoint: when another transaction created the row first, retry the update,
        # which then waits on that transaction's row lock.
        with transaction.atomic():
            NumberSequence.objects.create(key=key, last=1)
            return 1
    except IntegrityError:
        with connection.cursor() as cursor:
            cursor.execute(increment, [key])
            return cursor.fetchone()[0]


def case_number(case: Case, day: date) -> str:
    """A new case number for ``case`` accepted on ``day``."""
    center = case.department.center.code
    department = case.department.code
    sequence = next_in_sequence(f"case:{center}:{day:%Y%m%d}:{department}")
    return f"{center}-{day:%Y%m%d}-{department}-{sequence:04d}"


def notice_number(case: Case, kind: str, day: date) -> str:
    """A new number for a notice of ``kind`` issued on ``day`` by the case's department."""
    prefix = NOTICE_PREFIXES[kind]
    department = case.department.code
    sequence = next_in_sequence(f"notice:{prefix}:{department}:{day:%Y}")
    return f"{department}{prefix}〔{day:%Y}〕{sequence}号"


def new_query_code() -> str:
    """A random code the applicant uses with the case number to track the case without login."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
