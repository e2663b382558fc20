"""A collection's records as flat rows, read straight from the database, in the shape
its serializer declares.

The serializer (``api/serializers.py``) stays the one description of a record outside
HTML. For a table (CSV), each of its fields becomes one or more columns:

- a field of the record (a name, a status, a date and time) is read as a value and
  written by the serializer field itself (``to_representation``);
- a partial date is two columns: its value to its precision and whether it was inferred;
- a linked record (``RelatedKeyField``) is its key (slug or code), empty where the
  link is to a draft;
- a list of linked records, or of rows (parties, aliases, citations), is one column
  per entry of the nested serializer's ``Meta.tabular`` ({column suffix: field}),
  the values joined by "; "; a list with no ``tabular`` (figures) is left out;
- a nested object read from the record itself (a budget) is one column per field;
- a method field is read from the serializer's ``tabular_sources`` ({field: lookup,
  or a tuple of links of which one is made, or the record's own address}).

For people (``readable``, the CSV and Excel files of the lists), a table also says
what the codes mean, each in a column of its own beside the code, so that the code
columns stay the API's and the same in every language: a linked record's name
(``country_name``, ``parties_signatory_name``) in the reader's language, and a
choice's label (``kind_label``). A list laid out in more than one column (parties:
ministry, country, signatory) keeps its entries aligned: the n-th value of each
column belongs to the n-th entry, an unknown value left empty.

Rows are read as values, in chunks, and each list for a whole chunk in one query:
no model instance is built, which is what makes a table of 200,000 records take
seconds rather than minutes. ``tests/test_csv.py`` checks that every collection's
table says what its serializer says, record by record.
"""

import functools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, transaction
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .api.serializers import (
    API_URL,
    PAGE_URL,
    PartialDateField,
    RelatedKeyField,
    RelatedKeysField,
)
from .dates import PartialDate, Precision
from .models import Country, path_visibility, visibility
from .places import korean_city_name, korean_city_names

JOIN = "; "
NUMBERS = (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)
CHUNK_SIZE = 2000
SLUG_MARK = "slug-mark-0"


def joined(values) -> str:
    """Distinct values in their order, joined (a source cited twice is named once)."""
    return JOIN.join(dict.fromkeys(str(v) for v in values if v not in (None, "")))


def key_name(model) -> str:
    return "code" if model is Country else "slug"


def follow(model, path: str):
    """The model at the end of ``path`` (a lookup of relations)."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def in_korean() -> bool:
    return (get_language() or "").startswith("ko")


def public_key(model, path: str, *, name: bool = False):
    """The key of the record ``path`` links to (or its name, in the interface's language
    where it has one), or None where that record is a draft."""
    if name:
        key = F(f"{path}__name")
        if in_korean() and has_korean_name(follow(model, path)):
            key = Coalesce(NullIf(F(f"{path}__name_ko"), Value("")), key)
    else:
        key = F(f"{path}__{key_name(follow(model, path))}")
    condition = path_visibility(model, path)
    if not condition:
        return key
    return Case(When(condition, then=key), default=Value(None))


def first_of(model, paths, *, name: bool = False) -> Coalesce | F:
    """The key (or name) of whichever of ``paths`` links somewhere (an exclusive arc)."""
    keys = [public_key(model, path, name=name) for path in paths]
    return Coalesce(*keys) if len(keys) > 1 else keys[0]


def field_title(model, name: str, serializer_field):
    """A column's title for people: its model field's name (translated), else the title
    given here, else the serializer field's label (DRF makes one from the name)."""
    if name in TITLES:
        return capfirst(TITLES[name])
    source = serializer_field.source
    path = name if source in (None, "*", "") else source.replace(".", "__")
    *links, last = path.split("__")
    try:
        target = follow(model, "__".join(links)) if links else model
        found = target._meta.get_field(last)
    except (AttributeError, FieldDoesNotExist):
        found = None
    if found is not None and hasattr(found, "verbose_name"):
        return capfirst(found.verbose_name)
    if found is not None:  # a reverse relation: the records at its other end
        return capfirst(found.related_model._meta.verbose_name_plural)
    return serializer_field.label or capfirst(name.replace("_", " "))


