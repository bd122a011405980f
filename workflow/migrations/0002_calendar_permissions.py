"""Catalog administrators maintain the working-day calendar."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="catalog_administrator")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workflow",
            content_type__model__in=["calendaryear", "calendarday"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("catalog", "0002_categories_and_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
