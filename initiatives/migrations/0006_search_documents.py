"""Stored, weighted search documents on PostgreSQL (see Searchable in initiatives/models.py).

0003 indexed the search expression itself, so matching used the index but ranking
parsed every matching row's text again at query time: a word that matches thousands
of support cases took a quarter of a second. Here each searchable table gets a
``search_document`` column, kept by a trigger from the fields below (whoever writes the
row: the ORM, the admin, loaddata or the synthetic data's COPY), a GIN index on it,
and trigram indexes on the Korean names, which search and the lists' name filter
match by substring. 0003's expression indexes are dropped: nothing queries them now.
On other databases the column stays empty and search matches plainly.
"""

import importlib

import django.contrib.postgres.search
from django.db import migrations

# As the models' ``document_fields`` were when this migration was written
# (tests/test_search.py checks that the two agree). The first two weigh most.
CONFIG = "english"
DOCUMENT_FIELDS = {
    "agreement": ("name", "name_ko", "summary"),
    "council": ("name", "name_ko", "summary"),
    "meeting": ("name", "name_ko", "summary"),
    "ministry": ("name", "name_ko", "acronym"),
    "organization": ("name", "name_ko", "acronym"),
    "person": ("name", "name_ko"),
    "program": ("name", "name_ko", "summary"),
    "source": ("name", "name_ko", "publisher"),
    "supportcase": ("name", "name_ko", "sector"),
}
# The large tables, whose Korean names get a trigram index as 0004 gave their names.
# Most records have none, so the index leaves out empty ones: an index full of empty
# names misleads the planner's estimates (see models.base.name_contains).
TRIGRAM = ["agreement", "meeting", "supportcase", "organization", "person", "council"]
# 0003's index names.
EXPRESSION_INDEXES = [f"{model[:18]}_search_gin" for model in DOCUMENT_FIELDS]


def document(fields) -> str:
    """The tsvector expression of a row being written (``NEW``), name first."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', coalesce(NEW.\"{field}\", '')), "
        f"'{'A' if field in ('name', 'name_ko') else 'B'}')"
        for field in fields
    )


def statements():
    """(forward, backward) SQL for each table."""
    for model, fields in DOCUMENT_FIELDS.items():
        table = f"initiatives_{model}"
        function = f"{table}_search_document"
        watched = ", ".join(f'"{field}"' for field in (*fields, "search_document"))
        yield (
            f"""
            CREATE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW."search_document" := {document(fields)};
                RETURN NEW;
            END $$;
            CREATE TRIGGER "{model}_search_document"
                BEFORE INSERT OR UPDATE OF {watched} ON "{table}"
                FOR EACH ROW EXECUTE FUNCTION "{function}"();
            UPDATE "{table}" SET "search_document" = NULL;
            CREATE INDEX "{model}_search_document_idx" ON "{table}"
                USING gin ("search_document");
            """,
            f"""
            DROP INDEX "{model}_search_document_idx";
            DROP TRIGGER "{model}_search_document" ON "{table}";
            DROP FUNCTION "{function}"();
            """,
        )
    for model in TRIGRAM:
        name = f"{model}_name_ko_trgm_idx"
        yield (
            f'CREATE INDEX "{name}" ON "initiatives_{model}" '
            f'USING gin (UPPER("name_ko"::text) gin_trgm_ops) WHERE "name_ko" <> \'\'',
            f'DROP INDEX "{name}"',
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in EXPRESSION_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    for forward, _backward in statements():
        schema_editor.execute(forward)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _forward, backward in statements():
        schema_editor.execute(backward)
    previous = importlib.import_module("initiatives.migrations.0003_search_indexes")
    for model, index in previous.search_indexes(apps):
        schema_editor.add_index(model, index)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0005_loaded_fixture_rows'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreement',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='council',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='ministry',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='organization',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='person',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='program',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='source',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.AddField(
            model_name='supportcase',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, serialize=False, verbose_name='search document'),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
