"""The item list (事项清单) in Excel: exported, and imported through a dry run into drafts."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.item_list import ItemListResource
from catalog.models import ApprovalItem, ItemVersion, Role, VersionStatus
from catalog.versions import item_version_draft, item_version_update
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    ItemVersionFactory,
    MaterialFactory,
    StepTemplateFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

CODE = "330100-XK-SCJ-0001"
NEW_CODE = "330100-XK-SCJ-0002"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT = reverse("admin:catalog_approvalitem_import")
CONFIRM = reverse("admin:catalog_approvalitem_process_import")
EXPORT = reverse("admin:catalog_approvalitem_export")


@pytest.fixture
def administrator():
    return staff_user(Role.CATALOG_ADMINISTRATOR, username="shengaiban")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def current():
    version = ItemVersionFactory(
        item=ApprovalItemFactory(code=CODE),
        name="食品经营许可",
        department=DepartmentFactory(code="SCJ", name="市场监督管理局"),
        statutory_limit=20,
        promised_limit=20,
    )
    StepTemplateFactory(version=version, order=1, limit_days=3)
    MaterialFactory(version=version, name="营业执照")
    return version


def columns() -> dict[str, str]:
    """The sheet's headings by field name, as the English pages write them."""
    return {name: field.column_name for name, field in ItemListResource().fields.items()}


def read_xlsx(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def xlsx(rows: list[dict], name="事项清单.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    headings = list(rows[0])
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(heading) for heading in headings])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def new_item_row(**overrides) -> dict:
    c = columns()
    row = {
        c["code"]: NEW_CODE,
        c["name"]: "餐饮服务许可",
        c["department"]: "SCJ",
        c["category"]: "行政许可",
        c["processing_type"]: "Promised (承诺件)",
        c["applicant_type"]: "Legal person",
        c["legal_basis"]: "《中华人民共和国食品安全法》",
        c["statutory_limit"]: 20,
        c["promised_limit"]: 10,
        c["must_enter_center"]: "yes",
        c["entered_center"]: "yes",
        c["result_type"]: "Licence",
    }
    row.update({c[name]: value for name, value in overrides.items()})
    return row


def export(client) -> list[dict]:
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return read_xlsx(response.content)


def dry_run(client, upload):
    return client.post(IMPORT, {"format": "0", "import_file": upload})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {**form.initial, "confirm": "Confirm import"}, follow=True)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def bad_cells(response) -> list[tuple[int, str, str]]:
    """(sheet row, column, message) for each bad cell the preview names."""
    return [
        (row.number + 1, column, str(message))
        for row in response.context["result"].invalid_rows
        for column, messages in row.field_specific_errors.items()
        for message in messages
    ]


# -- export --------------------------------------------------------------------------------------


def test_the_export_downloads_each_items_working_version(admin_client, current, administrator):
    draft = item_version_draft(item=current.item, by=administrator)
    item_version_update(version=draft, by=administrator, promised_limit=15)
    ItemVersionFactory(item=ApprovalItemFactory(code=NEW_CODE), name="餐饮服务许可")

    response = admin_client.get(EXPORT)

    assert response["Content-Disposition"].startswith('attachment; filename="item-list-')
    rows = read_xlsx(response.content)
    c = columns()
    assert [row[c["code"]] for row in rows] == [CODE, NEW_CODE]
    assert rows[0][c["promised_limit"]] == 15
    assert rows[0][c["working_version"]] == "Version 2 (Draft)"
    assert rows[0][c["department"]] == "SCJ"
    assert rows[0][c["processing_type"]] == "Promised (承诺件)"
    assert rows[0][c["extension_allowed"]] == "yes"
    assert rows[1][c["working_version"]] == "Version 1 (Published (current))"


def test_an_exported_sheet_imports_to_no_changes(admin_client, current):
    exported = export(admin_client)

    preview = dry_run(admin_client, xlsx(exported))

    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1 and result.totals["update"] == 0
    confirm(admin_client, preview)
    assert list(current.item.versions.values_list("number", "status")) == [
        (1, VersionStatus.PUBLISHED)
    ]


# -- dry run ---------------------------------------------------------------------------------------


def test_a_bad_sheet_names_the_row_and_column_of_each_bad_cell_and_creates_nothing(
    admin_client, current
):
    c = columns()
    good = new_item_row(code="330100-XK-SCJ-0003")
    bad = new_item_row(promised_limit="fifteen", department="NOPE")

    response = dry_run(admin_client, xlsx([good, bad]))

    assert response.status_code == 200
    assert sorted(bad_cells(response)) == [
        (3, c["department"], "There is no department with the code “NOPE”."),
        (3, c["promised_limit"], "“fifteen” is not a whole number; enter one, such as 15."),
    ]
    assert "confirm_form" not in response.context
    page = text(response)
    assert "3 Promised limit (working days) “fifteen” is not a whole number" in page
    assert ApprovalItem.objects.count() == 1


def test_a_promise_beyond_the_statutory_limit_is_named_in_its_cell(admin_client, current):
    c = columns()
    row = export(admin_client)[0] | {c["promised_limit"]: 25}

    response = dry_run(admin_client, xlsx([row]))

    assert bad_cells(response) == [
        (
            2,
            c["promised_limit"],
            "The promised limit (25) may not exceed the statutory limit (20).",
        )
    ]
    assert current.item.versions.count() == 1


def test_a_malformed_new_code_is_named_in_the_code_column(admin_client, current):
    response = dry_run(admin_client, xlsx([new_item_row(code="food-1")]))

    [(row, column, message)] = bad_cells(response)
    assert (row, column) == (2, columns()["code"])
    assert message.startswith("Use the national item code style")
    assert ApprovalItem.objects.count() == 1


