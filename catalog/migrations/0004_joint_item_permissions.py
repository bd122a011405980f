"""Catalog administrators edit joint items; supervision officers read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="catalog", content_type__model="jointitem"
    )
    Group.objects.get_or_create(name="catalog_administrator")[0].permissions.add(*perms)
    Group.objects.get_or_create(name="supervision_officer")[0].permissions.add(
        *perms.filter(codename__startswith="view_")
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_joint_items")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
