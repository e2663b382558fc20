"""Indexes for the lists' filters, facets and sorts (issue 6; bench/RESULTS.md shows them used).

The AddIndex operations mirror Meta.indexes. The RunPython at the end adds what only
PostgreSQL can hold, as 0003 does for search: the lists' default order
(``date DESC NULLS LAST, name``, which SQLite cannot index) and trigram indexes that
let ``name__icontains`` (the ``q`` filter, aliases and search) use an index.
"""

from django.db import migrations, models

LIST_ORDER = {"agreement": "signed_on", "meeting": "held_on"}
TRIGRAM = ["agreement", "meeting", "supportcase", "organization", "person", "council", "alias"]


def postgresql_indexes():
    """(name, CREATE INDEX statement) for each PostgreSQL-only index."""
    for model, field in LIST_ORDER.items():
        name = f"{model}_list_order_idx"
        yield name, (
            f'CREATE INDEX "{name}" ON "initiatives_{model}" '
            f'("{field}" DESC NULLS LAST, "name")'
        )
    for model in TRIGRAM:
        # icontains compares UPPER("name"::text); the index holds the same expression.
        name = f"{model}_name_trgm_idx"
        yield name, (
            f'CREATE INDEX "{name}" ON "initiatives_{model}" '
            f'USING gin (UPPER("name"::text) gin_trgm_ops)'
        )


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, statement in postgresql_indexes():
        schema_editor.execute(statement)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _statement in postgresql_indexes():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0003_search_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['name'], name='initiatives_agreement_name'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['kind', 'status'], name='agreement_kind_status_idx'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['signed_on'], name='agreement_signed_on_idx'),
        ),
        migrations.AddIndex(
            model_name='council',
            index=models.Index(fields=['name'], name='initiatives_council_name'),
        ),
        migrations.AddIndex(
            model_name='council',
            index=models.Index(fields=['kind', 'status'], name='council_kind_status_idx'),
        ),
        migrations.AddIndex(
            model_name='council',
            index=models.Index(fields=['established_on'], name='council_established_on_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['name'], name='initiatives_meeting_name'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['held_on'], name='meeting_held_on_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['country', 'held_on'], name='meeting_country_held_on_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['council', 'held_on'], name='meeting_council_held_on_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['kind', 'status'], name='meeting_kind_status_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['format'], name='meeting_format_idx'),
        ),
        migrations.AddIndex(
            model_name='metric',
            index=models.Index(fields=['name'], name='initiatives_metric_name'),
        ),
        migrations.AddIndex(
            model_name='ministry',
            index=models.Index(fields=['name'], name='initiatives_ministry_name'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['name'], name='initiatives_organization_name'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['kind', 'name'], name='organization_kind_name_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name'], name='initiatives_person_name'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(fields=['name'], name='initiatives_program_name'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(fields=['kind'], name='program_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(fields=['starts_on'], name='program_starts_on_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['name'], name='initiatives_source_name'),
        ),
        migrations.AddIndex(
            model_name='supportcase',
            index=models.Index(fields=['name'], name='initiatives_supportcase_name'),
        ),
        migrations.AddIndex(
            model_name='supportcase',
            index=models.Index(fields=['country', 'status'], name='supportcase_country_status_idx'),
        ),
        migrations.AddIndex(
            model_name='supportcase',
            index=models.Index(fields=['sector'], name='supportcase_sector_idx'),
        ),
        migrations.AddIndex(
            model_name='supportcase',
            index=models.Index(fields=['status'], name='supportcase_status_idx'),
        ),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
