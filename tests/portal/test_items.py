import pytest

from catalog.models import ApplicantType, ProcessingType
from tests.factories import ItemVersionFactory

pytestmark = pytest.mark.django_db


def test_item_list_lists_published_items_and_links_their_guides(client):
    version = ItemVersionFactory(name="食品经营许可")
    ItemVersionFactory(name="草稿中的事项", draft=True)

    response = client.get("/items/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "食品经营许可" in page
    assert f"/items/{version.item.code}/" in page
    assert "草稿中的事项" not in page


def test_item_list_search_finds_items_by_name_and_who_may_apply(client):
    ItemVersionFactory(name="食品经营许可", applicant_type=ApplicantType.LEGAL)
    ItemVersionFactory(name="建筑工程施工许可", applicant_type=ApplicantType.LEGAL)
    ItemVersionFactory(name="个人事项", applicant_type=ApplicantType.NATURAL)

    by_name = client.get("/items/", {"q": "食品"}).content.decode()
    natural = client.get("/items/", {"applicant_type": "natural"}).content.decode()

    assert "食品经营许可" in by_name and "建筑工程施工许可" not in by_name
    assert "个人事项" in natural and "食品经营许可" not in natural


def test_item_list_rejects_an_unknown_filter_value_with_a_message(client):
    ItemVersionFactory(processing_type=ProcessingType.PROMISED)

    response = client.get("/items/", {"processing_type": "instant"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_item_list_paginates_long_lists(client):
    for _ in range(25):
        ItemVersionFactory()

    first = client.get("/items/").content.decode()
    second = client.get("/items/", {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second


def test_item_list_shows_a_refused_filter_in_the_error_summary_linked_to_its_field(client):
    page = client.get("/items/", {"processing_type": "instant"}).content.decode()

    assert "data-error-summary" in page
    assert '<a href="#id_processing_type">' in page
    assert 'id="id_processing_type"' in page


def test_item_list_says_so_when_no_item_matches(client):
    ItemVersionFactory(name="食品经营许可")

    page = client.get("/items/", {"q": "没有这个事项"}).content.decode()

    assert "empty-state" in page
    assert "No item matches your search." in page
