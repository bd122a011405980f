from django.contrib.auth.management import create_permissions
from django.db import migrations

# The catalog administrator (审改办) configures the supervision rules beside the catalog and the
# calendar, and reads the alerts the scan raised.
GRANTS = {
    "ruleset": ("add", "change", "delete", "view"),
    "rulethreshold": ("add", "change", "delete", "view"),
    "alert": ("view",),
}


def grant_catalog_administrator(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="catalog_administrator")
    for model, actions in GRANTS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="supervision",
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_supervision_models")]

    operations = [migrations.RunPython(grant_catalog_administrator, migrations.RunPython.noop)]
