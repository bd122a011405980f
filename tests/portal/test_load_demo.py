import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import translation

from catalog.demo.builder import PUBLISHED_AT
from catalog.demo.organization import STAFF
from catalog.models import (
    ApprovalItem,
    Department,
    FeeItem,
    ItemVersion,
    Material,
    ProcessingType,
    Role,
    ServiceCenter,
    StaffMembership,
    StepTemplate,
    VersionStatus,
    Window,
    WindowAuthorization,
)
from workflow.models import CalendarDay, CalendarYear

CITY_CENTER = "330100"
DEPARTMENT_ROLES = {
    Role.WINDOW_CLERK,
    Role.HANDLER,
    Role.REVIEWER,
    Role.APPROVER,
    Role.CHIEF_REPRESENTATIVE,
}
COMMON_ITEMS = [
    "企业设立登记",
    "食品经营许可",
    "建筑工程施工许可证核发",
    "建设工程规划许可证核发",
    "建设用地规划许可证核发",
    "道路旅客运输经营许可",
    "药品零售企业经营许可",
    "公共场所卫生许可",
    "公众聚集场所投入使用、营业前消防安全检查",
    "民办学校设立",
    "医疗机构执业登记",
    "户外广告设施设置审批",
    "占用、挖掘城市道路审批",
    "取水许可",
    "使用林地审核",
]


# Every login check hashes the password; the demo has 18 users.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="class")
def _demo_loaded(django_db_setup, django_db_blocker):
    # Loading takes seconds, so it is done once for the class below, in a transaction rolled
    # back after the class's last test; each test runs in a savepoint inside it, so tests that
    # write stay apart, and tests outside the class never see the demo.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        output = load_demo()
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo_output(_demo_loaded, db) -> str:
    return _demo_loaded


def demo_versions():
    return ItemVersion.objects.filter(
        status=VersionStatus.PUBLISHED, department__center__code=CITY_CENTER
    )


def snapshot() -> dict[str, int]:
    models = [
        ServiceCenter,
        Department,
        Window,
        Window.departments.through,
        get_user_model(),
        StaffMembership,
        ApprovalItem,
        ItemVersion,
        StepTemplate,
        Material,
        FeeItem,
        CalendarYear,
        CalendarDay,
    ]
    return {model._meta.label: model.objects.count() for model in models}


