"""The timeline is the audit trail: on PostgreSQL the database itself refuses to change it.

The ORM already refuses (``CaseEventQuerySet``, ``CaseEvent.save``); these triggers also stop
raw SQL, a shell session and any other client of the database. Every role is refused an UPDATE
or a DELETE, the owner of the table included.

TRUNCATE is refused too, except to a role owning the table that asks for it in its session
(``SET approval_center.flush_case_events = 'on'``, or ``PGOPTIONS='-c
approval_center.flush_case_events=on'``): Django's ``flush``, which the transactional tests run
after each test, truncates every table. An owner can drop the triggers anyway, so the exception
gives it nothing more; the setting keeps an unintended ``manage.py flush`` from emptying the
timeline, and a role granted TRUNCATE without owning the table never gets through.

SQLite has no such triggers worth having here; there the ORM guard is the one guard.
"""

from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION workflow_caseevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only: % of event % refused', TG_OP, OLD.id
        USING HINT = 'The timeline is the audit trail; record a new event instead.';
END
$$;

CREATE TRIGGER workflow_caseevent_append_only
BEFORE UPDATE OR DELETE ON workflow_caseevent
FOR EACH ROW EXECUTE FUNCTION workflow_caseevent_refuse_change();

CREATE FUNCTION workflow_caseevent_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('approval_center.flush_case_events', true) = 'on'
       AND pg_has_role(
           current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
       ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'case events are append-only: TRUNCATE refused'
        USING HINT = 'Only the owner of the table, with approval_center.flush_case_events on.';
END
$$;

CREATE TRIGGER workflow_caseevent_no_truncate
BEFORE TRUNCATE ON workflow_caseevent
FOR EACH STATEMENT EXECUTE FUNCTION workflow_caseevent_refuse_truncate();

-- A joint case's timeline is held to the same rule.
CREATE TRIGGER workflow_jointcaseevent_append_only
BEFORE UPDATE OR DELETE ON workflow_jointcaseevent
FOR EACH ROW EXECUTE FUNCTION workflow_caseevent_refuse_change();

CREATE TRIGGER workflow_jointcaseevent_no_truncate
BEFORE TRUNCATE ON workflow_jointcaseevent
FOR EACH STATEMENT EXECUTE FUNCTION workflow_caseevent_refuse_truncate();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS workflow_jointcaseevent_no_truncate ON workflow_jointcaseevent;
DROP TRIGGER IF EXISTS workflow_jointcaseevent_append_only ON workflow_jointcaseevent;
DROP TRIGGER IF EXISTS workflow_caseevent_no_truncate ON workflow_caseevent;
DROP FUNCTION IF EXISTS workflow_caseevent_refuse_truncate();
DROP TRIGGER IF EXISTS workflow_caseevent_append_only ON workflow_caseevent;
DROP FUNCTION IF EXISTS workflow_caseevent_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the SQL holds RAISE's own % placeholders.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0006_joint_case_events"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(APPEND_ONLY), _on_postgresql(DROP_APPEND_ONLY)),
    ]
