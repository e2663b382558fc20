"""The whole published dataset as one download: a Frictionless Data Package (zip).

``/data/`` offers ``datapackage.zip``, which holds:

- a CSV per collection (``agreements.csv``, ``countries.csv``, …): a record's own
  fields, one column each, named as in the API; a partial date is three columns (its
  value to its precision, the precision, whether it was inferred); a link is the key
  (slug or country code) of the linked record;
- a join table per list (``agreements-parties.csv``, ``meetings-participants.csv``,
  ``agreements-metrics-citations.csv``, …): one row per entry, keyed by its record's
  key (and its position in the list where entries have no key of their own);
- ``datapackage.json``, the descriptor: every file, every field with its type, what it
  means and its allowed values, the keys and the links between files;
- ``data.json``: every record as the API gives it.

Everything is read from the API's serializers (the one description of a record outside
HTML), through ``for_export()``, so the package holds exactly what the API publishes.
It is built when asked for and kept in the cache under the data's version
(``cache.data_version()``, raised by every change to the data), so the first request
after a change rebuilds it; without a cache it is built on every request. The file is
the same bytes for the same data: its entries carry a fixed time and no "now".
"""

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation
from django.utils.text import capfirst
from rest_framework import serializers

from .api.serializers import CountrySerializer, PartialDateField, RelatedKeyField, RelatedKeysField
from .cache import data_version
from .dates import Precision
from .models import Country
from .registry import COLLECTIONS
from .tabular import field_title, follow