class TestDemoCity:
    """The demo city as `manage.py load_demo` leaves it."""

    def test_demo_catalog_has_the_figures_of_the_speech(self, demo_output):
        versions = demo_versions()
        total = versions.count()
        promised = versions.aggregate(total=Sum("promised_limit"))["total"]
        average = (Decimal(promised) / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

        assert Department.objects.filter(center__code=CITY_CENTER).count() == 38
        assert total == 367
        assert versions.filter(category__code="XK").count() == 277
        assert versions.filter(category__code="FXK").count() == 90
        assert versions.filter(processing_type=ProcessingType.IMMEDIATE).count() == 46
        assert promised == 1780
        assert average == Decimal("4.85")
        must_enter = versions.filter(must_enter_center=True)
        entered = must_enter.filter(entered_center=True)
        assert must_enter.count() == 172
        assert entered.count() == 111
        assert entered.filter(window_authorization=WindowAuthorization.FULL).count() == 30

    def test_the_command_prints_the_figures(self, demo_output):
        assert "Departments: 38" in demo_output
        assert "Approval items: 367 (licensing 277, non-licensing 90)" in demo_output
        assert "Immediate items: 46" in demo_output
        assert "Average promised limit: 4.85 working days" in demo_output
        assert "Must enter the center: 172, entered: 111, fully authorised: 30" in demo_output

    def test_every_demo_version_is_valid_and_its_steps_fit_its_promise(self, demo_output):
        versions = demo_versions().prefetch_related("steps", "materials", "fees")
        for version in versions:
            version.full_clean()
            steps = list(version.steps.all())
            assert steps, version.name
            assert sum(step.limit_days for step in steps) <= version.promised_limit, version.name
            assert [step.order for step in steps] == list(range(1, len(steps) + 1)), version.name
            assert version.published_at == PUBLISHED_AT
            assert version.window_location and version.phone, version.name
            for row in [*version.materials.all(), *version.fees.all()]:
                row.clean()
        assert versions.count() == 367

    def test_immediate_items_are_done_in_one_step_on_the_spot(self, demo_output):
        immediate = demo_versions().filter(processing_type=ProcessingType.IMMEDIATE)
        for version in immediate.prefetch_related("steps"):
            assert version.promised_limit == 0
            assert [step.limit_days for step in version.steps.all()] == [0], version.name

    def test_common_items_have_a_full_guide(self, demo_output):
        for name in COMMON_ITEMS:
            version = demo_versions().get(name=name)
            assert "《" in version.legal_basis and "第" in version.legal_basis, name
            assert version.conditions, name
            assert version.materials.count() >= 4, name
            assert version.steps.exists(), name
        business = demo_versions().get(item__code="330100-XK-SCJ-0001")
        assert business.name == "企业设立登记"
        assert business.materials.filter(deferrable=True).exists()
        water = demo_versions().get(name="取水许可")
        assert water.fees.get(name="水资源费").legal_basis

    def test_service_centers_form_a_city_county_town_tree(self, demo_output):
        city = ServiceCenter.objects.get(code=CITY_CENTER)
        counties = ServiceCenter.objects.filter(parent=city)
        assert counties.count() == 2
        assert ServiceCenter.objects.filter(parent__in=counties, level="town").count() >= 3
        assert city.windows.filter(kind="comprehensive").count() == 2
        assert city.windows.filter(kind="fee").count() == 1

    def test_loading_twice_changes_nothing(self, demo_output):
        before = snapshot()
        codes_before = list(demo_versions().values_list("item__code", "name", "promised_limit"))

        output = load_demo()

        assert snapshot() == before
        assert list(demo_versions().values_list("item__code", "name", "promised_limit")) == (
            codes_before
        )
        assert "Items created by this run: 0" in output
        assert "Items created by this run: 367" in demo_output

    def test_demo_users_log_in_with_the_printed_password(self, demo_output):
        password = re.search(r"Password for every demo login: (\S+)", demo_output).group(1)
        for spec in STAFF:
            assert spec.username in demo_output
            assert Client().login(
                request=HttpRequest(), username=spec.username, password=password
            ), spec.username

    def test_loading_again_resets_a_changed_demo_password(self, demo_output):
        password = re.search(r"Password for every demo login: (\S+)", demo_output).group(1)
        user = get_user_model().objects.get(username="scj_clerk")
        user.set_password("something-else-entirely")
        user.save()

        load_demo()

        assert Client().login(request=HttpRequest(), username="scj_clerk", password=password)
        assert get_user_model().objects.filter(username="scj_clerk").count() == 1

    def test_demo_staff_hold_every_department_role_and_the_approver_heads(self, demo_output):
        for code in ("SCJ", "ZJJ", "ZGJ"):
            department = Department.objects.get(code=code)
            roles = set(department.memberships.values_list("role", flat=True))
            assert roles == DEPARTMENT_ROLES, code
            assert department.head.username == f"{code.lower()}_approver"
        city = ServiceCenter.objects.get(code=CITY_CENTER)
        center_roles = set(city.memberships.values_list("role", flat=True))
        assert center_roles == {
            Role.FEE_CLERK,
            Role.CATALOG_ADMINISTRATOR,
            Role.USER_ADMINISTRATOR,
            Role.SUPERVISION_OFFICER,
        }
        assert get_user_model().objects.get(username="catalog_admin").is_staff
        assert get_user_model().objects.get(username="user_admin").is_staff

    def test_the_demo_has_a_living_monitoring_room(self, demo_output):
        from supervision.models import Alert, AlertLevel, Correction, DepartmentFigures, Urge

        standing = Alert.objects.filter(resolved_on__isnull=True, revoked_on__isnull=True)
        for level in AlertLevel.values:
            # Reminders, yellow and red cards on cases and on steps.
            assert standing.filter(level=level, step__isnull=True, case__isnull=False).exists()
            assert standing.filter(level=level, step__isnull=False).exists()
        urges = {urge.status: urge for urge in Urge.objects.all()}
        assert urges["answered"].answer
        overdue = urges["open"]
        assert standing.filter(rule="urge_unanswered", subject__startswith=f"urge:{overdue.pk}:")
        correction = Correction.objects.get()
        assert correction.appealed_at is not None and correction.review == ""
        # The trend has days behind it, and the room's tiles have figures to add up.
        assert Alert.objects.values("raised_on").distinct().count() > 10
        assert DepartmentFigures.objects.filter(red__gt=0).exists()
        assert "urge notices" in demo_output

    def test_load_demo_loads_the_working_day_calendar(self, demo_output):
        assert CalendarYear.objects.filter(year=2026).exists()
        # 1 January 2026 is a Thursday and New Year's Day.
        assert CalendarDay.objects.get(date=date(2026, 1, 1)).is_workday is False

    def test_the_demo_has_a_published_answer_and_questions_in_the_clerks_queue(self, demo_output):
        from portal.models import Consultation

        published = Consultation.objects.get(published=True)
        guide = Client().get(f"/items/{published.item.code}/").content.decode()
        clerk = Client()
        clerk.force_login(get_user_model().objects.get(username="scj_clerk"))
        queue = clerk.get("/staff/consultations/").content.decode()

        assert published.faq_question in guide and "002X" not in guide
        assert "Online hall questions asked by this run: 3" in demo_output
        assert "Online hall questions asked by this run: 0" in load_demo()
        open_ones = Consultation.objects.filter(status="open", department__code="SCJ")
        assert open_ones.count() == 2
        for consultation in open_ones:
            assert f"/staff/consultations/{consultation.pk}/" in queue


def test_load_demo_refuses_in_production_and_writes_nothing(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    before = snapshot()

    with translation.override("en"), pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("load_demo", stdout=StringIO())

    assert snapshot() == before
    assert not ServiceCenter.objects.filter(code=CITY_CENTER).exists()
    assert not CalendarYear.objects.exists()
