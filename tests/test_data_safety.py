"""Nothing an editor does is lost: backups restore it, fixture reloads keep it, and
every migration can be undone and redone."""

import datetime
import json
import os
import shutil
import subprocess

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.dateparse import parse_datetime

from initiatives.models import Agreement, Alias, CooperationArea, Ministry
from tests import factories

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def editors_work() -> None:
    """What editors do between deployments: add records, correct fixture ones, relink."""
    korea = Ministry.objects.get(slug="mss")
    motie = factories.MinistryFactory(
        slug="motie", name="Ministry of Trade, Industry and Energy", country_code="kr"
    )
    factories.alias(motie, name="MOTIE")
    factories.AgreementFactory(
        slug="korea-chile-startup-mou-2026",
        name="Korea–Chile startup MOU",
        parties=(korea, motie),
        signed="2026-03-04",
        summary='Names with quotes, "ampersands" & 한글 survive.',
    )
    corrected = Agreement.objects.get(slug="mss-mofa-global-expansion-mou-2024")
    corrected.summary = "An editor's corrected summary."
    corrected.save()
    corrected.cooperation_areas.add(CooperationArea.objects.create(slug="fintech", name="Fintech"))
    Alias.objects.filter(person__slug="oh-young-ju").update(note="The embassy's spelling.")
    editor = User.objects.create_user("editor1", "editor1@example.org", "s3cret-passphrase")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])


def natural_dump(path) -> list[dict]:
    call_command("export_records", output=str(path), verbosity=0)
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        if row["model"] == "auth.user":
            row["fields"].pop("last_login", None)
        for name, value in row["fields"].items():
            # Many-to-many keys come in the related model's order, which ties leave open.
            if isinstance(value, list) and value and isinstance(value[0], list):
                row["fields"][name] = sorted(value)
            # Django's JSON writes times to the millisecond, and drops ".000" when a
            # restored time has no fraction left: compare the instants, not the spelling.
            elif isinstance(value, str) and "T" in value and (moment := parse_datetime(value)):
                row["fields"][name] = moment.isoformat(timespec="milliseconds")
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def empty_the_database() -> None:
    """As a freshly migrated database is, inside the test's transaction."""
    if connection.vendor == "postgresql":
        # PostgreSQL truncates no table with foreign-key checks still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_export_and_loaddata_restore_identical_records(portal_data, tmp_path):
    editors_work()
    before = natural_dump(tmp_path / "backup.json")
    counts = {model: model.objects.count() for model in apps.get_models()}
    assert {row["model"] for row in before} >= {"initiatives.agreement", "auth.user"}
    assert not any("pk" in row for row in before if row["model"] != "initiatives.country")

    empty_the_database()
    assert not Agreement.objects.exists()
    call_command("loaddata", str(tmp_path / "backup.json"), verbosity=0)
    call_command("rebuild_search_index", verbosity=0)

    assert natural_dump(tmp_path / "restored.json") == before
    restored = {model: model.objects.count() for model in apps.get_models()}
    # The change history and the review queue's log of it are pg_dump's to keep.
    history = [m for m in counts if m.__name__.startswith("Historical")]
    history += [m for m in counts if m.__name__ == "ChangeReview"]
    assert {m: n for m, n in restored.items() if m not in history} == {
        m: n for m, n in counts.items() if m not in history
    }
    editor = User.objects.get(username="editor1")
    assert editor.check_password("s3cret-passphrase")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]


def test_restore_keeps_times_to_the_millisecond(portal_data, tmp_path):
    """A time whose fraction is under a millisecond comes back whole-second, not shifted."""
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 999, tzinfo=datetime.UTC)
    Agreement.objects.filter(slug="mss-mofa-global-expansion-mou-2024").update(updated_at=moment)
    before = natural_dump(tmp_path / "backup.json")

    empty_the_database()
    call_command("loaddata", str(tmp_path / "backup.json"), verbosity=0)

    assert natural_dump(tmp_path / "restored.json") == before
    restored = Agreement.objects.get(slug="mss-mofa-global-expansion-mou-2024").updated_at
    assert restored == moment.replace(microsecond=0)


def snapshot() -> dict[str, list[str]]:
    """Every row of every portal table, history included, as plain values."""
    return {
        model._meta.label: sorted(
            json.dumps(row, sort_keys=True, default=str) for row in model.objects.values()
        )
        for model in apps.get_app_config("initiatives").get_models()
    }


def test_reloading_fixtures_after_editors_work_changes_nothing_at_all(portal_data):
    editors_work()
    before = snapshot()
    call_command("load_portal_data", verbosity=0)
    assert snapshot() == before


def test_reloading_fixtures_keeps_editors_work_including_deletions(portal_data):
    editors_work()
    Alias.objects.filter(ministry__slug="mofa").delete()
    before = snapshot()
    call_command("load_portal_data", verbosity=0)
    assert snapshot() == before
    assert not Alias.objects.filter(ministry__slug="mofa").exists()
    assert Ministry.objects.filter(slug="motie").exists()


def test_reloading_after_an_editor_renames_a_fixture_record_adds_no_second_copy(portal_data):
    Agreement.objects.filter(slug="mss-mofa-global-expansion-mou-2024").update(
        slug="mss-mofa-global-expansion-mou"
    )
    count = Agreement.objects.count()
    call_command("load_portal_data", verbosity=0)
    assert Agreement.objects.count() == count


# Migrations ---------------------------------------------------------------------------


def migrate_to(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


# Production's database; on SQLite the same walk only costs another minute of state rendering.
@pytest.mark.skipif(not ON_POSTGRESQL, reason="run on PostgreSQL, production's database")
@pytest.mark.django_db(transaction=True)
def test_every_migration_applies_backwards_and_forwards_again():
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("initiatives")[0]
    try:
        # Each migration is unapplied in turn down to none, then each applied again.
        migrate_to([("initiatives", None)])
        assert "initiatives_agreement" not in connection.introspection.table_names()
    finally:
        migrate_to([leaf])
    assert "initiatives_agreement" in connection.introspection.table_names()
    assert Group.objects.filter(name__in=["Editors", "Reviewers"]).count() == 2


# pg_dump: the full backup, change history and accounts included -------------------------


def pg_arguments(name: str) -> list[str]:
    db = settings.DATABASES["default"]
    arguments = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432)]
    return [*arguments, "--username", db["USER"], "--dbname", name]


def table_rows(dbname: str) -> dict[str, list]:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=dbname
    ) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"').fetchall()))
            for table in tables
        }


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump backs up PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_give_back_every_row(tmp_path):
    call_command("load_portal_data", verbosity=0)
    editors_work()
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restore"
    env = {**os.environ, "PGPASSWORD": settings.DATABASES["default"]["PASSWORD"] or ""}
    backup = tmp_path / "portal.dump"

    def run(*command):
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)

    run("pg_dump", "--format=custom", "--no-owner", "--file", str(backup), *pg_arguments(source))
    run("dropdb", "--if-exists", *pg_arguments(copy)[:-2], copy)
    run("createdb", *pg_arguments(copy)[:-2], copy)
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", *pg_arguments(copy), str(backup))
        original, restored = table_rows(source), table_rows(copy)
    finally:
        run("dropdb", "--if-exists", *pg_arguments(copy)[:-2], copy)
    assert len(original["initiatives_agreement"]) > 5
    assert original["initiatives_historicalagreement"]
    assert restored == original