def test_an_item_twice_in_one_sheet_names_the_second_row(admin_client, current):
    response = dry_run(admin_client, xlsx([new_item_row(), new_item_row(name="另一个")]))

    assert bad_cells(response) == [
        (
            3,
            columns()["code"],
            f"Item {NEW_CODE} is already in row 2 of this sheet; each item goes in one row.",
        )
    ]


def test_a_sheet_without_the_code_column_is_refused_whole(admin_client, current):
    response = dry_run(admin_client, xlsx([{"名称": "食品经营许可"}]))

    assert response.status_code == 200
    assert "The sheet has no “Item code” column" in text(response)
    assert "confirm_form" not in response.context


def test_a_file_that_is_not_a_spreadsheet_is_refused(admin_client):
    upload = SimpleUploadedFile("事项清单.xlsx", b"%PDF-1.4 not a sheet", content_type=XLSX)

    response = dry_run(admin_client, upload)

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]


def test_the_dry_run_previews_the_changes_and_writes_nothing(admin_client, current):
    c = columns()
    changed = export(admin_client)[0] | {c["promised_limit"]: 15}

    response = dry_run(admin_client, xlsx([changed, new_item_row()]))

    page = text(response)
    assert "Promised limit (working days): 20 → 15" in page
    assert f"{NEW_CODE} New item, draft version 1" in page
    assert "Nothing has been written yet." in page
    assert 'style="' not in response.content.decode()
    assert ApprovalItem.objects.count() == 1
    assert current.item.versions.count() == 1


# -- confirmed import ---------------------------------------------------------------------------


def test_a_confirmed_import_writes_drafts_and_leaves_the_current_version(admin_client, current):
    c = columns()
    changed = export(admin_client)[0] | {c["promised_limit"]: 15}
    preview = dry_run(admin_client, xlsx([changed, new_item_row()]))

    response = confirm(admin_client, preview)

    messages = [str(m) for m in response.context["messages"]]
    assert (
        "Import finished: 1 new items and 1 drafts written; 0 rows changed nothing. "
        "Check each draft and publish it." in messages
    )
    current.refresh_from_db()
    assert (current.status, current.promised_limit) == (VersionStatus.PUBLISHED, 20)
    draft = current.item.versions.get(status=VersionStatus.DRAFT)
    assert (draft.number, draft.promised_limit) == (2, 15)
    # The draft is a copy of the current version: its steps and materials came along.
    assert draft.materials.get().name == "营业执照" and draft.steps.count() == 1
    new = ItemVersion.objects.get(item__code=NEW_CODE)
    assert (new.number, new.status, new.name, new.promised_limit) == (
        1,
        VersionStatus.DRAFT,
        "餐饮服务许可",
        10,
    )
    assert new.applicant_type == "legal" and new.department.code == "SCJ"


def test_an_import_writes_into_an_open_draft(admin_client, current, administrator):
    draft = item_version_draft(item=current.item, by=administrator)
    c = columns()
    changed = export(admin_client)[0] | {c["name"]: "食品经营许可（含网络经营）"}

    confirm(admin_client, dry_run(admin_client, xlsx([changed])))

    draft.refresh_from_db()
    assert draft.name == "食品经营许可（含网络经营）"
    assert current.item.versions.count() == 2


def test_a_confirmation_after_the_catalog_changed_writes_nothing(admin_client, current):
    c = columns()
    transport = DepartmentFactory(code="JTJ", name="交通运输局")
    changed = export(admin_client)[0] | {c["promised_limit"]: 15}
    preview = dry_run(admin_client, xlsx([changed, new_item_row(department="JTJ")]))
    # The department goes between the preview and the confirmation.
    transport.delete()

    response = confirm(admin_client, preview)

    page = text(response)
    assert "Nothing was imported: the catalog changed since the preview." in page
    assert "There is no department with the code “JTJ”." in page
    assert current.item.versions.count() == 1
    assert not ApprovalItem.objects.filter(code=NEW_CODE).exists()


# -- who may --------------------------------------------------------------------------------------


def test_the_item_list_offers_import_and_export_to_the_catalog_administrator(admin_client):
    page = admin_client.get(reverse("admin:catalog_approvalitem_changelist")).content.decode()

    assert f'href="{IMPORT}"' in page.replace("'", '"')
    assert f'href="{EXPORT}' in page.replace("'", '"')


@pytest.mark.parametrize("role", [Role.SUPERVISION_OFFICER, Role.USER_ADMINISTRATOR])
def test_other_roles_in_the_admin_may_neither_import_nor_export(client, role, current):
    user = staff_user(role)
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get(IMPORT).status_code == 403
    assert dry_run(client, xlsx([new_item_row()])).status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "x", "format": "0"}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert ApprovalItem.objects.count() == 1


def inline_code(html: str) -> list[str]:
    """What the Content-Security-Policy would block: style attributes, inline scripts."""
    return re.findall(r'style="[^"]*"|<script(?![^>]*\bsrc=)[^>]*>', html)


def test_the_import_pages_keep_to_the_content_security_policy(admin_client, current):
    c = columns()
    changed = export(admin_client)[0] | {c["promised_limit"]: 15}
    bad = export(admin_client)[0] | {c["promised_limit"]: "x"}

    for response in (
        admin_client.get(IMPORT),
        dry_run(admin_client, xlsx([changed])),
        dry_run(admin_client, xlsx([bad])),
        admin_client.get(reverse("admin:catalog_approvalitem_changelist")),
    ):
        assert response.status_code == 200
        assert inline_code(response.content.decode()) == []