# Titles of columns that no model field names.
TITLES = {
    "url": _("API address"),
    "html_url": _("page address"),
    "address": _("address"),
    "citation_count": _("citations"),
    "participant": _("participant"),
    "budget": _("budget"),
    "relations": _("relations to other agreements"),
    "related_by": _("relations from other agreements"),
}
PART_TITLES = {
    "name": _("%(field)s: name"),
    "label": _("%(field)s: label"),
    "precision": _("%(field)s: precision"),
    "inferred": _("%(field)s: inferred"),
}


@dataclass
class ListOf:
    """A list read for a chunk of records at once: (record id, *values) rows, each
    entry kept as the tuple of its values in the order of ``values``."""

    relation: str
    back: str  # the lookup from the listed rows to the record
    model: type
    values: dict[str, object] = field(default_factory=dict)

    def read(self, ids) -> dict[int, list[tuple]]:
        rows = self.model._default_manager.filter(**{f"{self.back}__in": one_of(ids)})
        back_field = self.back if "__" not in self.back else ""
        rows = rows.filter(visibility(self.model, back=back_field))
        found = defaultdict(list)
        names = list(self.values)
        annotated = rows.annotate(
            **{f"tabular_{name}": expression for name, expression in self.values.items()}
        )
        for parent, *cells in annotated.values_list(
            self.back, *(f"tabular_{name}" for name in names)
        ):
            found[parent].append(tuple(cells))
        return found


