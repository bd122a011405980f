"""Who may grant what: the user administrator manages accounts and roles, the catalog
administrator only the catalog (and, through workflow, the working-day calendar).

Until now the catalog administrator's group could add and change users and grant any role,
itself included. Its user and membership permissions move to the new user administrator's
group; an installation that relied on them asks a superuser to grant the new role.

The role log is an audit trail: on PostgreSQL the database refuses to change or delete its
rows, as it does for the case timeline (workflow migration 0007). TRUNCATE is left alone, so
that Django's ``flush`` still empties a test database; it is not a row-by-row edit and needs
the table's owner.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

USER_ADMINISTRATOR = "user_administrator"
CATALOG_ADMINISTRATOR = "catalog_administrator"

AUTH_USER_PERMS = ["add_user", "change_user", "view_user", "view_group"]
MEMBERSHIP_PERMS = [
    "add_staffmembership",
    "change_staffmembership",
    "delete_staffmembership",
    "view_staffmembership",
]
# The user administrator reads where a role is held (the membership form looks them up) and
# the role log.
USER_ADMINISTRATOR_CATALOG_PERMS = [
    *MEMBERSHIP_PERMS,
    "view_servicecenter",
    "view_department",
    "view_rolechange",
]

APPEND_ONLY = """
CREATE FUNCTION catalog_rolechange_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'role changes are append-only: % of role change % refused', TG_OP, OLD.id
        USING HINT = 'The role log is the audit trail of grants; grant or revoke instead.';
END
$$;

CREATE TRIGGER catalog_rolechange_append_only
BEFORE UPDATE OR DELETE ON catalog_rolechange
FOR EACH ROW EXECUTE FUNCTION catalog_rolechange_refuse_change();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS catalog_rolechange_append_only ON catalog_rolechange;
DROP FUNCTION IF EXISTS catalog_rolechange_refuse_change();
"""


def _permissions(apps, app_label, codenames):
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    user_perms = _permissions(apps, "auth", AUTH_USER_PERMS)
    user_administrator, _ = Group.objects.get_or_create(name=USER_ADMINISTRATOR)
    user_administrator.permissions.add(
        *user_perms, *_permissions(apps, "catalog", USER_ADMINISTRATOR_CATALOG_PERMS)
    )
    catalog_administrator, _ = Group.objects.get_or_create(name=CATALOG_ADMINISTRATOR)
    catalog_administrator.permissions.remove(
        *user_perms, *_permissions(apps, "catalog", MEMBERSHIP_PERMS)
    )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    catalog_administrator, _ = Group.objects.get_or_create(name=CATALOG_ADMINISTRATOR)
    catalog_administrator.permissions.add(
        *_permissions(apps, "auth", AUTH_USER_PERMS),
        *_permissions(apps, "catalog", MEMBERSHIP_PERMS),
    )
    Group.objects.filter(name=USER_ADMINISTRATOR).delete()


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the SQL holds RAISE's own % placeholders.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_user_administrator_and_role_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(_on_postgresql(APPEND_ONLY), _on_postgresql(DROP_APPEND_ONLY)),
    ]
