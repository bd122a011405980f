"""The API tokens of rest_framework.authtoken were kept in plaintext and never expired; the API
now authenticates with django-rest-knox's hashed, expiring tokens, so the old ones stop working.

Their table goes with them, rather than staying behind as a list of secrets in every backup, and
so do the migration records of that app, so that installing it again would create its table
anew. The app's content type and permissions are left to ``manage.py remove_stale_contenttypes``.
Nothing comes back on reversal: the old tokens are gone for good.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder


def drop_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0010_steprun_role_choices"),
    ]

    operations = [migrations.RunPython(drop_plaintext_tokens, migrations.RunPython.noop)]