class Plan:
    """How a serializer's records are read and laid flat (see the module's docstring).

    ``readable`` adds the columns for people: names beside keys, labels beside codes.
    """

    def __init__(self, serializer_class, model, *, request=None, readable: bool = False):
        self.model = model
        self.serializer = serializer_class(context={"request": request})
        self.request = request
        self.readable = readable
        self.values: dict[str, object] = {"tabular_pk": F("pk")}
        self.lists: dict[str, ListOf] = {}
        self.columns: list[tuple[str, callable]] = []
        # Columns written into the compiled row function (``compiled``) rather than
        # called: {column's position: (its expression, with "{}" fields for the values
        # it needs, those values)}.
        self.inline: dict[int, tuple[str, dict]] = {}
        self.titles: dict[str, object] = {}
        # Columns that are not plain text: "date" (a partial date), "number".
        self.column_kinds: dict[str, str] = {}
        sources = getattr(self.serializer, "tabular_sources", {})
        for name, serializer_field in self.serializer.fields.items():
            before = len(self.columns)
            self.add(name, serializer_field, sources.get(name))
            self.title_columns(name, serializer_field, before)

    def title_columns(self, name, serializer_field, before):
        """Each new column's title for people: the field's, with what the column holds."""
        title = field_title(self.model, name, serializer_field)
        child = getattr(serializer_field, "child", None)
        for header, _cell in self.columns[before:]:
            rest = header.removeprefix(name).removeprefix("_")
            if not rest:
                self.titles[header] = title
                continue
            part = rest
            if isinstance(child, serializers.Serializer) and rest.split("_")[0] in child.fields:
                key = getattr(child.Meta, "tabular", {}).get(rest.removesuffix("_name"), rest)
                part = key if key in child.fields else rest.removesuffix("_name")
                part_title = field_title(child.Meta.model, part, child.fields[part])
                column_title = _("%(field)s: %(part)s") % {"field": title, "part": part_title}
                if rest.endswith("_name") and rest.removesuffix("_name") in (
                    getattr(child.Meta, "tabular", {})
                ):
                    column_title = PART_TITLES["name"] % {"field": column_title}
                self.titles[header] = column_title
            elif isinstance(serializer_field, serializers.Serializer) and rest in (
                serializer_field.fields
            ):
                self.titles[header] = _("%(field)s: %(part)s") % {
                    "field": title,
                    "part": field_title(self.model, rest, serializer_field.fields[rest]),
                }
            elif rest in PART_TITLES:
                self.titles[header] = PART_TITLES[rest] % {"field": title}
            else:
                self.titles[header] = f"{title}: {rest}"

    # Columns ------------------------------------------------------------------------

    def value(self, name: str, expression) -> str:
        alias = f"tabular_{name}"
        self.values[alias] = expression
        return alias

    def add(self, name, serializer_field, source):
        if source in (API_URL, PAGE_URL):
            self.columns.append((name, self.address(source)))
        elif source is not None:
            alias = self.value(
                name, first_of(self.model, source) if isinstance(source, tuple) else F(source)
            )
            self.plain(name, alias)
        elif isinstance(serializer_field, PartialDateField):
            for part in ("", "_precision", "_inferred"):
                self.value(f"{name}{part}", F(f"{name}{part}"))
            self.column_kinds[name] = "date"
            self.columns += [
                (name, lambda row, n=name: partial_date_value(row, n)),
                (f"{name}_precision", lambda row, n=name: partial_date_precision(row, n)),
                (
                    f"{name}_inferred",
                    lambda row, n=name: "yes" if row[f"tabular_{n}_inferred"] else "",
                ),
            ]
        elif isinstance(serializer_field, RelatedKeyField):
            path = serializer_field.source.replace(".", "__")
            alias = self.value(name, public_key(self.model, path))
            self.plain(name, alias)
            if self.readable:
                alias = self.value(f"{name}_name", public_key(self.model, path, name=True))
                self.plain(f"{name}_name", alias)
        elif isinstance(serializer_field, RelatedKeysField | serializers.ManyRelatedField):
            relation = serializer_field.source
            target = self.model._meta.get_field(relation).related_model
            key = getattr(
                getattr(serializer_field, "child_relation", None), "slug_field", key_name(target)
            )
            values = {"": F(key)}
            if self.readable and key != "name":
                values["name"] = name_of(target)
            self.add_list(name, relation, values)
        elif isinstance(serializer_field, serializers.ListSerializer):
            child = serializer_field.child
            tabular = getattr(child.Meta, "tabular", {})
            if tabular:
                relation = serializer_field.source
                child_model = self.model._meta.get_field(relation).related_model
                child_sources = getattr(child, "tabular_sources", {})
                values = {}
                for suffix, key in tabular.items():
                    field, source = child.fields[key], child_sources.get(key)
                    values[suffix] = self.child_value(child_model, field, source)
                    if self.readable and (
                        isinstance(field, RelatedKeyField) or isinstance(source, tuple)
                    ):
                        values[f"{suffix}_name" if suffix else "name"] = self.child_value(
                            child_model, field, source, name=True
                        )
                self.add_list(name, relation, values)
        elif isinstance(serializer_field, serializers.Serializer):
            # An object read from the record itself ("*"): absent when its first field is.
            parts = {
                key: self.value(f"{name}_{key}", F(part.source))
                for key, part in serializer_field.fields.items()
            }
            first = next(iter(parts.values()))
            for key, alias in parts.items():
                part = serializer_field.fields[key]
                if isinstance(part, NUMBERS):
                    self.column_kinds[f"{name}_{key}"] = "number"
                self.columns.append(
                    (
                        f"{name}_{key}",
                        lambda row, a=alias, f=first, p=part: (
                            "" if row[f] is None else cell(p.to_representation(row[a]))
                        ),
                    )
                )
        elif isinstance(serializer_field, serializers.DateTimeField) and is_utc():
            alias = self.value(name, F(serializer_field.source))
            self.columns.append(
                (name, lambda row, a=alias: "" if row[a] is None else iso_datetime(row[a]))
            )
        else:
            if isinstance(serializer_field, NUMBERS):
                self.column_kinds[name] = "number"
            alias = self.value(name, F(serializer_field.source))
            self.columns.append(
                (
                    name,
                    lambda row, a=alias, f=serializer_field: (
                        "" if row[a] is None else cell(f.to_representation(row[a]))
                    ),
                )
            )
            if type(serializer_field).to_representation is serializers.CharField.to_representation:
                # Text, which the field writes as str() does: written as read.
                self.inline[len(self.columns) - 1] = (
                    f"('' if (v := row[{alias!r}]) is None else v if v.__class__ is str"
                    f" else {{column}}(row))",
                    {"column": self.columns[-1][1]},
                )
            if self.readable and isinstance(serializer_field, serializers.ChoiceField):
                # The labels in the reader's language, read now: rows are written later.
                labels = {value: str(label) for value, label in serializer_field.choices.items()}
                self.columns.append(
                    (f"{name}_label", lambda row, a=alias, c=labels: c.get(row[a], ""))
                )
                self.inline[len(self.columns) - 1] = (
                    f"{{labels}}.get(row[{alias!r}], '')",
                    {"labels": labels},
                )
            if self.readable and name == "city":
                self.add_city_name(alias)

    def add_city_name(self, alias):
        """The city in the reader's language beside the city as the records write it
        (the mapping read now, once: rows are written later)."""
        names = korean_city_names() if in_korean() else {}
        country = self.value("city_country", F("country_id"))
        self.columns.append(
            (
                "city_name",
                lambda row, a=alias, c=country, n=names: (
                    korean_city_name(row[a], row[c], n) or row[a] or ""
                ),
            )
        )

    def plain(self, header: str, alias: str):
        """A column of the value read as ``alias``, as ``cell`` writes it."""
        self.columns.append((header, lambda row, a=alias: cell(row[a])))
        # Most values are text, written as they are without a call.
        self.inline[len(self.columns) - 1] = (
            f"(v if (v := row[{alias!r}]).__class__ is str else {{cell}}(v))",
            {"cell": cell},
        )

    def child_value(self, child_model, child_field, source, *, name: bool = False):
        if source is not None:
            if isinstance(source, tuple):
                return first_of(child_model, source, name=name)
            return F(source)
        if isinstance(child_field, RelatedKeyField):
            return public_key(child_model, child_field.source.replace(".", "__"), name=name)
        return F(child_field.source)

    def add_list(self, name, relation, values):
        back = back_lookup(self.model, relation)
        target = self.model._meta.get_field(relation).related_model
        self.lists[name] = ListOf(relation, back, target, values)
        suffixes = list(values)
        for position, suffix in enumerate(suffixes):
            header = f"{name}_{suffix}" if suffix else name
            self.columns.append(
                (header, lambda row, n=name, p=position: row["tabular_lists"][n][p])
            )
            self.inline[len(self.columns) - 1] = (f"lists[{name!r}][{position}]", {})

    def address(self, kind):
        """The record's API or page address, from its key: reversed once, then filled in."""
        country = self.model is Country
        mark = "qq" if country else SLUG_MARK
        stem = "country" if country else self.model.route_name
        namespace = "api" if kind == API_URL else "initiatives"
        url = reverse(f"{namespace}:{stem}-detail", args=[mark])
        if self.request is not None:
            url = self.request.build_absolute_uri(url)
        before, _mark, after = url.rpartition(mark)
        alias = self.value(f"address_{kind}", F(key_name(self.model)))
        return lambda row: f"{before}{row[alias]}{after}"

    # Rows ----------------------------------------------------------------------------

    def headers(self, *, titled: bool = False) -> list[str]:
        """The columns' names (the API's field names), or their titles in the reader's
        language (``titled``)."""
        if titled:
            return [str(self.titles.get(header, header)) for header, _cell in self.columns]
        return [header for header, _cell in self.columns]

    def rows(self, records) -> Iterator[list]:
        """Each record's cells, read in chunks of ``CHUNK_SIZE`` (each list one query)."""
        for chunk in self.chunks(records):
            yield from chunk

    def chunks(self, records) -> Iterator[list[list]]:
        """The records' cells, a list of rows per chunk: a writer takes a chunk at once."""
        values = records.prefetch_related(None).values(**self.values)
        with long_read(records.db):
            chunk = []
            for row in values.iterator(chunk_size=CHUNK_SIZE):
                chunk.append(row)
                if len(chunk) == CHUNK_SIZE:
                    yield self.laid_flat(chunk)
                    chunk = []
            if chunk:
                yield self.laid_flat(chunk)

    def laid_flat(self, chunk) -> list[list]:
        """The chunk's rows of cells. Each list's columns are joined once per record,
        all together (a list of several columns aligns its entries once), and each
        column then picks its own."""
        ids = [row["tabular_pk"] for row in chunk]
        lists = [(name, spec.read(ids), len(spec.values)) for name, spec in self.lists.items()]
        cells_of = self.compiled
        rows = []
        for row in chunk:
            pk = row["tabular_pk"]
            joined = row["tabular_lists"] = {
                name: joined_columns(found.get(pk, ()), width) for name, found, width in lists
            }
            rows.append(cells_of(row, joined))
        return rows

    @functools.cached_property
    def compiled(self):
        """One function that makes a record's cells, written for this table: a call per
        cell was most of the time of a CSV (bench/analysis.md), so the commonest
        columns (a value, a list's column, a label) are expressions in its one list
        display, and only the others are called. It makes what the columns make."""
        names: dict[str, object] = {}
        parts = []
        for position, (_header, column) in enumerate(self.columns):
            expression, values = self.inline.get(position, ("{column}(row)", {"column": column}))
            fields = {}
            for field_name, value in values.items():
                fields[field_name] = f"_{field_name}_{position}"
                names[fields[field_name]] = value
            parts.append(expression.format(**fields))
        source = "def cells_of(row, lists):\n    return [" + ", ".join(parts) + "]\n"
        exec(compile(source, f"<{self.model.__name__} table>", "exec"), names)  # noqa: S102
        return names["cells_of"]


