"""Writing the search index (models.search.SearchEntry): one entry per published record.

An entry is written from the record and the published records it links (``SPECS``):
its parties, country (English and Korean names) and the regions and groupings that
country belongs to, council, people, with their acronyms and aliases, so "Belgium MOU",
"유럽 협약" or "KOSME visa" find what a person means. Korean words are
indexed as the pairs of letters they hold ("벨기에와" as 벨기 기에 에와), so a Korean name
is found inside a word with a particle attached, by the same full-text index (PostgreSQL's
GIN, SQLite's FTS5) that serves English words.

Entries are kept in step by signals: saving or deleting a record, an alias, a citation,
a link row (a party, a participant, a post) or a many-to-many link writes the entries it
changes; so does renaming or deleting a region, or adding or removing its countries
(the entries of the records of those countries). Rows loaded raw (``loaddata``, the
loader) and the synthetic data's COPY write none: those callers run ``rebuild()`` when
done, and ``migrate`` builds an empty index.
"""

import multiprocessing
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)
from django.utils import translation

from .models import (
    Agreement,
    Alias,
    Citation,
    Council,
    Country,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Region,
    SearchEntry,
    Source,
    SupportCase,
    path_visibility,
)

CONFIG = "english"
FTS_TABLE = "initiatives_searchentry_fts"
CHUNK = 2000

# Hangul syllables and letters.
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


@dataclass(frozen=True)
class Spec:
    """What a kind's entry holds beyond its name and Korean name."""

    body: tuple[str, ...] = ()  # its own text fields
    links: tuple[str, ...] = ()  # paths to the records it links
    date: str = ""  # its partial date, if it has one
    place: str = ""  # its country


SPECS = {
    Agreement: Spec(
        body=("summary",),
        links=(
            "parties__ministry",
            "parties__ministry__country",
            "parties__signatory",
            "country",
            "cooperation_areas",
        ),
        date="signed_on",
        place="country",
    ),
    Ministry: Spec(links=("country",), place="country"),
    Council: Spec(
        body=("summary",),
        links=("country", "host_ministries", "mission", "parent", "established_under"),
        date="established_on",
        place="country",
    ),
    Meeting: Spec(
        body=("summary",),
        links=(
            "council",
            "country",
            "presided_by",
            "participants__person",
            "participants__organization",
            "participants__ministry",
            "related_agreements",
        ),
        date="held_on",
        place="country",
    ),
    SupportCase: Spec(
        body=("sector", "region", "challenge", "outcome"),
        links=("company", "country", "council", "reported_at"),
        place="country",
    ),
    Organization: Spec(links=("country", "parent_ministry"), place="country"),
    Person: Spec(links=("country", "posts__ministry", "posts__organization"), place="country"),
    Program: Spec(
        body=("summary",),
        links=("owner_ministries", "owner_organizations", "country", "related_agreements"),
        date="starts_on",
        place="country",
    ),
    Source: Spec(body=("publisher",), date="published_on"),
}
KINDS = {model._meta.model_name: model for model in SPECS}
# Words people use for a kind of record beyond its label in either language: an MOU is
# one of the agreements (the collection's name), usually called 업무협약 in Korean (협약
# within it); an agreement is also a 협약.
KIND_WORDS = {
    (Agreement, "mou"): ["agreement", "업무협약"],
    (Agreement, "agreement"): ["협약"],
}


def field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()}


