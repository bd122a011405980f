"""The name's pinyin on each version, for the hall's search, and trigram indexes on PostgreSQL.

Published and superseded versions get their pinyin here; from now on publishing sets it
(catalog.versions.item_version_publish). QuerySet.update() is used on purpose: it does not go
through ItemVersion.save()'s history guard, and the pinyin is search data, not history.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = """
CREATE INDEX IF NOT EXISTS catalog_itemversion_name_trgm
    ON catalog_itemversion USING gin (name gin_trgm_ops) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS catalog_itemversion_pinyin_trgm
    ON catalog_itemversion USING gin (search_pinyin gin_trgm_ops) WHERE status = 'published';
"""
DROP_TRIGRAM_INDEXES = """
DROP INDEX IF EXISTS catalog_itemversion_name_trgm;
DROP INDEX IF EXISTS catalog_itemversion_pinyin_trgm;
"""


def backfill(apps, schema_editor):
    from catalog.search_terms import name_pinyin

    ItemVersion = apps.get_model("catalog", "ItemVersion")
    for pk, name in ItemVersion.objects.exclude(status="draft").values_list("pk", "name"):
        ItemVersion.objects.filter(pk=pk).update(search_pinyin=name_pinyin(name))


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_user_administrator_permissions"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="itemversion",
            name="search_pinyin",
            field=models.CharField(
                blank=True, editable=False, max_length=800, verbose_name="pinyin of the name"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(
            _on_postgresql(TRIGRAM_INDEXES), _on_postgresql(DROP_TRIGRAM_INDEXES)
        ),
    ]
