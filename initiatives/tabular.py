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

Rows are read as values, in chunks, and each list for a whole chunk in one query:
no model instance is built, which is what makes a table of 200,000 records take
seconds rather than minutes. ``tests/test_csv.py`` checks that every collection's
table says what its serializer says, record by record.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
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

JOIN = "; "
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


def public_key(model, path: str):
    """The key of the record ``path`` links to, or None where that record is a draft."""
    key = F(f"{path}__{key_name(follow(model, path))}")
    condition = path_visibility(model, path)
    if not condition:
        return key
    return Case(When(condition, then=key), default=Value(None))


def first_of(model, paths) -> Coalesce | F:
    """The key of whichever of ``paths`` links somewhere (an exclusive arc)."""
    keys = [public_key(model, path) for path in paths]
    return Coalesce(*keys) if len(keys) > 1 else keys[0]


@dataclass
class ListOf:
    """A list read for a chunk of records at once: (record id, *values) rows."""

    relation: str
    back: str  # the lookup from the listed rows to the record
    model: type
    values: dict[str, object] = field(default_factory=dict)

    def read(self, ids) -> dict[int, list[dict]]:
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
            found[parent].append(dict(zip(names, cells, strict=True)))
        return found


class Plan:
    """How a serializer's records are read and laid flat (see the module's docstring)."""

    def __init__(self, serializer_class, model, *, request=None):
        self.model = model
        self.serializer = serializer_class(context={"request": request})
        self.request = request
        self.values: dict[str, object] = {"tabular_pk": F("pk")}
        self.lists: dict[str, ListOf] = {}
        self.columns: list[tuple[str, callable]] = []
        sources = getattr(self.serializer, "tabular_sources", {})
        for name, serializer_field in self.serializer.fields.items():
            self.add(name, serializer_field, sources.get(name))

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
            self.columns.append((name, lambda row, a=alias: cell(row[a])))
        elif isinstance(serializer_field, PartialDateField):
            for part in ("", "_precision", "_inferred"):
                self.value(f"{name}{part}", F(f"{name}{part}"))
            self.columns += [
                (name, lambda row, n=name: partial_date_value(row, n)),
                (
                    f"{name}_inferred",
                    lambda row, n=name: "yes" if row[f"tabular_{n}_inferred"] else "",
                ),
            ]
        elif isinstance(serializer_field, RelatedKeyField):
            path = serializer_field.source.replace(".", "__")
            alias = self.value(name, public_key(self.model, path))
            self.columns.append((name, lambda row, a=alias: cell(row[a])))
        elif isinstance(serializer_field, RelatedKeysField | serializers.ManyRelatedField):
            relation = serializer_field.source
            target = self.model._meta.get_field(relation).related_model
            key = getattr(
                getattr(serializer_field, "child_relation", None), "slug_field", key_name(target)
            )
            self.add_list(name, relation, {"": F(key)})
        elif isinstance(serializer_field, serializers.ListSerializer):
            child = serializer_field.child
            tabular = getattr(child.Meta, "tabular", {})
            if tabular:
                relation = serializer_field.source
                child_model = self.model._meta.get_field(relation).related_model
                child_sources = getattr(child, "tabular_sources", {})
                self.add_list(
                    name,
                    relation,
                    {
                        suffix: self.child_value(
                            child_model, child.fields[key], child_sources.get(key)
                        )
                        for suffix, key in tabular.items()
                    },
                )
        elif isinstance(serializer_field, serializers.Serializer):
            # An object read from the record itself ("*"): absent when its first field is.
            parts = {
                key: self.value(f"{name}_{key}", F(part.source))
                for key, part in serializer_field.fields.items()
            }
            first = next(iter(parts.values()))
            for key, alias in parts.items():
                part = serializer_field.fields[key]
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
            alias = self.value(name, F(serializer_field.source))
            self.columns.append(
                (
                    name,
                    lambda row, a=alias, f=serializer_field: (
                        "" if row[a] is None else cell(f.to_representation(row[a]))
                    ),
                )
            )

    def child_value(self, child_model, child_field, source):
        if source is not None:
            return first_of(child_model, source) if isinstance(source, tuple) else F(source)
        if isinstance(child_field, RelatedKeyField):
            return public_key(child_model, child_field.source.replace(".", "__"))
        return F(child_field.source)

    def add_list(self, name, relation, values):
        back = back_lookup(self.model, relation)
        target = self.model._meta.get_field(relation).related_model
        self.lists[name] = ListOf(relation, back, target, values)
        for suffix in values:
            header = f"{name}_{suffix}" if suffix else name
            self.columns.append(
                (
                    header,
                    lambda row, n=name, s=suffix: joined(r[s] for r in row["tabular_lists"][n]),
                )
            )

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

    def headers(self) -> list[str]:
        return [header for header, _cell in self.columns]

    def rows(self, records) -> Iterator[list]:
        """Each record's cells, in chunks of ``CHUNK_SIZE`` (each list one query)."""
        values = records.prefetch_related(None).values(**self.values)
        chunk = []
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            chunk.append(row)
            if len(chunk) == CHUNK_SIZE:
                yield from self.laid_flat(chunk)
                chunk = []
        if chunk:
            yield from self.laid_flat(chunk)

    def laid_flat(self, chunk):
        ids = [row["tabular_pk"] for row in chunk]
        lists = {name: spec.read(ids) for name, spec in self.lists.items()}
        for row in chunk:
            row["tabular_lists"] = {
                name: found.get(row["tabular_pk"], []) for name, found in lists.items()
            }
            yield [column(row) for _header, column in self.columns]


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


def cell(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return joined(value)
    return value
