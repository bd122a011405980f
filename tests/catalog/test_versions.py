import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from catalog.models import (
    ApprovalItem,
    FeeItem,
    ItemVersion,
    Material,
    ProcessingType,
    ResultType,
    Role,
    StepTemplate,
    VersionStatus,
    WindowAuthorization,
)
from catalog.versions import (
    VersionFrozen,
    item_create,
    item_version_draft,
    item_version_publish,
    item_version_update,
    version_problems,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.factories.catalog import _category

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%template\n"


def guide(**overrides):
    fields = {
        "name": "食品经营许可",
        "department": DepartmentFactory(),
        "category": _category("XK"),
        "processing_type": ProcessingType.PROMISED,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "statutory_limit": 20,
        "promised_limit": 5,
        "must_enter_center": True,
        "entered_center": True,
        "result_type": ResultType.LICENCE,
    }
    fields.update(overrides)
    return fields


def publishable_draft(code="330100-XK-SCJ-0001", *, by=None, **overrides) -> ItemVersion:
    """A draft that passes every check: two steps within the promise, a material, a fee."""
    draft = item_create(code=code, by=by or UserFactory(), **guide(**overrides))
    StepTemplate.objects.create(
        version=draft, order=1, name="承办", role=Role.HANDLER, limit_days=2
    )
    StepTemplate.objects.create(
        version=draft, order=2, name="审批", role=Role.APPROVER, limit_days=3
    )
    Material.objects.create(
        version=draft,
        order=1,
        name="营业执照",
        template_file=ContentFile(PDF_BYTES, name="template.pdf"),
    )
    FeeItem.objects.create(version=draft, name="工本费", amount="10.00", legal_basis="价格文件")
    return draft


def published(code="330100-XK-SCJ-0001") -> ItemVersion:
    user = UserFactory()
    return item_version_publish(version=publishable_draft(code, by=user), by=user)


# -- creating an item -------------------------------------------------------------------------


def test_item_create_makes_the_item_and_its_draft_version_one():
    version = item_create(code="330100-XK-SCJ-0007", by=UserFactory(), **guide())

    assert version.item.code == "330100-XK-SCJ-0007"
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.published_at is None


def test_item_create_refuses_a_malformed_code_and_writes_nothing():
    with pytest.raises(ValidationError) as caught:
        item_create(code="food licence", by=UserFactory(), **guide())

    assert "code" in caught.value.message_dict
    assert "330100-XK-SCJ-0001" in caught.value.message_dict["code"][0]
    assert not ApprovalItem.objects.exists()


def test_item_create_refuses_a_code_already_taken():
    item_create(code="330100-XK-SCJ-0007", by=UserFactory(), **guide())

    with pytest.raises(ValidationError) as caught:
        item_create(code="330100-XK-SCJ-0007", by=UserFactory(), **guide(name="另一个事项"))

    assert "code" in caught.value.message_dict
    assert ItemVersion.objects.count() == 1


def test_item_create_reports_the_code_and_the_fields_together():
    with pytest.raises(ValidationError) as caught:
        item_create(code="bad", by=UserFactory(), **guide(statutory_limit=3, promised_limit=5))

    assert {"code", "promised_limit"} <= set(caught.value.message_dict)
    assert not ApprovalItem.objects.exists()


# -- history is frozen ------------------------------------------------------------------------


def test_a_published_version_cannot_be_renamed():
    version = published()
    version.name = "改过的名称"

    with pytest.raises(VersionFrozen) as caught:
        version.save()

    assert "330100-XK-SCJ-0001" in caught.value.messages[0]
    version.refresh_from_db()
    assert version.name == "食品经营许可"


def test_a_published_version_cannot_be_deleted():
    version = published()

    with pytest.raises(VersionFrozen):
        version.delete()

    assert ItemVersion.objects.filter(pk=version.pk).exists()


def test_a_published_version_cannot_go_back_to_draft():
    version = published()
    version.status = VersionStatus.DRAFT

    with pytest.raises(VersionFrozen):
        version.save()


def test_a_superseded_version_cannot_be_changed_at_all():
    first = published()
    item_version_publish(version=item_version_draft(item=first.item, by=None), by=None)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED

    first.status = VersionStatus.PUBLISHED
    with pytest.raises(VersionFrozen):
        first.save()
    first.refresh_from_db()
    first.promised_limit = 3
    with pytest.raises(VersionFrozen):
        first.save()


@pytest.mark.parametrize("related_name", ["steps", "materials", "fees"])
def test_a_part_of_a_published_version_cannot_be_deleted(related_name):
    version = published()
    part = getattr(version, related_name).first()

    with pytest.raises(VersionFrozen):
        part.delete()

    assert type(part).objects.filter(pk=part.pk).exists()


@pytest.mark.parametrize(
    ("related_name", "field", "value"),
    [("steps", "limit_days", 1), ("materials", "name", "身份证"), ("fees", "amount", "20.00")],
)
def test_a_part_of_a_published_version_cannot_be_changed(related_name, field, value):
    version = published()
    part = getattr(version, related_name).first()
    setattr(part, field, value)

    with pytest.raises(VersionFrozen):
        part.save()


def test_nothing_can_be_added_to_a_published_version():
    version = published()

    with pytest.raises(VersionFrozen):
        Material.objects.create(version=version, name="补充材料")

    assert version.materials.count() == 1


def test_a_step_cannot_be_moved_from_a_draft_into_a_published_version():
    version = published()
    other = publishable_draft("330100-XK-SCJ-0002")
    step = other.steps.first()
    step.version = version

    with pytest.raises(VersionFrozen):
        step.save()


def test_item_version_update_refuses_a_published_version():
    version = published()

    with pytest.raises(VersionFrozen):
        item_version_update(version=version, by=None, name="改过的名称")


def test_item_version_update_changes_a_draft():
    draft = publishable_draft()

    item_version_update(version=draft, by=None, promised_limit=8, phone="0571-88888888")

    draft.refresh_from_db()
    assert (draft.promised_limit, draft.phone) == (8, "0571-88888888")


# -- drafts and publishing --------------------------------------------------------------------


def test_editing_a_published_item_makes_a_draft_with_copies_of_its_parts():
    version = published()

    draft = item_version_draft(item=version.item, by=UserFactory())

    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.name == version.name and draft.promised_limit == version.promised_limit
    assert [(s.order, s.name, s.limit_days) for s in draft.steps.order_by("order")] == [
        (1, "承办", 2),
        (2, "审批", 3),
    ]
    assert list(draft.fees.values_list("name", "amount")) == [("工本费", version.fees.get().amount)]
    copied, original = draft.materials.get(), version.materials.get()
    assert copied.pk != original.pk
    assert copied.template_file.name == original.template_file.name
    assert copied.template_file.read() == PDF_BYTES


def test_changing_the_draft_leaves_the_published_version_as_it_was():
    version = published()
    draft = item_version_draft(item=version.item, by=None)

    item_version_update(version=draft, by=None, name="食品经营许可（新）", promised_limit=6)
    draft.steps.get(order=1).delete()
    draft.materials.update(name="营业执照副本")

    version.refresh_from_db()
    assert (version.name, version.promised_limit, version.status) == (
        "食品经营许可",
        5,
        VersionStatus.PUBLISHED,
    )
    assert version.steps.count() == 2
    assert version.materials.get().name == "营业执照"


def test_asking_for_a_draft_twice_returns_the_same_draft():
    version = published()

    first = item_version_draft(item=version.item, by=None)
    second = item_version_draft(item=version.item, by=None)

    assert first.pk == second.pk
    assert version.item.versions.count() == 2


def test_publishing_supersedes_the_previous_version_and_keeps_the_history():
    user = UserFactory()
    first = published()
    draft = item_version_draft(item=first.item, by=user)
    moment = datetime.datetime(2025, 3, 3, 9, 30, tzinfo=datetime.UTC)

    second = item_version_publish(version=draft, by=user, now=moment)

    history = list(first.item.versions.order_by("number").values_list("number", "status"))
    assert history == [(1, VersionStatus.SUPERSEDED), (2, VersionStatus.PUBLISHED)]
    assert (second.published_at, second.published_by) == (moment, user)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_publishing_a_version_that_is_not_a_draft_is_refused():
    version = published()

    with pytest.raises(ValidationError) as caught:
        item_version_publish(version=version, by=None)

    assert "only a draft can be published" in caught.value.messages[0]


def test_publishing_with_problems_changes_nothing():
    first = published()
    draft = item_version_draft(item=first.item, by=None)
    draft.materials.all().delete()

    with pytest.raises(ValidationError) as caught:
        item_version_publish(version=draft, by=None)

    assert "List at least one material the applicant must bring." in caught.value.messages
    statuses = list(first.item.versions.order_by("number").values_list("status", flat=True))
    assert statuses == [VersionStatus.PUBLISHED, VersionStatus.DRAFT]


# -- what blocks publishing -------------------------------------------------------------------


def test_a_complete_draft_has_no_problems():
    assert version_problems(publishable_draft()) == []


def test_a_promised_limit_above_the_statutory_limit_blocks_publishing():
    draft = publishable_draft()
    draft.statutory_limit = 4

    problems = version_problems(draft)

    assert any("promised limit (5) may not exceed the statutory limit (4)" in p for p in problems)


def test_an_immediate_item_with_a_promised_limit_blocks_publishing():
    draft = publishable_draft()
    draft.processing_type = ProcessingType.IMMEDIATE

    problems = version_problems(draft)

    assert any("immediate item is completed on the spot" in p for p in problems)


def test_steps_taking_longer_than_the_promise_block_publishing_and_name_both_numbers():
    draft = publishable_draft()
    StepTemplate.objects.create(
        version=draft, order=3, name="发证", role=Role.HANDLER, limit_days=2
    )

    with pytest.raises(ValidationError) as caught:
        item_version_publish(version=draft, by=None)

    assert (
        "The steps take 7 working days in all, more than the promised limit of 5."
        in caught.value.messages
    )


def test_a_gap_in_the_step_numbers_blocks_publishing():
    draft = publishable_draft()
    draft.steps.filter(order=2).update(order=3)

    problems = version_problems(draft)

    assert "Number the steps 1 to 2 without gaps; they are numbered 1, 3." in problems


def test_a_promised_item_without_steps_blocks_publishing():
    draft = publishable_draft()
    draft.steps.all().delete()

    assert any("needs at least one step" in p for p in version_problems(draft))


def test_an_immediate_item_needs_no_steps():
    draft = publishable_draft(
        processing_type=ProcessingType.IMMEDIATE, statutory_limit=0, promised_limit=0
    )
    draft.steps.all().delete()

    assert version_problems(draft) == []


def test_a_version_without_materials_cannot_be_published():
    draft = publishable_draft()
    draft.materials.all().delete()

    assert "List at least one material the applicant must bring." in version_problems(draft)


def test_an_optional_material_that_may_be_supplied_later_blocks_publishing():
    draft = publishable_draft()
    Material.objects.create(
        version=draft, order=2, name="租赁合同", required=False, deferrable=True
    )

    problems = version_problems(draft)

    assert any(
        p.startswith("Material 2 “租赁合同”") and "Only a required material" in p for p in problems
    )


def test_a_fee_with_neither_amount_nor_rule_blocks_publishing():
    draft = publishable_draft()
    FeeItem.objects.create(version=draft, name="检测费", amount=None, rule="", legal_basis="文件")

    problems = version_problems(draft)

    assert any(
        p.startswith("Fee “检测费”") and "standard amount or the rule" in p for p in problems
    )


def test_an_item_marked_entered_that_need_not_enter_blocks_publishing():
    draft = publishable_draft()
    draft.must_enter_center = False

    assert any("Only an item that must enter" in p for p in version_problems(draft))


def test_full_authorisation_of_an_item_not_in_the_center_blocks_publishing():
    draft = publishable_draft()
    draft.entered_center = False
    draft.window_authorization = WindowAuthorization.FULL

    assert any("Full authorisation" in p for p in version_problems(draft))


def test_every_problem_is_reported_at_once():
    draft = publishable_draft()
    draft.materials.all().delete()
    draft.steps.filter(order=2).update(order=5, limit_days=9)

    with pytest.raises(ValidationError) as caught:
        item_version_publish(version=draft, by=None)

    assert len(caught.value.messages) == 3
