"""The diff is pure: unsaved versions and parts in, rows out, no database."""

from decimal import Decimal

import pytest

from catalog.models import (
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    Material,
    ProcessingType,
    ResultType,
    Role,
    StepTemplate,
)
from catalog.version_diff import (
    ADDED,
    CHANGED,
    REMOVED,
    DiffRow,
    VersionContent,
    diff_fingerprint,
    version_diff,
)

DEPARTMENT = Department(code="SCJ", name="市场监督管理局")
CATEGORY = ItemCategory(code="XK", name="行政许可")


def version(**overrides) -> ItemVersion:
    fields = {
        "name": "食品经营许可",
        "department": DEPARTMENT,
        "category": CATEGORY,
        "processing_type": ProcessingType.PROMISED,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "statutory_limit": 20,
        "promised_limit": 20,
        "result_type": ResultType.LICENCE,
    }
    return ItemVersion(**{**fields, **overrides})


def content(version_=None, *, steps=(), materials=(), fees=()) -> VersionContent:
    return VersionContent(
        version=version_ or version(), steps=list(steps), materials=list(materials), fees=list(fees)
    )


def rows_of(sections, title=None) -> list[DiffRow]:
    return [row for s in sections if title in (None, s.title) for row in s.rows]


def step(order, name="承办", limit=3, role=Role.HANDLER) -> StepTemplate:
    return StepTemplate(order=order, name=name, role=role, limit_days=limit)


def test_a_shorter_promise_reads_as_old_to_new():
    sections = version_diff(current=content(), draft=content(version(promised_limit=15)))

    assert rows_of(sections) == [DiffRow(CHANGED, "Promised limit (working days)", "", "20", "15")]
    assert sections[0].title == "Item guide"


def test_the_same_version_changes_nothing():
    assert version_diff(current=content(), draft=content()) == []


def test_flags_and_choices_read_as_the_admin_shows_them():
    draft = version(
        extension_allowed=False, applicant_type="legal", processing_type=ProcessingType.JOINT
    )

    rows = rows_of(version_diff(current=content(), draft=content(draft)))

    assert DiffRow(CHANGED, "Extension allowed", "", "yes", "no") in rows
    assert DiffRow(CHANGED, "Who may apply", "", "Natural or legal person", "Legal person") in rows
    assert DiffRow(CHANGED, "Processing type", "", "Promised (承诺件)", "Joint (联办件)") in rows


def test_the_time_limits_come_first():
    draft = version(name="食品经营许可（新办）", statutory_limit=15, promised_limit=10)

    subjects = [
        row.subject for row in rows_of(version_diff(current=content(), draft=content(draft)))
    ]

    assert subjects == [
        "Statutory limit (working days)",
        "Promised limit (working days)",
        "Name",
    ]


def test_steps_are_matched_by_their_place_in_the_procedure():
    current = content(steps=[step(1), step(2, "审核", 2)])
    draft = content(steps=[step(1, limit=2), step(2, "审批", 2, Role.APPROVER), step(3, "送达", 1)])

    rows = rows_of(version_diff(current=current, draft=draft), "Steps")

    assert rows == [
        DiffRow(CHANGED, "Step 1 “承办”", "Limit (working days)", "3", "2"),
        DiffRow(CHANGED, "Step 2 “审批”", "Name", "审核", "审批"),
        DiffRow(CHANGED, "Step 2 “审批”", "Role that acts", "Handler", "Approver (leader)"),
        DiffRow(
            ADDED,
            "Step 3 “送达”",
            "",
            "",
            "Name: 送达; Role that acts: Handler; Limit (working days): 1",
        ),
    ]


def test_materials_are_matched_by_name_and_a_dropped_one_is_removed():
    current = content(
        materials=[
            Material(order=1, name="营业执照", copies=1),
            Material(order=2, name="身份证", copies=1),
        ]
    )
    draft = content(materials=[Material(order=1, name="营业执照", copies=2, originals=1)])

    rows = rows_of(version_diff(current=current, draft=draft), "Materials")

    assert rows == [
        DiffRow(CHANGED, "Material “营业执照”", "Originals", "0", "1"),
        DiffRow(CHANGED, "Material “营业执照”", "Copies", "1", "2"),
        DiffRow(
            REMOVED,
            "Material “身份证”",
            "",
            "Order: 2; Required: yes; May be supplied later: no; Originals: 0; Copies: 1",
            "",
        ),
    ]


def test_a_new_template_file_reads_as_its_name():
    current = content(materials=[Material(name="申请书", copies=1)])
    draft = content(
        materials=[
            Material(name="申请书", copies=1, template_file="catalog/templates/申请书模板.pdf")
        ]
    )

    rows = rows_of(version_diff(current=current, draft=draft))

    assert rows == [DiffRow(CHANGED, "Material “申请书”", "Template file", "—", "申请书模板.pdf")]


def test_a_fee_amount_change_shows_both_amounts():
    current = content(fees=[FeeItem(name="工本费", amount=Decimal("10"), legal_basis="文件")])
    draft = content(fees=[FeeItem(name="工本费", amount=Decimal("5.5"), legal_basis="文件")])

    rows = rows_of(version_diff(current=current, draft=draft), "Fees")

    assert rows == [DiffRow(CHANGED, "Fee “工本费”", "Standard amount (yuan)", "10.00", "5.50")]


def test_two_materials_of_one_name_are_both_kept_apart():
    current = content(materials=[Material(name="照片", copies=1)])
    draft = content(materials=[Material(name="照片", copies=1), Material(name="照片", copies=2)])

    rows = rows_of(version_diff(current=current, draft=draft))

    assert [row.kind for row in rows] == [ADDED]


def test_a_first_version_lists_every_value_as_added():
    rows = rows_of(version_diff(current=None, draft=content(steps=[step(1)])))

    assert DiffRow(ADDED, "Promised limit (working days)", "", "", "20") in rows
    assert all(row.kind == ADDED for row in rows)
    # Empty guide fields are not listed.
    assert "Phone" not in [row.subject for row in rows]


@pytest.mark.parametrize(
    "other",
    [version(promised_limit=19), version(phone="0571-1234567")],
)
def test_the_fingerprint_changes_with_the_diff(other):
    same = diff_fingerprint(
        version_diff(current=content(), draft=content(version(promised_limit=15)))
    )
    again = diff_fingerprint(
        version_diff(current=content(), draft=content(version(promised_limit=15)))
    )
    changed = diff_fingerprint(
        version_diff(current=content(other), draft=content(version(promised_limit=15)))
    )

    assert same == again != changed
