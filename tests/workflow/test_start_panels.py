"""Other apps' panels on the staff start page: settings.STAFF_START_PANELS names callables that
return None or a panel's context with its template; the workflow draws whatever they return,
in their order, and knows none of them by name."""

import pytest

from catalog.models import Role
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

PANEL = '<section class="role-panel" id="panel-{{ panel.name }}">{{ panel.text }}</section>'


def greeting(request):
    return {"template": "panels/test.html", "name": "greeting", "text": f"Hi {request.user}"}


def nothing(request):
    return None


def only_handlers(request):
    from catalog.roles import user_roles

    if Role.HANDLER not in user_roles(request.user):
        return None
    return {"template": "panels/test.html", "name": "handlers", "text": "Handlers only"}


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "panels").mkdir()
    (tmp_path / "panels" / "test.html").write_text(PANEL, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]


def test_the_start_page_draws_each_panel_returned_in_order(client, settings, panel_template):
    here = "tests.workflow.test_start_panels"
    settings.STAFF_START_PANELS = [f"{here}.only_handlers", f"{here}.nothing", f"{here}.greeting"]
    handler = staff_user(Role.HANDLER)
    client.force_login(handler)

    html = client.get("/staff/").content.decode()

    assert html.index('id="panel-handlers"') < html.index('id="panel-greeting"')
    assert f"Hi {handler}" in html


def test_a_callable_returning_none_draws_nothing(client, settings, panel_template):
    here = "tests.workflow.test_start_panels"
    settings.STAFF_START_PANELS = [f"{here}.only_handlers", f"{here}.nothing"]
    client.force_login(staff_user(Role.WINDOW_CLERK))

    response = client.get("/staff/")

    assert response.status_code == 200
    assert response.context["more_panels"] == []
    assert 'id="panel-handlers"' not in response.content.decode()


def test_without_the_setting_the_start_page_has_its_own_panels_only(client, settings):
    del settings.STAFF_START_PANELS
    client.force_login(staff_user(Role.HANDLER))

    response = client.get("/staff/")

    assert response.status_code == 200 and response.context["more_panels"] == []


def test_the_workflow_does_not_import_supervision():
    import ast
    from pathlib import Path

    import workflow

    root = Path(workflow.__file__).parent
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("supervision"), source
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("supervision") for a in node.names), source