@contextmanager
def long_read(using: str):
    """On PostgreSQL, a transaction for the whole table, without JIT compilation.

    Outside a transaction Django declares its server-side cursor ``WITH HOLD``, and
    PostgreSQL then runs the whole query before the first row is sent: one statement
    as long as the table is big, cut off by the web server's statement timeout
    (portal/wsgi.py), and nothing streamed until it ends. In a transaction the cursor
    is an ordinary one, read a chunk per ``FETCH``: only the first waits for what the
    plan does before its first row (a sort), the others are short. It is planned for
    reading every row (``cursor_tuple_fraction``), as the query without a cursor is,
    rather than for the first tenth, whose plan made a CSV of the agreements take 5.3
    rather than 3.0 seconds. JIT compiling the records' query (its counts are
    subqueries of an estimated cost in the millions) took 2 of its 2.5 seconds for
    10,000 agreements, for a query that runs once (bench/analysis.md, "Exports at
    speed"). Inside a transaction already open, the settings last until it ends."""
    if connections[using].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield


def back_lookup(model, relation: str) -> str:
    """The lookup from a relation's rows back to ``model`` (``parties`` → ``agreement``)."""
    found = model._meta.get_field(relation)
    if found.auto_created and not found.concrete:  # a reverse relation
        return found.field.name
    return found.related_query_name()


