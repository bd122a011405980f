import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import (
    ApplicantType,
    ApprovalItem,
    CenterLevel,
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    Material,
    ProcessingType,
    ResultType,
    Role,
    ServiceCenter,
    StepTemplate,
    VersionStatus,
    Window,
    WindowKind,
)
from catalog.roles import CENTER_ROLES, membership_grant

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ServiceCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    level = CenterLevel.CITY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    center = factory.SubFactory(ServiceCenterFactory)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    center = factory.SubFactory(ServiceCenterFactory)
    number = factory.Sequence(lambda n: f"{n + 1:02d}")
    kind = WindowKind.DEPARTMENT


class ApprovalItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"330100-XK-D01-{n:04d}")


def _insert_as_history(model_class, *args, **kwargs):
    # Fixtures build published versions with their parts directly. save() refuses parts of a
    # published version (history is frozen), so the row goes in with bulk_create, which skips
    # save() the way loaddata does.
    return model_class._default_manager.bulk_create([model_class(*args, **kwargs)])[0]


def _category(code="XK"):
    return ItemCategory.objects.get(code=code)


class ItemVersionFactory(factory.django.DjangoModelFactory):
    """A published version by default; ``ItemVersionFactory(draft=True)`` for a draft."""

    class Meta:
        model = ItemVersion

    class Params:
        draft = factory.Trait(status=VersionStatus.DRAFT, published_at=None)
        immediate = factory.Trait(
            processing_type=ProcessingType.IMMEDIATE, promised_limit=0, statutory_limit=0
        )

    item = factory.SubFactory(ApprovalItemFactory)
    number = factory.LazyAttribute(lambda o: o.item.versions.count() + 1)
    status = VersionStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    name = factory.Sequence(lambda n: f"测试许可事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    category = factory.LazyFunction(_category)
    processing_type = ProcessingType.PROMISED
    applicant_type = ApplicantType.BOTH
    legal_basis = "《中华人民共和国行政许可法》"
    conditions = "符合法定条件"
    statutory_limit = 20
    promised_limit = 5
    must_enter_center = True
    entered_center = True
    result_type = ResultType.LICENCE


class StepTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepTemplate

    version = factory.SubFactory(ItemVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "承办"
    role = Role.HANDLER
    limit_days = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _insert_as_history(model_class, *args, **kwargs)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    version = factory.SubFactory(ItemVersionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    required = True
    copies = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _insert_as_history(model_class, *args, **kwargs)


class FeeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    version = factory.SubFactory(ItemVersionFactory)
    name = "工本费"
    amount = "10.00"
    legal_basis = "价格主管部门批准文件"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _insert_as_history(model_class, *args, **kwargs)


def staff_user(role: str, *, department=None, center=None, username=None):
    """A user holding ``role`` in ``department`` (or ``center`` for center-wide roles)."""
    user = UserFactory(username=username) if username else UserFactory()
    if department is None and center is None:
        if role in CENTER_ROLES:
            center = ServiceCenterFactory()
        else:
            department = DepartmentFactory()
    membership_grant(user=user, role=role, department=department, center=center)
    return user