FILE_NAME = "sme-globalization-initiatives-data.zip"
PACKAGE_NAME = "sme-globalization-initiatives"
# Zip entries carry a time; a fixed one keeps the file the same for the same data.
ENTRY_TIME = (2024, 1, 1, 0, 0, 0)
CACHE_KEY = "portal:datapackage:"
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@dataclass
class Table:
    """One CSV of the package: its fields (Table Schema) and rows."""

    name: str
    title: str
    fields: list[dict] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    # How a join table of this one names this table's key: (column here, column there).
    child_keys: list[tuple[str, str]] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)

    def add_field(self, name, field_type, description, **extra):
        if any(f["name"] == name for f in self.fields):
            return
        self.fields.append({"name": name, "type": field_type, "description": str(description)})
        self.fields[-1].update(extra)

    def resource(self) -> dict:
        schema = {"fields": self.fields, "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = self.foreign_keys
        return {
            "name": self.name,
            "title": self.title,
            "path": f"{self.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }

    def csv_bytes(self) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([f["name"] for f in self.fields])
        names = [f["name"] for f in self.fields]
        for row in self.rows:
            writer.writerow([csv_value(row.get(name)) for name in names])
        return out.getvalue().encode()


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resource_of(model) -> str | None:
    if model is Country:
        return "countries"
    return next((c.segment for c in COLLECTIONS if c.model is model), None)


def key_field(model) -> str:
    return "code" if model is Country else "slug"


class Describer:
    """Lays a serializer's records out as a table and its join tables."""

    def __init__(self, tables: dict[str, Table]):
        self.tables = tables

    def table(self, name, title) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(name, str(title))
        return self.tables[name]

    def lay_out(self, table: Table, model, serializer, records: list[dict], parents: list[dict]):
        """``records`` (serializer data) as ``table``'s rows; ``parents`` (one per record)
        are the key columns already given to each row."""
        for parent, record in zip(parents, records, strict=True):
            row = dict(parent)
            for name, serializer_field in serializer.fields.items():
                self.cells(table, model, name, serializer_field, record, row)
            table.rows.append(row)

    def cells(self, table, model, name, serializer_field, record, row):
        value = record.get(name)
        description = description_of(model, name, serializer_field)
        if isinstance(serializer_field, PartialDateField):
            table.add_field(
                name,
                "string",
                f"{description}: as precise as the source (YYYY, YYYY-MM or YYYY-MM-DD).",
                constraints={"pattern": PARTIAL_DATE},
            )
            table.add_field(
                f"{name}_precision",
                "string",
                f"{description}: the precision of the date.",
                constraints={"enum": list(Precision.values)},
            )
            table.add_field(
                f"{name}_inferred",
                "boolean",
                f"{description}: worked out from context rather than stated.",
            )
            value = value or {}
            row[name] = value.get("value")
            row[f"{name}_precision"] = value.get("precision")
            row[f"{name}_inferred"] = value.get("inferred")
        elif isinstance(serializer_field, RelatedKeyField):
            table.add_field(name, "string", f"{description} (its key).")
            target = related_model(model, serializer_field.source)
            self.link(table, [name], target)
            row[name] = value
        elif isinstance(serializer_field, RelatedKeysField | serializers.ManyRelatedField):
            target = related_model(model, serializer_field.source)
            join = self.join_table(table, name, description)
            join.add_field(name, "string", f"{description}: one per row.")
            if isinstance(serializer_field, RelatedKeysField):
                self.link(join, [name], target)
            for key in value:
                join.rows.append({**self.parent_key(table, row), name: key})
        elif isinstance(serializer_field, serializers.ListSerializer):
            child = serializer_field.child
            child_model = child.Meta.model
            join = self.join_table(table, name, description, positioned=True)
            parent = self.parent_key(table, row)
            parents = [{**parent, "position": n} for n in range(1, len(value) + 1)]
            self.lay_out(join, child_model, child, value, parents)
        elif isinstance(serializer_field, serializers.Serializer):
            for key, part in serializer_field.fields.items():
                table.add_field(
                    f"{name}_{key}",
                    field_type(part),
                    f"{description}: {description_of(model, key, part)}.",
                )
                row[f"{name}_{key}"] = None if value is None else value[key]
        else:
            extra = {}
            if isinstance(serializer_field, serializers.ChoiceField):
                labels = "; ".join(
                    f"{code}: {label}" for code, label in serializer_field.choices.items()
                )
                description = f"{description}. Codes: {labels}"
                extra["constraints"] = {"enum": list(serializer_field.choices)}
            if name == key_field(model) and table.name in (resource_of(model), None):
                extra.setdefault("constraints", {})["required"] = True
            table.add_field(name, field_type(serializer_field), description, **extra)
            row[name] = value

    def join_table(self, table, name, description, positioned=False) -> Table:
        join = self.table(f"{table.name}-{name.replace('_', '-')}", description)
        for here, there in table.child_keys:
            parent = next(f for f in table.fields if f["name"] == here)
            join.add_field(there, parent["type"], f"The entry's record in {table.name} ({here}).")
        if not join.foreign_keys and table.child_keys:
            join.foreign_keys.append(
                {
                    "fields": [there for _here, there in table.child_keys],
                    "reference": {
                        "resource": table.name,
                        "fields": [here for here, _there in table.child_keys],
                    },
                }
            )
        if positioned:
            join.add_field("position", "integer", "The entry's place in the list, from 1.")
            join.primary_key = [*(there for _here, there in table.child_keys), "position"]
            join.child_keys = [
                *((there, there) for _here, there in table.child_keys),
                ("position", f"{name}_position"),
            ]
        return join

    def parent_key(self, table, row) -> dict:
        return {there: row[here] for here, there in table.child_keys}

    def link(self, table, fields, target):
        resource = resource_of(target)
        if resource is None:
            return
        reference = {"resource": resource, "fields": [key_field(target)]}
        if resource == table.name:
            reference["resource"] = ""  # a link within the same file
        entry = {"fields": fields, "reference": reference}
        if entry not in table.foreign_keys:
            table.foreign_keys.append(entry)


def related_model(model, source: str):
    try:
        return follow(model, source.replace(".", "__"))
    except Exception:  # a source that is not a relation path (a property)
        return None


def description_of(model, name, serializer_field) -> str:
    help_text = getattr(serializer_field, "help_text", None)
    title = str(field_title(model, name, serializer_field))
    return f"{title}: {help_text}" if help_text else capfirst(title)


def field_type(serializer_field) -> str:
    if isinstance(serializer_field, serializers.BooleanField):
        return "boolean"
    if isinstance(serializer_field, serializers.IntegerField):
        return "integer"
    if isinstance(serializer_field, serializers.DecimalField | serializers.FloatField):
        return "number"
    if isinstance(serializer_field, serializers.DateTimeField):
        return "datetime"
    if isinstance(serializer_field, serializers.DateField):
        return "date"
    return "string"


def collections():
    """(resource name, title, model, serializer class, records) for every collection."""
    for collection in COLLECTIONS:
        records = collection.model.objects.published().for_export()
        yield (
            collection.segment,
            capfirst(collection.verbose_name_plural),
            collection.model,
            collection.serializer,
            records,
        )
    # The countries the public records name, as the countries list has them.
    from .views.countries import records_per_country

    countries = Country.objects.filter(code__in=records_per_country()).for_export()
    yield (
        "countries",
        capfirst(Country._meta.verbose_name_plural),
        Country,
        CountrySerializer,
        (countries),
    )


def build(request) -> bytes:
    """The package as zip bytes, in English (the codes are the same in every language)."""
    with translation.override("en"):
        return build_in_english(request)


def build_in_english(request) -> bytes:
    tables: dict[str, Table] = {}
    describer = Describer(tables)
    everything = {}
    for name, title, model, serializer_class, records in collections():
        serializer = serializer_class(context={"request": request})
        data = serializer_class(records, many=True, context={"request": request}).data
        everything[name] = data
        table = describer.table(name, title)
        table.primary_key = [key_field(model)]
        table.child_keys = [(key_field(model), f"{model._meta.model_name}_{key_field(model)}")]
        describer.lay_out(table, model, serializer, data, [{} for _record in data])
    latest = max(
        (
            record["updated_at"]
            for data in everything.values()
            for record in data
            if record.get("updated_at")
        ),
        default=None,
    )
    descriptor = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "SME Globalization Initiatives Portal: the published dataset",
        "description": (
            "Agreements, ministries, councils, meetings, support cases, organizations, "
            "people, programs and sources, with every fact's citation, as the portal "
            "publishes them. data.json holds every record as the API gives it."
        ),
        "homepage": request.build_absolute_uri("/"),
        "licenses": [],
        "version": hashlib.sha256(
            json.dumps(everything, sort_keys=True, default=str).encode()
        ).hexdigest()[:16],
        "resources": [table.resource() for table in tables.values()],
    }
    if latest:
        descriptor["updated"] = latest
    descriptor.pop("licenses")  # no licence is stated by the sources
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write(archive, "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        for table in tables.values():
            write(archive, f"{table.name}.csv", table.csv_bytes())
        write(archive, "data.json", json.dumps(everything, ensure_ascii=False, default=str))
    return buffer.getvalue()


def write(archive, name, content):
    entry = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    archive.writestr(entry, content if isinstance(content, bytes) else content.encode())


def package(request) -> bytes:
    """The package for the data as they are now, built once per data version."""
    version = data_version()
    if version is None:
        return build(request)
    site = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    key = f"{CACHE_KEY}{version}:{site}"
    found = cache.get(key)
    if found is None:
        found = build(request)
        cache.set(key, found, timeout=24 * 3600)
    return found


def summary(content: bytes) -> list[dict]:
    """The package's files with their titles and row counts, for the /data/ page: the
    titles in the page's language (the descriptor's are in English, with the API's
    English help text; another language gets the field's translated name alone)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        rows = defaultdict(int)
        for resource in descriptor["resources"]:
            rows[resource["path"]] = archive.read(resource["path"]).count(b"\r\n") - 1
    english = (translation.get_language() or "en").startswith("en")
    translated = {} if english else titles()
    return [
        {
            "path": r["path"],
            "title": translated.get(r["name"], r["title"]),
            "rows": rows[r["path"]],
        }
        for r in descriptor["resources"]
    ]


def titles() -> dict[str, str]:
    """Each table's title in the active language, by its name, as ``build`` names and
    titles them (without reading a record)."""
    found = {}

    def walk(table_name, model, serializer):
        for name, serializer_field in serializer.fields.items():
            nested = isinstance(serializer_field, serializers.ListSerializer)
            joined = isinstance(serializer_field, RelatedKeysField | serializers.ManyRelatedField)
            if nested or joined:
                join_name = f"{table_name}-{name.replace('_', '-')}"
                title = field_title(model, name, serializer_field)
                found.setdefault(join_name, capfirst(str(title)))
                if nested:
                    child = serializer_field.child
                    walk(join_name, child.Meta.model, child)

    for name, title, model, serializer_class, _records in collections():
        found[name] = str(title)
        walk(name, model, serializer_class(context={"request": None}))
    return found


__all__ = ["FILE_NAME", "build", "package", "summary", "re"]
