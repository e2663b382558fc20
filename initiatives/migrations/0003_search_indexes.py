"""GIN indexes for full-text search on PostgreSQL (see initiatives/search.py).

Each index is on the very expression the search filters by, so PostgreSQL can use
it. Other databases search with a plain match and get no index. The indexes are
created here rather than declared in Meta.indexes because they exist only on
PostgreSQL.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# As initiatives.search.SEARCHED had them when this migration was written
# (tests/test_search.py checks that the two agree).
CONFIG = "english"
SEARCHED = {
    "Agreement": ("name", "name_ko", "summary"),
    "Ministry": ("name", "name_ko", "acronym"),
    "Council": ("name", "name_ko", "summary"),
    "Meeting": ("name", "name_ko", "summary"),
    "SupportCase": ("name", "name_ko", "sector"),
    "Organization": ("name", "name_ko", "acronym"),
    "Person": ("name", "name_ko"),
    "Program": ("name", "name_ko", "summary"),
    "Source": ("name", "name_ko", "publisher"),
}


def search_indexes(apps):
    for model_name, fields in SEARCHED.items():
        model = apps.get_model("initiatives", model_name)
        name = f"{model._meta.model_name[:18]}_search_gin"
        yield model, GinIndex(SearchVector(*fields, config=CONFIG), name=name)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in search_indexes(apps):
        schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in search_indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_editor_roles")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
