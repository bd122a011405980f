import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import (
    ApprovalItem,
    ItemVersion,
    JointItem,
    ProcessingType,
    ResultType,
    Role,
    StaffMembership,
    VersionStatus,
)
from catalog.versions import GUIDE_FIELDS, item_version_draft, item_version_update
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    ServiceCenterFactory,
    StepTemplateFactory,
    UserFactory,
    staff_user,
)
from tests.factories.catalog import _category
from tests.factories.workflow import item_with_procedure

pytestmark = pytest.mark.django_db

CODE = "330100-XK-SCJ-0001"


def change_url(version):
    return reverse("admin:catalog_itemversion_change", args=[version.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def guide_data(version, **overrides) -> dict:
    """The change form's fields as the browser posts them."""
    data = {}
    for name in GUIDE_FIELDS:
        value = ItemVersion._meta.get_field(name).value_from_object(version)
        if value is True:
            data[name] = "on"
        elif value not in (False, None):
            data[name] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def inline_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def existing_parts_data(version) -> dict:
    """The inline rows of ``version`` as they are, unchanged."""
    steps = [
        {"id": s.pk, "version": version.pk, "order": s.order, "name": s.name}
        | {"role": s.role, "limit_days": s.limit_days}
        for s in version.steps.order_by("order")
    ]
    materials = [
        {"id": m.pk, "version": version.pk, "order": m.order, "name": m.name}
        | {"required": "on", "originals": m.originals, "copies": m.copies}
        for m in version.materials.order_by("order", "pk")
    ]
    fees = [
        {"id": f.pk, "version": version.pk, "name": f.name, "amount": f.amount}
        | {"legal_basis": f.legal_basis}
        for f in version.fees.order_by("pk")
    ]
    return {
        **inline_data("steps", steps, len(steps)),
        **inline_data("materials", materials, len(materials)),
        **inline_data("fees", fees, len(fees)),
    }


@pytest.fixture
def administrator():
    return staff_user(Role.CATALOG_ADMINISTRATOR, username="shengaiban")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def user_administrator():
    return staff_user(Role.USER_ADMINISTRATOR, username="xitong")


@pytest.fixture
def user_admin_client(client, user_administrator):
    # Accounts and roles are the user administrator's (tests/security/test_role_grants.py
    # proves the catalog administrator is refused them).
    client.force_login(user_administrator)
    return client


@pytest.fixture
def draft():
    """A draft that can be published: one step within the promise, one material."""
    version = ItemVersionFactory(
        item=ApprovalItemFactory(code=CODE), draft=True, name="食品经营许可"
    )
    StepTemplateFactory(version=version, order=1, limit_days=3)
    MaterialFactory(version=version, name="营业执照")
    return version


@pytest.fixture
def current():
    version = ItemVersionFactory(item=ApprovalItemFactory(code=CODE), name="食品经营许可")
    StepTemplateFactory(version=version, order=1, limit_days=3)
    MaterialFactory(version=version, name="营业执照")
    FeeItemFactory(version=version)
    return version


# -- who gets in --------------------------------------------------------------------------------


def test_a_catalog_administrator_opens_the_item_lists(admin_client, current):
    items = admin_client.get(reverse("admin:catalog_approvalitem_changelist"))
    versions = admin_client.get(reverse("admin:catalog_itemversion_changelist"))

    assert items.status_code == 200 and CODE in items.content.decode()
    assert "食品经营许可" in items.content.decode()
    assert versions.status_code == 200 and "食品经营许可" in versions.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:catalog_approvalitem_changelist", "admin:catalog_itemversion_add"],
)
def test_a_window_clerk_is_sent_to_the_admin_login(client, url_name):
    client.force_login(staff_user(Role.WINDOW_CLERK))

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, current):
    response = client.get(change_url(current))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def supervisor_client(client):
    officer = staff_user(Role.SUPERVISION_OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    return client


def test_a_supervision_officer_with_admin_access_may_only_read_the_catalog(
    supervisor_client, draft
):
    listing = supervisor_client.get(reverse("admin:catalog_itemversion_changelist"))
    page = supervisor_client.get(change_url(draft))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert "Publish this draft" not in page.content.decode()
    assert supervisor_client.get(reverse("admin:catalog_itemversion_add")).status_code == 403


def test_a_supervision_officer_cannot_change_or_publish(supervisor_client, draft):
    changed = supervisor_client.post(
        change_url(draft), {**guide_data(draft, name="改名"), **existing_parts_data(draft)}
    )
    published = supervisor_client.post(
        reverse("admin:catalog_itemversion_publish", args=[draft.pk])
    )
    via_action = supervisor_client.post(
        reverse("admin:catalog_itemversion_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk], "index": 0},
    )

    assert changed.status_code == 403
    assert published.status_code == 403
    assert via_action.status_code in (200, 302)
    draft.refresh_from_db()
    assert (draft.name, draft.status) == ("食品经营许可", VersionStatus.DRAFT)


# -- publishing ---------------------------------------------------------------------------------


def publish_url(version):
    return reverse("admin:catalog_itemversion_publish", args=[version.pk])


def confirmation_post(response) -> dict:
    """What the confirmation page's form posts when the administrator presses Publish."""
    return {**dict(response.context["hidden"]), "confirm": "Publish"}


def page_text(response) -> str:
    """The page as read on screen: tags dropped, blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def select_to_publish(client, *versions):
    return client.post(
        reverse("admin:catalog_itemversion_changelist"),
        {"action": "publish_selected", "_selected_action": [v.pk for v in versions], "index": 0},
    )


def test_the_publish_action_first_asks_and_publishes_nothing(admin_client, draft):
    response = select_to_publish(admin_client, draft)

    assert response.status_code == 200
    assert "Publish" in page_text(response) and "Cancel" in page_text(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_an_administrator_publishes_a_draft_with_the_admin_action(admin_client, draft):
    asked = select_to_publish(admin_client, draft)

    response = admin_client.post(
        reverse("admin:catalog_itemversion_changelist"), confirmation_post(asked), follow=True
    )

    assert f"Version 1 of item {CODE} is published and now current." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.published_by.username == "shengaiban"


def test_an_administrator_publishes_from_the_drafts_page(admin_client, draft):
    page = admin_client.get(change_url(draft)).content.decode()
    assert "Publish this draft" in page
    assert f'href="{publish_url(draft)}"' in page
    assert "Yes: nothing blocks publishing." in page

    asked = admin_client.get(publish_url(draft))
    response = admin_client.post(publish_url(draft), confirmation_post(asked), follow=True)

    assert response.redirect_chain[-1][0] == change_url(draft)
    assert f"Version 1 of item {CODE} is published and now current." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


@pytest.fixture
def current_and_draft(current, administrator):
    """The current version 1 and its draft 2 promising 3 working days instead of 5."""
    draft = item_version_draft(item=current.item, by=administrator)
    item_version_update(version=draft, by=administrator, promised_limit=3)
    return current, draft


def test_the_confirmation_lists_what_changes_against_the_current_version(
    admin_client, current_and_draft
):
    current, draft = current_and_draft
    MaterialFactory(version=draft, name="场所平面图")
    draft.steps.get().delete()
    StepTemplateFactory(version=draft, order=1, name="承办", limit_days=2)

    response = admin_client.get(publish_url(draft))

    text = page_text(response)
    assert response.status_code == 200
    assert "What changes against version 1, which is current now and will be superseded." in text
    assert "Changed Promised limit (working days) 5 → 3" in text
    assert "Changed Step 1 “承办”: Limit (working days) 3 → 2" in text
    assert "Added Material “场所平面图”" in text
    assert '<input type="submit" name="confirm"' in response.content.decode()


def test_the_confirmation_reads_in_chinese(zh_hans, admin_client, current_and_draft):
    current, draft = current_and_draft

    text = page_text(admin_client.get(publish_url(draft)))

    assert "承诺时限（工作日） 5 → 3" in text


def test_the_confirmation_keeps_to_the_content_security_policy(admin_client, current_and_draft):
    current, draft = current_and_draft

    html = admin_client.get(publish_url(draft)).content.decode()

    assert re.findall(r'style="[^"]*"|<script(?![^>]*\bsrc=)[^>]*>', html) == []
    assert "css/admin-catalog.css" in html


def test_a_post_without_the_confirmation_publishes_nothing(admin_client, current_and_draft):
    current, draft = current_and_draft

    response = admin_client.post(publish_url(draft), {"publish": ""})

    assert response.status_code == 200
    draft.refresh_from_db()
    current.refresh_from_db()
    assert (draft.status, current.status) == (VersionStatus.DRAFT, VersionStatus.PUBLISHED)


def test_cancel_leads_back_to_the_draft(admin_client, draft):
    response = admin_client.get(publish_url(draft))

    assert response.context["cancel_url"] == change_url(draft)
    assert f'href="{change_url(draft)}" class="button cancel-link"' in response.content.decode()


def test_a_draft_changed_after_the_confirmation_was_shown_is_not_published(
    admin_client, current_and_draft, administrator
):
    current, draft = current_and_draft
    asked = admin_client.get(publish_url(draft))
    item_version_update(version=draft, by=administrator, promised_limit=4)

    response = admin_client.post(publish_url(draft), confirmation_post(asked))

    assert response.status_code == 200
    assert "Nothing was published: check the changes below again." in page_text(response)
    assert "5 → 4" in page_text(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_first_version_is_shown_as_all_new(admin_client, draft):
    text = page_text(admin_client.get(publish_url(draft)))

    assert "This item has never been published: everything below is new." in text
    assert "Added Name 食品经营许可" in text


def test_publishing_with_problems_names_each_problem_and_changes_nothing(admin_client, draft):
    draft.materials.all().delete()
    StepTemplateFactory(version=draft, order=3, limit_days=4)
    asked = select_to_publish(admin_client, draft)
    assert "List at least one material the applicant must bring." in page_text(asked)
    assert 'name="confirm"' not in asked.content.decode()

    response = admin_client.post(
        reverse("admin:catalog_itemversion_changelist"), confirmation_post(asked), follow=True
    )

    shown = messages_of(response)
    assert f"Version 1 of item {CODE} was not published:" in shown
    assert "List at least one material the applicant must bring." in shown
    assert "Number the steps 1 to 2 without gaps; they are numbered 1, 3." in shown
    assert "The steps take 7 working days in all, more than the promised limit of 5." in shown
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_drafts_page_lists_what_blocks_publishing(admin_client, draft):
    draft.materials.all().delete()

    page = admin_client.get(change_url(draft)).content.decode()

    assert "List at least one material the applicant must bring." in page


def test_get_on_the_publish_address_only_asks(admin_client, draft):
    response = admin_client.get(publish_url(draft))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/catalog/itemversion/publish_confirmation.html"
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_published_version_is_not_offered_for_publishing(admin_client, current):
    response = admin_client.get(publish_url(current))

    assert 'name="confirm"' not in response.content.decode()
    assert "only a draft can be published" in page_text(response)


def test_a_supervision_officer_cannot_open_the_confirmation(supervisor_client, draft):
    assert supervisor_client.get(publish_url(draft)).status_code == 403


# -- published versions are read-only -------------------------------------------------------------


def test_a_published_versions_page_is_read_only(admin_client, current):
    page = admin_client.get(change_url(current)).content.decode()

    assert 'name="name"' not in page
    assert 'name="steps-0-limit_days"' not in page
    assert 'name="_save"' not in page
    assert "Make a new draft" in page
    assert "Publish this draft" not in page


def test_posting_changes_to_a_published_version_changes_nothing(admin_client, current):
    step = current.steps.get()
    data = {**guide_data(current, name="改过的名称"), **existing_parts_data(current)}
    data["steps-0-limit_days"] = 1

    response = admin_client.post(change_url(current), data)

    assert response.status_code == 403
    current.refresh_from_db()
    step.refresh_from_db()
    assert (current.name, step.limit_days) == ("食品经营许可", 3)


def test_a_published_version_cannot_be_deleted_in_the_admin(admin_client, current):
    url = reverse("admin:catalog_itemversion_delete", args=[current.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert ItemVersion.objects.filter(pk=current.pk).exists()


def test_a_draft_can_be_deleted_in_the_admin(admin_client, draft):
    url = reverse("admin:catalog_itemversion_delete", args=[draft.pk])

    admin_client.post(url, {"post": "yes"})

    assert not ItemVersion.objects.filter(pk=draft.pk).exists()


def test_deleting_a_selection_spares_published_versions(admin_client, current):
    admin_client.post(
        reverse("admin:catalog_itemversion_changelist"),
        {"action": "delete_selected", "_selected_action": [current.pk], "post": "yes"},
    )

    assert ItemVersion.objects.filter(pk=current.pk).exists()


# -- drafts ---------------------------------------------------------------------------------------


def test_make_a_new_draft_opens_a_copy_of_the_published_version(admin_client, current):
    response = admin_client.post(
        reverse("admin:catalog_itemversion_new_draft", args=[current.pk]), follow=True
    )

    draft = ItemVersion.objects.get(item=current.item, status=VersionStatus.DRAFT)
    assert draft.number == 2
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert f"Draft version 2 of item {CODE} is open for editing." in messages_of(response)
    assert [m.name for m in draft.materials.all()] == ["营业执照"]
    assert 'name="name"' in response.content.decode()


def test_the_new_draft_action_leads_to_the_draft(admin_client, current):
    response = admin_client.post(
        reverse("admin:catalog_itemversion_changelist"),
        {"action": "draft_selected", "_selected_action": [current.pk], "index": 0},
    )

    draft = ItemVersion.objects.get(item=current.item, status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)


def test_editing_a_draft_saves_its_guide_and_its_parts(admin_client, draft):
    data = {**guide_data(draft, name="食品经营许可（新）"), **existing_parts_data(draft)}
    data["materials-TOTAL_FORMS"] = 2
    data.update(
        {"materials-1-order": 2, "materials-1-name": "身份证", "materials-1-copies": 1}
        | {"materials-1-required": "on", "materials-1-originals": 1}
    )

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "食品经营许可（新）"
    assert sorted(m.name for m in draft.materials.all()) == sorted(["营业执照", "身份证"])


def test_step_limits_above_the_promise_are_refused_with_both_numbers(admin_client, draft):
    data = {**guide_data(draft), **existing_parts_data(draft)}
    data["steps-TOTAL_FORMS"] = 2
    data.update({"steps-1-order": 2, "steps-1-name": "审批", "steps-1-role": Role.APPROVER})
    data["steps-1-limit_days"] = 4

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert (
        "The steps take 7 working days in all, more than the promised limit of 5."
        in response.content.decode()
    )
    assert draft.steps.count() == 1


def test_a_field_error_is_shown_next_to_the_field(admin_client, draft):
    data = {**guide_data(draft, statutory_limit=3), **existing_parts_data(draft)}

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert (
        "The promised limit (5) may not exceed the statutory limit (3)." in errors["promised_limit"]
    )


def test_a_step_cannot_be_given_to_the_supervision_office(admin_client, draft):
    data = {**guide_data(draft), **existing_parts_data(draft)}
    data["steps-0-role"] = Role.SUPERVISION_OFFICER

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert draft.steps.get().role == Role.HANDLER


def test_a_renamed_program_is_refused_as_a_material_template(admin_client, draft):
    data = {**guide_data(draft), **existing_parts_data(draft)}
    data["materials-0-template_file"] = SimpleUploadedFile("申请书模板.pdf", b"MZ\x90\x00binary")

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "The content of “申请书模板.pdf” is not a PDF file" in response.content.decode()
    assert not draft.materials.get().template_file


def test_a_fake_pdf_sample_saves_nothing_of_the_draft(admin_client, draft):
    data = {**guide_data(draft, name="改名"), **existing_parts_data(draft)}
    data["materials-0-sample_file"] = SimpleUploadedFile("样本.pdf", b"<html>not a pdf</html>")

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "The content of “样本.pdf” is not a PDF file" in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "食品经营许可"
    assert not draft.materials.get().sample_file


def test_a_pdf_template_is_stored_with_the_material(admin_client, draft):
    data = {**guide_data(draft), **existing_parts_data(draft)}
    data["materials-0-template_file"] = SimpleUploadedFile("申请书模板.pdf", b"%PDF-1.4 form")

    response = admin_client.post(change_url(draft), data)

    assert response.status_code == 302
    assert draft.materials.get().template_file.read() == b"%PDF-1.4 form"


# -- new items and history ----------------------------------------------------------------------


def new_item_data(**overrides) -> dict:
    data = {
        "item_code": "330100-xk-scj-0042",
        "name": "户外广告设置许可",
        "department": DepartmentFactory().pk,
        "category": _category("XK").pk,
        "processing_type": ProcessingType.PROMISED,
        "applicant_type": "both",
        "legal_basis": "《城市市容和环境卫生管理条例》",
        "statutory_limit": 20,
        "promised_limit": 10,
        "visits_required": 1,
        "must_enter_center": "on",
        "window_authorization": "partial",
        "result_type": ResultType.APPROVAL_DOCUMENT,
        **inline_data(
            "steps",
            [{"order": 1, "name": "承办", "role": Role.HANDLER, "limit_days": 5}],
        ),
        **inline_data(
            "materials",
            [{"order": 1, "name": "设置申请表", "required": "on", "originals": 1, "copies": 0}],
        ),
        **inline_data("fees", []),
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_new_item_with_its_first_draft(admin_client):
    response = admin_client.post(reverse("admin:catalog_itemversion_add"), new_item_data())

    assert response.status_code == 302
    version = ItemVersion.objects.get(item__code="330100-XK-SCJ-0042")
    assert (version.number, version.status, version.name) == (
        1,
        VersionStatus.DRAFT,
        "户外广告设置许可",
    )
    assert [s.name for s in version.steps.all()] == ["承办"]
    assert [m.name for m in version.materials.all()] == ["设置申请表"]


def test_adding_an_item_from_the_item_list_opens_the_new_item_form(admin_client):
    response = admin_client.get(reverse("admin:catalog_approvalitem_add"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_itemversion_add")


def test_a_new_item_with_a_taken_code_is_refused_next_to_the_code(admin_client, current):
    response = admin_client.post(
        reverse("admin:catalog_itemversion_add"), new_item_data(item_code=CODE)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["item_code"]
    assert errors == [
        f"An item with the code {CODE} already exists; make a new draft of it instead."
    ]
    assert ItemVersion.objects.filter(item__code=CODE).count() == 1


def test_a_new_item_with_a_malformed_code_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:catalog_itemversion_add"), new_item_data(item_code="广告许可")
    )

    assert response.status_code == 200
    assert "item_code" in response.context["adminform"].form.errors
    assert not ApprovalItem.objects.exists()


def test_legacy_categories_are_not_offered_for_new_items(admin_client):
    response = admin_client.get(reverse("admin:catalog_itemversion_add"))

    choices = [
        str(label) for _, label in response.context["adminform"].form.fields["category"].choices
    ]
    assert "行政许可" in choices
    assert "非行政许可审批" not in choices


def test_the_item_page_shows_its_version_history(admin_client, current):
    current.status = VersionStatus.SUPERSEDED
    current.save()
    ItemVersionFactory(item=current.item, number=2, name="食品经营许可（2025版）")
    ItemVersionFactory(item=current.item, number=3, draft=True)

    page = admin_client.get(
        reverse("admin:catalog_approvalitem_change", args=[current.item.pk])
    ).content.decode()

    for version in current.item.versions.all():
        assert change_url(version) in page
    assert "Superseded" in page and "Published (current)" in page and "Draft" in page
    assert "食品经营许可（2025版）" in page


# -- memberships and users ----------------------------------------------------------------------


def test_granting_a_role_in_the_admin_adds_the_group_and_admin_access(user_admin_client):
    user, center = UserFactory(), ServiceCenterFactory()

    response = user_admin_client.post(
        reverse("admin:catalog_staffmembership_add"),
        {"user": user.pk, "role": Role.CATALOG_ADMINISTRATOR, "center": center.pk},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="catalog_administrator").exists()


def test_a_department_role_given_to_a_center_is_refused(user_admin_client):
    response = user_admin_client.post(
        reverse("admin:catalog_staffmembership_add"),
        {"user": UserFactory().pk, "role": Role.HANDLER, "center": ServiceCenterFactory().pk},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["department"] == ["A Handler works in a department: choose the department."]
    assert not StaffMembership.objects.filter(role=Role.HANDLER).exists()


def test_removing_a_role_in_the_admin_takes_the_group_away(user_admin_client):
    user = staff_user(Role.REVIEWER)
    membership = StaffMembership.objects.get(user=user)

    user_admin_client.post(
        reverse("admin:catalog_staffmembership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert not StaffMembership.objects.filter(user=user).exists()
    assert not user.groups.filter(name=Group.objects.get(name="reviewer").name).exists()


def test_the_user_page_shows_the_users_roles(user_admin_client):
    user = staff_user(Role.APPROVER, department=DepartmentFactory(name="市住房和城乡建设局"))

    page = user_admin_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()

    assert "Approver (leader)" in page
    assert "市住房和城乡建设局" in page


def test_a_user_administrator_cannot_make_anyone_a_superuser(user_admin_client, user_administrator):
    url = reverse("admin:auth_user_change", args=[user_administrator.pk])

    page = user_admin_client.get(url).content.decode()

    assert 'name="is_superuser"' not in page
    assert 'name="groups"' not in page


def test_a_user_administrator_cannot_change_a_superuser(user_admin_client):
    root = UserFactory(is_superuser=True, is_staff=True)

    response = user_admin_client.get(reverse("admin:auth_user_password_change", args=[root.pk]))

    assert response.status_code == 403


def test_a_center_role_given_to_a_department_is_refused(user_admin_client):
    response = user_admin_client.post(
        reverse("admin:catalog_staffmembership_add"),
        {"user": UserFactory().pk, "role": Role.FEE_CLERK, "department": DepartmentFactory().pk},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["center"] == ["A Fee clerk works for a whole service center: choose the center."]
    assert errors["department"] == [
        "A Fee clerk works for a whole service center, not a department."
    ]
    assert not StaffMembership.objects.filter(role=Role.FEE_CLERK).exists()


def test_a_role_given_nowhere_is_refused(user_admin_client):
    response = user_admin_client.post(
        reverse("admin:catalog_staffmembership_add"),
        {"user": UserFactory().pk, "role": Role.REVIEWER},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["department"] == ["A Reviewer works in a department: choose the department."]
    assert not StaffMembership.objects.filter(role=Role.REVIEWER).exists()


# -- joint items --------------------------------------------------------------------------------


@pytest.fixture
def joint_versions():
    return item_with_procedure(), item_with_procedure()


def _joint(versions, *, active, members=None) -> JointItem:
    joint = JointItem.objects.create(
        code="LB-0001", name="开办餐馆一件事", lead_department=versions[0].department, active=active
    )
    joint.items.add(*(v.item for v in (versions if members is None else members)))
    return joint


def _joint_form(joint, versions, **overrides) -> dict:
    data = {
        "code": joint.code,
        "name": joint.name,
        "lead_department": joint.lead_department_id,
        "items": [v.item_id for v in versions],
        "joint_limit": joint.joint_limit,
        "description": "",
    }
    if joint.active:
        data["active"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_unticking_open_in_the_form_closes_the_joint_item(admin_client, joint_versions):
    joint = _joint(joint_versions, active=True)

    response = admin_client.post(
        reverse("admin:catalog_jointitem_change", args=[joint.pk]),
        _joint_form(joint, joint_versions, active=None),
        follow=True,
    )

    joint.refresh_from_db()
    assert not joint.active
    assert (
        "“开办餐馆一件事” is closed for new applications; the joint cases already taken in continue."
        in messages_of(response)
    )


def test_a_joint_item_of_one_item_is_saved_closed_with_the_reasons(admin_client, joint_versions):
    joint = _joint(joint_versions, active=False)

    response = admin_client.post(
        reverse("admin:catalog_jointitem_change", args=[joint.pk]),
        _joint_form(joint, joint_versions[:1], active="on"),
        follow=True,
    )

    joint.refresh_from_db()
    assert not joint.active
    assert list(joint.items.all()) == [joint_versions[0].item]
    assert messages_of(response)[:3] == [
        "A joint item bundles at least two published items.",
        "A joint item bundles items of at least two departments.",
        "The joint item was saved closed for applications.",
    ]


def test_an_open_joint_item_left_not_ready_by_an_edit_is_closed(admin_client, joint_versions):
    joint = _joint(joint_versions, active=True)

    response = admin_client.post(
        reverse("admin:catalog_jointitem_change", args=[joint.pk]),
        _joint_form(joint, joint_versions[:1]),
        follow=True,
    )

    joint.refresh_from_db()
    assert not joint.active
    assert "The joint item was saved closed for applications." in messages_of(response)


def test_a_new_joint_item_asked_open_is_opened_when_ready(admin_client, joint_versions):
    response = admin_client.post(
        reverse("admin:catalog_jointitem_add"),
        {
            "code": "LB-0009",
            "name": "开办药店一件事",
            "lead_department": joint_versions[0].department_id,
            "items": [v.item_id for v in joint_versions],
            "joint_limit": 45,
            "active": "on",
        },
        follow=True,
    )

    assert JointItem.objects.get(code="LB-0009").active
    assert "“开办药店一件事” is open for applications." in messages_of(response)


def test_the_open_action_refuses_a_joint_item_that_is_not_ready(admin_client, joint_versions):
    ready = _joint(joint_versions, active=False)
    lonely = JointItem.objects.create(
        code="LB-0002", name="开办超市一件事", lead_department=ready.lead_department, active=False
    )
    lonely.items.add(joint_versions[0].item)

    response = admin_client.post(
        reverse("admin:catalog_jointitem_changelist"),
        {"action": "open_selected", "_selected_action": [ready.pk, lonely.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    lonely.refresh_from_db()
    assert ready.active and not lonely.active
    shown = messages_of(response)
    assert "“开办餐馆一件事” is open for applications." in shown
    assert "A joint item bundles at least two published items." in shown
    assert "“开办超市一件事” stays closed for applications." in shown


def test_the_close_action_closes_the_selected_joint_items(admin_client, joint_versions):
    joint = _joint(joint_versions, active=True)

    admin_client.post(
        reverse("admin:catalog_jointitem_changelist"),
        {"action": "close_selected", "_selected_action": [joint.pk]},
    )

    joint.refresh_from_db()
    assert not joint.active


def test_the_user_administrator_gives_a_staff_member_a_mobile_phone(user_admin_client):
    from catalog.models import StaffContact

    clerk = staff_user(Role.WINDOW_CLERK)
    page = user_admin_client.get(f"/admin/auth/user/{clerk.pk}/change/").content.decode()
    assert "staff_contact-0-mobile" in page

    form = {
        "username": clerk.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-11-02",
        "date_joined_1": "09:00:00",
        "staff_contact-TOTAL_FORMS": "1",
        "staff_contact-INITIAL_FORMS": "0",
        "staff_contact-MIN_NUM_FORMS": "0",
        "staff_contact-MAX_NUM_FORMS": "1",
        "staff_contact-0-mobile": "12345",
        # The roles inline is read-only; its management form comes with the page.
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    refused = user_admin_client.post(f"/admin/auth/user/{clerk.pk}/change/", form)
    assert refused.status_code == 200
    assert not StaffContact.objects.filter(user=clerk).exists()

    form["staff_contact-0-mobile"] = "13912345678"
    saved = user_admin_client.post(f"/admin/auth/user/{clerk.pk}/change/", form)
    assert saved.status_code == 302
    assert StaffContact.objects.get(user=clerk).mobile == "13912345678"
