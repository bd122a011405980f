import pytest

from catalog.models import ItemVersion
from catalog.search_terms import name_pinyin
from catalog.versions import item_version_draft, item_version_publish, item_version_update
from tests.factories import ItemVersionFactory, MaterialFactory, StepTemplateFactory


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("营业执照", "yingyezhizhao yyzz"),
        ("食品经营许可（新办）", "shipinjingyingxukexinban spjyxkxb"),
        ("ICP备案", "icpbeian icpba"),
    ],
)
def test_the_pinyin_holds_the_full_spelling_and_the_initials(name, expected):
    assert name_pinyin(name) == expected


@pytest.mark.django_db
def test_publishing_stores_the_names_pinyin_on_the_version():
    draft = ItemVersionFactory(draft=True, name="营业执照核发")
    StepTemplateFactory(version=draft, order=1, limit_days=1)
    MaterialFactory(version=draft)
    assert draft.search_pinyin == ""

    item_version_publish(version=draft, by=None)

    assert ItemVersion.objects.get(pk=draft.pk).search_pinyin == "yingyezhizhaohefa yyzzhf"


@pytest.mark.django_db
def test_a_renamed_item_gets_the_new_names_pinyin_when_published():
    draft = ItemVersionFactory(draft=True, name="营业执照核发")
    StepTemplateFactory(version=draft, order=1, limit_days=1)
    MaterialFactory(version=draft)
    first = item_version_publish(version=draft, by=None)

    second = item_version_draft(item=first.item, by=None)
    item_version_update(version=second, by=None, name="食品经营许可")
    item_version_publish(version=second, by=None)

    assert ItemVersion.objects.get(pk=second.pk).search_pinyin == "shipinjingyingxuke spjyxk"
    assert ItemVersion.objects.get(pk=first.pk).search_pinyin.startswith("yingyezhizhao")
