"""Seed the category code list and one Django group per staff role, with its permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    # code, name, legacy, order
    ("XK", "行政许可", False, 10),
    ("QR", "行政确认", False, 20),
    ("JF", "行政给付", False, 30),
    ("CJ", "行政裁决", False, 40),
    ("JL", "行政奖励", False, 50),
    ("BA", "备案", False, 60),
    ("QT", "其他行政权力", False, 70),
    ("GG", "公共服务", False, 80),
    ("FXK", "非行政许可审批", True, 90),
]

ROLES = [
    "window_clerk",
    "handler",
    "reviewer",
    "approver",
    "chief_representative",
    "fee_clerk",
    "supervision_officer",
    "catalog_administrator",
]

CATALOG_MODELS = [
    "servicecenter",
    "department",
    "window",
    "staffmembership",
    "itemcategory",
    "approvalitem",
    "itemversion",
    "steptemplate",
    "material",
    "feeitem",
]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations ran; groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    ItemCategory = apps.get_model("catalog", "ItemCategory")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for code, name, legacy, order in CATEGORIES:
        ItemCategory.objects.update_or_create(
            code=code, defaults={"name": name, "is_legacy": legacy, "sort_order": order}
        )
    ensure_permissions(apps)
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in ROLES}
    catalog_perms = Permission.objects.filter(
        content_type__app_label="catalog", content_type__model__in=CATALOG_MODELS
    )
    user_perms = Permission.objects.filter(
        content_type__app_label="auth",
        codename__in=["add_user", "change_user", "view_user", "view_group"],
    )
    groups["catalog_administrator"].permissions.add(*catalog_perms, *user_perms)
    groups["supervision_officer"].permissions.add(
        *catalog_perms.filter(codename__startswith="view_")
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
