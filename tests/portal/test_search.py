import pytest

from catalog.models import ApplicantType, ProcessingType
from catalog.versions import item_version_publish
from tests.factories import ItemVersionFactory, MaterialFactory, StepTemplateFactory

pytestmark = pytest.mark.django_db


def published(name: str, **fields):
    """An item published through the catalog's write path, so its pinyin is set as in life."""
    draft = ItemVersionFactory(draft=True, name=name, **fields)
    if draft.processing_type != ProcessingType.IMMEDIATE:
        StepTemplateFactory(version=draft, order=1, limit_days=1)
    MaterialFactory(version=draft)
    return item_version_publish(version=draft, by=None)


def names(response) -> list[str]:
    return [version.name for version in response.context["page"].object_list]


@pytest.fixture
def catalog():
    return {
        "licence": published("营业执照核发", applicant_type=ApplicantType.LEGAL),
        "food": published("食品经营许可", applicant_type=ApplicantType.LEGAL),
        "birth": published(
            "生育登记", applicant_type=ApplicantType.NATURAL, online_prereview=False
        ),
        "lost": published("营业执照遗失补领"),
    }


def test_pinyin_initials_find_the_business_licence(client, catalog):
    response = client.get("/items/", {"q": "yyzz"})

    assert response.status_code == 200
    assert set(names(response)) == {"营业执照核发", "营业执照遗失补领"}
    assert "营业执照核发" in response.content.decode()


def test_full_pinyin_finds_an_item_with_or_without_spaces(client, catalog):
    assert names(client.get("/items/", {"q": "shipinjingying"})) == ["食品经营许可"]
    assert names(client.get("/items/", {"q": "sheng yu"})) == ["生育登记"]


def test_the_exact_code_comes_first_then_a_name_prefix_then_a_name_containing_it(client, catalog):
    contains = published("补办营业执照")
    code = catalog["food"].item.code

    assert names(client.get("/items/", {"q": code}))[0] == "食品经营许可"
    ranked = names(client.get("/items/", {"q": "营业执照"}))
    assert ranked.index("营业执照核发") < ranked.index(contains.name)


def test_filters_narrow_the_results(client, catalog):
    natural = names(client.get("/items/", {"applicant_type": "natural"}))
    online = names(client.get("/items/", {"online": "on"}))
    by_department = names(client.get("/items/", {"department": catalog["food"].department.code}))

    assert "生育登记" in natural and "食品经营许可" not in natural
    assert "生育登记" not in online and "食品经营许可" in online
    assert by_department == ["食品经营许可"]


def test_results_link_to_the_guides_and_are_paginated(client):
    for number in range(25):
        published(f"测试事项{number:02d}")

    first = client.get("/items/", {"q": "测试事项"})
    second = client.get("/items/", {"q": "测试事项", "page": 2})

    assert len(names(first)) == 20 and len(names(second)) == 5
    assert "page=2" in first.content.decode()
    assert (
        "/items/" + first.context["page"].object_list[0].item.code + "/" in first.content.decode()
    )


def test_a_search_that_finds_nothing_suggests_near_matches(client, catalog):
    # No immediate item at all: nothing matches, however near the words come.
    response = client.get("/items/", {"q": "营业证照", "processing_type": "immediate"})

    page = response.content.decode()
    assert names(response) == []
    assert "No item matches your search." in page
    assert "Did you mean" in page and "营业执照核发" in page


def test_an_unknown_filter_value_is_a_400_with_a_message(client, catalog):
    response = client.get("/items/", {"processing_type": "instant"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_drafts_are_not_found(client):
    ItemVersionFactory(draft=True, name="草稿事项")

    assert names(client.get("/items/", {"q": "草稿"})) == []


@pytest.mark.postgres
def test_trigram_similarity_finds_a_misspelt_name_on_postgresql(client, catalog):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity needs PostgreSQL")

    assert "食品经营许可" in names(client.get("/items/", {"q": "食品经营许阁"}))
    assert "营业执照核发" in names(client.get("/items/", {"q": "yingyezhizao"}))


def test_without_trigrams_the_plain_search_still_finds_names_and_pinyin(client, catalog, settings):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the fallback is what SQLite runs")

    assert names(client.get("/items/", {"q": "食品"})) == ["食品经营许可"]
    assert names(client.get("/items/", {"q": "spjyxk"})) == ["食品经营许可"]
