"""Other apps' panels on the hall's page of one case and marks on the "my cases" list:
settings.HALL_CASE_PANELS names callables taking the request and the case, returning None or a
panel's context with its template; settings.HALL_CASE_LIST_MARKS callables taking the request
and the listed ids, returning {id: words}. The hall draws what they return and knows none of
them by name."""

import ast
from datetime import date
from pathlib import Path

import pytest

from tests.factories.workflow import applicant_user, at, item_with_procedure, submitted_case

pytestmark = pytest.mark.django_db

HERE = "tests.portal.test_case_panels"
PANEL = '<section id="panel-{{ panel.name }}">{{ panel.text }}</section>'
MONDAY = date(2026, 11, 16)


def greeting(request, case):
    return {"template": "panels/case_test.html", "name": "greeting", "text": f"Case {case.pk}"}


def nothing(request, case):
    return None


def even_ids(request, case_ids):
    return {pk: "even" for pk in case_ids if pk % 2 == 0}


def every_id(request, case_ids):
    return {pk: f"seen {pk}" for pk in case_ids}


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "panels").mkdir()
    (tmp_path / "panels" / "case_test.html").write_text(PANEL, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]


@pytest.fixture
def case():
    return submitted_case(item_with_procedure(), applicant_user(), now=at(MONDAY))


def test_the_case_page_draws_each_panel_returned_in_order(client, settings, panel_template, case):
    settings.HALL_CASE_PANELS = [f"{HERE}.nothing", f"{HERE}.greeting"]
    client.force_login(case.applicant)

    response = client.get(f"/my/cases/{case.pk}/")

    assert response.status_code == 200
    assert f'<section id="panel-greeting">Case {case.pk}</section>' in response.content.decode()
    assert [p["name"] for p in response.context["more_panels"]] == ["greeting"]


def test_without_the_setting_the_case_page_has_no_panels(client, settings, case):
    del settings.HALL_CASE_PANELS
    client.force_login(case.applicant)

    response = client.get(f"/my/cases/{case.pk}/")

    assert response.status_code == 200 and response.context["more_panels"] == []


def test_the_list_shows_every_mark_returned_with_one_call_per_hook(client, settings, case):
    settings.HALL_CASE_LIST_MARKS = [f"{HERE}.every_id", f"{HERE}.even_ids"]
    client.force_login(case.applicant)

    response = client.get("/my/cases/")

    (row,) = response.context["rows"]
    assert row["marks"] == [f"seen {case.pk}"] + (["even"] if case.pk % 2 == 0 else [])
    assert f"seen {case.pk}" in response.content.decode()


def test_the_portal_does_not_import_supervision():
    import portal

    root = Path(portal.__file__).parent
    for source in root.rglob("*.py"):
        if source.is_relative_to(root / "management"):
            continue  # load_demo loads every app's demo
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("supervision"), source
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("supervision") for a in node.names), source
