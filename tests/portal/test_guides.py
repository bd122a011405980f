import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import JointItem
from catalog.versions import item_version_draft, item_version_publish, item_version_update
from tests.factories import (
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    StepTemplateFactory,
    UserFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def guide_url(version):
    return f"/items/{version.item.code}/"


@pytest.fixture
def item():
    version = ItemVersionFactory(
        name="食品经营许可",
        statutory_limit=20,
        promised_limit=5,
        visits_required=1,
        window_location="市民中心二楼 12 号窗口",
        phone="0571-12345",
    )
    StepTemplateFactory(version=version, order=1, name="窗口受理审查", limit_days=2)
    StepTemplateFactory(version=version, order=2, name="现场核查", limit_days=3)
    MaterialFactory(
        version=version,
        order=1,
        name="食品经营许可申请书",
        originals=1,
        copies=0,
        template_file=SimpleUploadedFile("申请书.pdf", PDF),
        sample_file=SimpleUploadedFile("申请书样表.pdf", PDF),
    )
    MaterialFactory(version=version, order=2, name="场所平面图", deferrable=True, copies=2)
    FeeItemFactory(version=version, name="证照工本费", amount="10.00", legal_basis="省物价局文件")
    return version


def test_the_guide_shows_limits_speed_up_materials_fees_and_steps(client, item):
    page = client.get(guide_url(item)).content.decode()

    assert "食品经营许可" in page
    assert "20 working days" in page and "5 working days" in page
    assert "75 %" in page  # 1 - 5/20
    assert "食品经营许可申请书" in page and "may be supplied later" in page
    assert "证照工本费" in page and "10.00" in page and "省物价局文件" in page
    assert page.index("窗口受理审查") < page.index("现场核查")
    assert 'class="guide-flow"' in page
    assert "市民中心二楼 12 号窗口" in page and "0571-12345" in page
    assert f"/catalog/items/{item.item.code}/sheet/" in page


def test_the_guides_template_and_sample_files_download(client, item):
    page = client.get(guide_url(item)).content.decode()
    material = item.materials.get(name="食品经营许可申请书")

    for kind in ("template", "sample"):
        url = f"/catalog/materials/{material.pk}/{kind}/"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF


def test_apply_online_is_offered_only_where_online_pre_review_is_allowed(client, item):
    offline = ItemVersionFactory(online_prereview=False, window_location="3 号窗口")

    online_page = client.get(guide_url(item)).content.decode()
    offline_page = client.get(guide_url(offline)).content.decode()

    assert f'href="/apply/{item.item.code}/"' in online_page
    assert "/apply/" not in offline_page
    assert "Apply at the window: 3 号窗口" in offline_page


def test_apply_at_window_names_the_departments_windows(client):
    department = DepartmentFactory()
    WindowFactory(number="7").departments.add(department)
    version = ItemVersionFactory(online_prereview=False, department=department, window_location="")

    page = client.get(guide_url(version)).content.decode()

    assert "window 7" in page


@pytest.mark.parametrize("code", ["330100-XK-D01-9999", "nonsense"])
def test_an_unknown_code_gets_the_sites_404_page(client, code):
    response = client.get(f"/items/{code}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Go to the online hall" in response.content.decode()


def test_a_draft_only_item_has_no_guide(client):
    draft = ItemVersionFactory(draft=True)

    assert client.get(guide_url(draft)).status_code == 404


def test_publishing_a_new_version_redraws_the_cached_guide(
    client, django_capture_on_commit_callbacks, item
):
    assert "5 working days" in client.get(guide_url(item)).content.decode()

    draft = item_version_draft(item=item.item, by=None)
    item_version_update(version=draft, by=None, promised_limit=8)
    # The stored page is served while the old version is current.
    assert "8 working days" not in client.get(guide_url(item)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item_version_publish(version=draft, by=None)

    page = client.get(guide_url(item)).content.decode()
    assert "8 working days" in page and "60 %" in page


def test_a_warm_guide_costs_at_most_one_query(client, item, django_assert_max_num_queries):
    client.get(guide_url(item))

    with django_assert_max_num_queries(1):  # the session, if any; none for the guide itself
        response = client.get(guide_url(item))
    assert "食品经营许可" in response.content.decode()


def test_the_cached_guide_is_not_shared_between_users(client, item):
    alice = UserFactory(username="alice_zhang", first_name="爱丽丝", last_name="")
    client.force_login(alice)
    assert "爱丽丝" in client.get(guide_url(item)).content.decode()  # her header, drawn fresh
    client.logout()

    anonymous = client.get(guide_url(item)).content.decode()
    assert "alice_zhang" not in anonymous and "爱丽丝" not in anonymous

    bob = UserFactory(username="bob_li", first_name="鲍勃", last_name="")
    client.force_login(bob)
    page = client.get(guide_url(item)).content.decode()
    assert "鲍勃" in page and "爱丽丝" not in page


def test_the_guide_body_is_rendered_without_the_request():
    # What is cached must hold nothing of a visitor: no CSRF token, no form.
    from portal.guide_views import _item_fragment

    version = ItemVersionFactory()
    MaterialFactory(version=version)

    body = _item_fragment(version.item.code)["body"]

    assert "csrfmiddlewaretoken" not in body and "<form" not in body


@pytest.fixture
def joint_item():
    first = ItemVersionFactory(name="营业执照核发")
    second = ItemVersionFactory(name="食品经营许可证核发")
    joint = JointItem.objects.create(
        code="YJS-0001", name="开办餐馆一件事", lead_department=first.department, active=True
    )
    joint.items.add(first.item, second.item)
    return joint, first, second


def test_the_joint_item_guide_lists_its_items_with_links(client, joint_item):
    joint, first, second = joint_item

    page = client.get("/joint-items/YJS-0001/").content.decode()

    assert "开办餐馆一件事" in page and "45 working days" in page
    assert f'href="/items/{first.item.code}/"' in page
    assert f'href="/items/{second.item.code}/"' in page


def test_a_members_guide_links_its_joint_item(client, joint_item):
    joint, first, _ = joint_item

    assert 'href="/joint-items/YJS-0001/"' in client.get(guide_url(first)).content.decode()


def test_a_closed_or_unknown_joint_item_is_not_found(client, joint_item):
    joint, _, _ = joint_item
    JointItem.objects.filter(pk=joint.pk).update(active=False)

    assert client.get("/joint-items/YJS-0001/").status_code == 404
    assert client.get("/joint-items/NOPE/").status_code == 404