def end_model(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def name_fields(model) -> list[str]:
    """The fields that name a linked or indexed record."""
    names = field_names(model)
    return [field for field in ("name", "name_ko", "acronym") if field in names]


# Text as the index reads it ------------------------------------------------------------


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def pairs(word: str) -> list[str]:
    """A Korean word as the pairs of letters it holds; a one-letter word as itself."""
    return [word] if len(word) < 2 else [word[i : i + 2] for i in range(len(word) - 1)]


def indexed(text: str) -> str:
    """``text`` as the full-text index is given it: Korean words as pairs of letters."""
    return HANGUL.sub(lambda run: " ".join(pairs(run[0])), normal(text))


def lines(values) -> str:
    seen = []
    for value in values:
        value = normal(value).strip()
        if value and value not in seen:
            seen.append(value)
    return "\n".join(seen)


# Building entries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The records from ``first`` to ``last`` (their primary keys) of a full rebuild: read
    by a range, which is cheaper to send and to plan than thousands of listed keys."""

    first: int
    last: int


def among(ids) -> Q:
    """The records of ``ids``: a list of primary keys, or a ``Span``."""
    if isinstance(ids, Span):
        return Q(pk__gte=ids.first, pk__lte=ids.last)
    return Q(pk__in=ids)


def collect(model, ids, path: str, columns: list[str], distinct=False) -> dict[int, list[str]]:
    """For each record of ``ids``: the values of ``columns`` of the published records at
    ``path`` (one query); each set of values once if ``distinct`` (a source's citations
    repeat its quotes: the synthetic one is quoted by every synthetic record)."""
    found: dict[int, list[str]] = {}
    lookups = [f"{path}__{column}" for column in columns]
    rows = (
        model._base_manager.filter(path_visibility(model, path), among(ids))
        .order_by()
        .values_list("pk", *lookups)
    )
    if distinct:
        rows = rows.distinct()
    for pk, *values in rows:
        found.setdefault(pk, []).extend(value for value in values if value)
    return found


def entries_for(model, ids) -> list[SearchEntry]:
    """The entries of the published records of ``model`` among ``ids``."""
    return [SearchEntry(**fields) for fields in entry_fields(model, ids)]


def entry_fields(model, ids) -> list[dict]:
    """The fields of the entries of the published records of ``model`` among ``ids`` (a
    list of keys or a ``Span``), by attribute name: what ``entries_for`` makes entries of,
    and what a full rebuild copies without making model instances (each costs microseconds)."""
    spec = SPECS[model]
    kind = model._meta.model_name
    own = name_fields(model)
    date = [spec.date, f"{spec.date}_precision", f"{spec.date}_inferred"] if spec.date else []
    place = [f"{spec.place}__name", f"{spec.place}__name_ko"] if spec.place else []
    rows = (
        model._base_manager.filter(among(ids), is_published=True)
        .order_by()
        .values_list("pk", *own, *spec.body, *date, *place)
    )
    records = {row[0]: row[1:] for row in rows}
    if not records:
        return []
    if not isinstance(ids, Span):
        ids = list(records)
    labelled: dict[int, list[str]] = {}
    kind_field = model._meta.get_field("kind") if "kind" in field_names(model) else None
    if kind_field is not None and kind_field.choices:
        # What kind of record it is, as written ("MOU") and in both languages.
        labels = {}
        for value, label in kind_field.choices:
            with translation.override("en"):
                english = str(label)
            with translation.override("ko"):
                korean = str(label)
            labels[value] = [
                value.replace("-", " "),
                english,
                korean,
                *KIND_WORDS.get((model, value), []),
            ]
        kinds = model._base_manager.filter(among(ids)).values_list("pk", "kind")
        for pk, value in kinds:
            labelled[pk] = labels.get(value, [])
    aliases = collect(model, ids, "aliases", ["name"]) if "aliases" in field_names(model) else {}
    quotes = (
        collect(model, ids, "citations", ["quote"], distinct=True)
        if "citations" in field_names(model)
        else {}
    )
    linked: dict[int, list[str]] = {}
    for path in spec.links:
        target = end_model(model, path)
        for pk, values in collect(model, ids, path, name_fields(target)).items():
            linked.setdefault(pk, []).extend(values)
        if "aliases" in field_names(target):
            for pk, values in collect(model, ids, f"{path}__aliases", ["name"]).items():
                linked.setdefault(pk, []).extend(values)
        if target is Country:
            # The regions and groupings its countries belong to ("Europe", "ASEAN", 유럽).
            regions = collect(model, ids, f"{path}__regions", ["name", "name_ko"])
            for pk, values in regions.items():
                linked.setdefault(pk, []).extend(values)
    entries = []
    for pk, values in records.items():
        values = list(values)
        names = [values.pop(0) for _field in own]
        body = [values.pop(0) for _field in spec.body]
        when = [values.pop(0) for _field in date]
        where = [values.pop(0) for _field in place]
        entries.append(
            {
                "kind": kind,
                "record_id": pk,
                "name": names[0],
                "name_ko": names[1] if len(names) > 1 else "",
                "names": lines(names),
                "aliases": lines(aliases.get(pk, [])),
                "labels": ", ".join(labelled.get(pk, [])),
                "linked": lines(linked.get(pk, [])),
                "body": lines([*body, *quotes.get(pk, [])]),
                "date": when[0] if when else None,
                "date_precision": (when[1] or "") if when and when[0] else "",
                "date_inferred": bool(when[2]) if when and when[0] else False,
                "place": (where[0] or "") if where else "",
                "place_ko": (where[1] or "") if where else "",
            }
        )
    return entries


def write(model, ids) -> None:
    """Write the entries of the records of ``model`` among ``ids``: an entry for each one
    published, none for the others."""
    kind = model._meta.model_name
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            stale = list(
                SearchEntry.objects.filter(kind=kind, record_id__in=chunk).values_list(
                    "pk", flat=True
                )
            )
            # Deleted as rows (a queryset's delete() would read every entry and signal
            # each one), from the FTS table too on SQLite.
            tables = [("initiatives_searchentry", "id")]
            if connection.vendor == "sqlite":
                tables.append((FTS_TABLE, "rowid"))
            with connection.cursor() as cursor:
                for begin in range(0, len(stale), 500):
                    part = stale[begin : begin + 500]
                    marks = ", ".join(["%s"] * len(part))
                    for table, key in tables:
                        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", part)
            insert(entries_for(model, chunk))


def columns(entry) -> tuple[str, str, str, str]:
    """An entry's four searched columns as the full-text index reads them."""
    return searched(vars(entry))


def searched(fields: dict) -> tuple[str, str, str, str]:
    """The four searched columns of an entry's fields (by attribute name)."""
    return (
        indexed(f"{fields['names']}\n{fields['labels']}"),
        indexed(fields["aliases"]),
        indexed(fields["linked"]),
        indexed(fields["body"]),
    )


def document_sql(source: str) -> str:
    """The expression of an entry's document from its four searched columns (``doc_a``
    to ``doc_d`` of ``source``). Names and other names weigh most (A), linked records
    next (B), text least (C)."""
    return (
        f"setweight(to_tsvector('{CONFIG}', {source}.doc_a), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', {source}.doc_b), 'A') || "
        f"setweight(to_tsvector('{CONFIG}', {source}.doc_c), 'B') || "
        f"setweight(to_tsvector('{CONFIG}', {source}.doc_d), 'C')"
    )


def stored() -> list[tuple[str, str, str]]:
    """The columns an entry is written with (all but its id and document): each one's
    attribute, quoted name and array type."""
    return [
        (
            field.attname,
            connection.ops.quote_name(field.column),
            field.db_type(connection).split("(")[0] + "[]",
        )
        for field in SearchEntry._meta.concrete_fields
        if field.name not in ("id", "document")
    ]


def insert(entries) -> None:
    """Write new entries and their full-text documents, a chunk in one statement each."""
    if not entries:
        return
    if connection.vendor == "postgresql":
        # One INSERT ... SELECT over arrays (one per column): PostgreSQL computes every
        # document (to_tsvector) in the same statement.
        fields = stored()
        arrays = [[getattr(entry, attname) for entry in entries] for attname, _c, _t in fields]
        texts = list(zip(*(columns(entry) for entry in entries), strict=True))
        casts = [f"%s::{array}" for _attname, _column, array in fields]
        listed = ", ".join(column for _attname, column, _array in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO initiatives_searchentry ({listed}, document) "
                f"SELECT {listed}, {document_sql('t')} "
                f"FROM unnest({', '.join(casts)}, %s::text[], %s::text[], %s::text[], "
                f"%s::text[]) AS t({listed}, doc_a, doc_b, doc_c, doc_d)",
                [*arrays, *(list(column) for column in texts)],
            )
        return
    entries = SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # OR REPLACE: a row a flush left behind (``flush`` empties the model tables,
            # not this virtual table, and the entries' keys start again from 1) gives way
            # to the entry now holding its key, as a restore after a flush needs.
            cursor.executemany(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, kind, names, aliases, linked, body) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [(entry.pk, entry.kind, *columns(entry)) for entry in entries],
            )