def one_of(ids):
    """``ids`` for an ``__in`` lookup: on PostgreSQL one array parameter, so that a chunk
    of thousands of keys is neither prepared key by key nor a new query text each time."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return ids


def is_utc() -> bool:
    return settings.USE_TZ and settings.TIME_ZONE == "UTC"


def iso_datetime(value) -> str:
    """A moment as the serializers write it (ISO 8601, UTC as Z); the database gives
    moments in UTC (USE_TZ, TIME_ZONE = "UTC"), so no conversion is needed."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def name_of(model):
    """A listed record's name, in the interface's language where it has one."""
    if in_korean() and has_korean_name(model):
        return Coalesce(NullIf(F("name_ko"), Value("")), F("name"))
    return F("name")


def has_korean_name(model) -> bool:
    return any(field.name == "name_ko" for field in model._meta.get_fields())


def joined_columns(entries: list[tuple], width: int) -> list[str]:
    """Every column of a list for one record, as ``joined_column`` writes each, in one
    pass; an entry is the tuple of its ``width`` values."""
    if not entries:
        return [""] * width
    if width == 1:
        return [joined(entry[0] for entry in entries)]
    distinct = dict.fromkeys(
        entry for entry in entries if any(value not in (None, "") for value in entry)
    )
    return [
        JOIN.join("" if e[position] is None else str(e[position]) for e in distinct)
        for position in range(width)
    ]


def joined_column(entries: list[dict], suffix: str, suffixes: list[str]) -> str:
    """One column of a list: with one column, its distinct values; with several, the
    distinct entries' values aligned (an unknown one left empty), so that the n-th value
    of each column belongs to the same entry."""
    if len(suffixes) == 1:
        return joined(entry[suffix] for entry in entries)
    distinct = dict.fromkeys(
        tuple(entry[s] for s in suffixes)
        for entry in entries
        if any(entry[s] not in (None, "") for s in suffixes)
    )
    position = suffixes.index(suffix)
    return JOIN.join("" if e[position] is None else str(e[position]) for e in distinct)


def listed(row, name: str, suffix: str) -> str:
    return joined(entry[suffix] for entry in row["tabular_lists"][name])


def inferred(row, name: str) -> str:
    return "yes" if row[f"tabular_{name}_inferred"] else ""


def partial_date_value(row, name) -> str:
    value = row[f"tabular_{name}"]
    if value is None:
        return ""
    precision = row[f"tabular_{name}_precision"] or Precision.DAY
    return PartialDate(value, precision).iso


def partial_date_precision(row, name) -> str:
    if row[f"tabular_{name}"] is None:
        return ""
    return row[f"tabular_{name}_precision"] or Precision.DAY


def cell(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return joined(value)
    return value