def rebuild(models=None, *, workers: int = 1) -> int:
    """Write every entry again (after a raw load or a bulk COPY); the number written.
    ``workers`` above 1 splits a full rebuild on PostgreSQL over that many processes
    when the records are committed (called outside a transaction); see
    ``rebuild_in_parallel``."""
    if models is None and connection.vendor == "postgresql":
        if workers > 1 and not connection.in_atomic_block:
            rebuild_in_parallel(workers)
        else:
            with transaction.atomic():
                rebuild_postgresql()
        return SearchEntry.objects.count()
    with transaction.atomic():
        if models is None:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM initiatives_searchentry")
                if connection.vendor == "sqlite":
                    cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for model in models or SPECS:
            ids = model._base_manager.filter(is_published=True).values_list("pk", flat=True)
            write(model, ids.order_by("pk").iterator(chunk_size=CHUNK))
    return SearchEntry.objects.count()


# A full rebuild on PostgreSQL ---------------------------------------------------------------

STAGING = "search_entry_staging"
REBUILD_CHUNK = 10000


def spans(model, size: int = REBUILD_CHUNK):
    """The published records of ``model`` as ``Span``s of ``size`` records, in key order."""
    ids = model._base_manager.filter(is_published=True).order_by("pk").values_list("pk", flat=True)
    ids = list(ids)
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield Span(part[0], part[-1])


def rebuild_postgresql() -> None:
    """Every entry written again in one transaction, several times faster than entry by
    entry: the table emptied at once (TRUNCATE), its full-text indexes (GIN) dropped and
    built once at the end rather than kept up row by row, each chunk's entries copied
    (COPY) into a temporary table and moved into the index with their documents in one
    statement. The table is locked against readers until the transaction ends, as a bulk
    load is."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        indexes = emptied_without_indexes(cursor)
        for model in SPECS:
            for span in spans(model):
                write_span(cursor, model, span)
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE initiatives_searchentry")


def emptied_without_indexes(cursor) -> list[tuple[str, str]]:
    """Empty the index's table and drop its GIN indexes: their names and definitions."""
    cursor.execute("SET LOCAL synchronous_commit = off")
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s AND indexdef LIKE '%% USING gin %%'",
        [SearchEntry._meta.db_table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    cursor.execute("TRUNCATE initiatives_searchentry")
    return indexes


def write_span(cursor, model, span: Span) -> None:
    """Add the entries of ``model``'s published records in ``span`` (none written yet)."""
    fields = stored()
    listed = ", ".join(column for _attname, column, _array in fields)
    attnames = [attname for attname, _column, _array in fields]
    # Read before the COPY starts: the connection serves nothing else during it.
    entries = entry_fields(model, span)
    columns = ", ".join(f"{column} {array[:-2]}" for _attname, column, array in fields)
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ({columns}, doc_a text, "
        "doc_b text, doc_c text, doc_d text) ON COMMIT DROP"
    )
    with cursor.cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
        for entry in entries:
            copy.write_row([*(entry[name] for name in attnames), *searched(entry)])
    cursor.execute(
        f"INSERT INTO initiatives_searchentry ({listed}, document) "
        f"SELECT {listed}, {document_sql('s')} FROM {STAGING} s"
    )
    cursor.execute(f"TRUNCATE {STAGING}")


def rebuild_in_parallel(workers: int) -> None:
    """A full rebuild split over ``workers`` processes (PostgreSQL, records committed):
    each writes every ``workers``-th chunk on its own connection, then the GIN indexes
    are built side by side, one per connection. Faster on several cores than
    ``rebuild_postgresql``, but not one transaction: the index is empty, then partly
    written, while it runs; for loading a database (seed_synthetic), not a live site."""
    with transaction.atomic(), connection.cursor() as cursor:
        indexes = emptied_without_indexes(cursor)
    try:
        jobs = [(model._meta.label, span) for model in SPECS for span in spans(model)]
        connections.close_all()  # a forked process must not share the parent's socket
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            pool.map(write_spans, [jobs[start::workers] for start in range(workers)])
    finally:
        with ThreadPoolExecutor(max_workers=len(indexes) or 1) as threads:
            list(threads.map(build_index, [definition for _name, definition in indexes]))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE initiatives_searchentry")


def write_spans(jobs) -> None:
    """In a worker process: write the entries of ``jobs`` (model label, span), then
    commit."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for label, span in jobs:
            write_span(cursor, apps.get_model(label), span)
    connections.close_all()


def build_index(definition: str) -> None:
    """In a thread, on its own connection: build one index."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
    finally:
        connection.close()


# Keeping entries in step -----------------------------------------------------------------


def dependents(instance) -> list[tuple[type, list[int]]]:
    """The records whose entries name ``instance`` (a record or a country)."""
    return linking(type(instance), [instance.pk])


def linking(kind, pks) -> list[tuple[type, list[int]]]:
    """The records whose entries name any of the records (or countries) ``pks`` of
    ``kind``."""
    found = []
    pks = list(pks)
    if not pks:
        return found
    for model, spec in SPECS.items():
        for path in spec.links:
            steps = path.split("__")
            for end in range(1, len(steps) + 1):
                prefix = "__".join(steps[:end])
                if end_model(model, prefix) is kind:
                    ids = list(
                        model._base_manager.filter(**{f"{prefix}__in": pks})
                        .order_by()
                        .values_list("pk", flat=True)
                        .distinct()
                    )
                    if ids:
                        found.append((model, ids))
    return found


def in_region(region) -> list[tuple[type, list[int]]]:
    """The records whose entries name ``region``: those linking one of its countries."""
    return linking(Country, region.countries.values_list("pk", flat=True))


def owners(instance) -> list[tuple[type, list[int]]]:
    """The records whose entries a link row (a party, a participant, a post, an alias, a
    citation) is part of."""
    kind = type(instance)
    found = []
    if kind in (Alias, Citation):
        try:
            target = instance.arc_target
        except (StopIteration, ObjectDoesNotExist):
            return found  # no target, or deleted with it
        if target is not None and type(target) in SPECS:
            found.append((type(target), [target.pk]))
            if kind is Alias:
                found.extend(dependents(target))
        return found
    for model, spec in SPECS.items():
        for path in spec.links:
            first = path.split("__")[0]
            field = model._meta.get_field(first)
            if field.one_to_many and field.related_model is kind:
                pk = getattr(instance, f"{field.field.name}_id", None)
                if pk is not None:
                    found.append((model, [pk]))
    return found


def refresh(instance, *, deleted=False) -> None:
    kind = type(instance)
    work = []
    if kind in SPECS:
        work.append((kind, [instance.pk]))
        work.extend(dependents(instance))
    elif kind is Country:
        work.extend(dependents(instance))
    elif kind is Region:
        work.extend(getattr(instance, "_search_dependents", None) or in_region(instance))
    else:
        work.extend(owners(instance))
    for model, ids in work:
        write(model, ids)


LINK_ROWS = set()
for _model, _spec in SPECS.items():
    for _path in _spec.links:
        _field = _model._meta.get_field(_path.split("__")[0])
        if _field.one_to_many:
            LINK_ROWS.add(_field.related_model)
WATCHED = {*SPECS, Country, Region, Alias, Citation, *LINK_ROWS}


def saved(sender, instance, raw=False, **kwargs):
    if sender in WATCHED and not raw:
        refresh(instance)


def deleted(sender, instance, **kwargs):
    if sender in WATCHED:
        refresh(instance, deleted=True)


def linked_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if type(instance) in SPECS:
        write(type(instance), [instance.pk])
    if model in SPECS and pk_set:
        write(model, pk_set)
    if action == "post_clear" and reverse:
        # The records that named ``instance`` are not known any more: write its dependents.
        for dependent, ids in dependents(instance):
            write(dependent, ids)


def region_deleting(sender, instance, **kwargs):
    """Before a region goes (and its countries with it): the records it named, written
    again once it has gone."""
    instance._search_dependents = in_region(instance)


def region_countries_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A region gains or loses countries: the records of those countries name it or not."""
    if action == "pre_clear":
        # Which countries are about to leave is not known after the clear.
        if reverse:
            instance._search_countries = [instance.pk]
        else:
            instance._search_countries = list(instance.countries.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        countries = getattr(instance, "_search_countries", [])
    else:
        countries = [instance.pk] if reverse else list(pk_set or ())
    for dependent, ids in linking(Country, countries):
        write(dependent, ids)


def built(sender, app_config=None, using="default", **kwargs):
    """After ``migrate``: an index that is empty while published records exist is built."""
    if app_config is None or app_config.label != "initiatives":
        return
    if SearchEntry.objects.using(using).exists():
        return
    if connections[using].vendor == "sqlite":
        # ``flush`` (which sends post_migrate too) empties only Django's tables: the
        # full-text rows it leaves describe no entry, and new entries, numbered from 1
        # again, would collide with them.
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    if any(model._base_manager.using(using).filter(is_published=True).exists() for model in SPECS):
        rebuild()


def connect() -> None:
    post_save.connect(saved, dispatch_uid="search-index-saved")
    post_delete.connect(deleted, dispatch_uid="search-index-deleted")
    through = {field.remote_field.through for model in SPECS for field in model._meta.many_to_many}
    for model in through:
        m2m_changed.connect(linked_changed, sender=model, dispatch_uid=f"search-index-{model}")
    pre_delete.connect(region_deleting, sender=Region, dispatch_uid="search-index-region")
    m2m_changed.connect(
        region_countries_changed,
        sender=Region.countries.through,
        dispatch_uid="search-index-region-countries",
    )
    post_migrate.connect(built, dispatch_uid="search-index-built")
