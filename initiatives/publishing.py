"""Nothing half-public: what publishing or unpublishing a record would leave broken.

A public page shows a record with its links read through ``published()``
(models/base.py): a draft at the other end of a link simply reads as absent. So a
published agreement whose ministry is a draft shows as a one-party MOU, and one whose
only source is a draft shows "no published source". Before a record goes public, its
links must be public too, and it must have a verified citation: a quote that is in
its source's text.

The links are those ``visibility`` follows: for each row the record owns (a party, a
citation, a participant, a post), the records named in the row's ``public_through``
and ``arc``, and any other record the row names (a party's signatory); and the records
the record itself points at (a meeting's council, a council's host ministries).
"""

from dataclasses import dataclass, field

from django.db import models as db
from django.utils.translation import gettext_lazy as _

from . import models


def is_record(model) -> bool:
    return isinstance(model, type) and issubclass(model, models.Record)


def owned_rows(record):
    """(relation, rows) for each kind of row that belongs to ``record`` (deleted with it)
    and links it to other records: parties, citations, participants, posts."""
    for relation in type(record)._meta.related_objects:
        if relation.many_to_many or is_record(relation.related_model):
            continue
        if relation.on_delete is not db.CASCADE:
            continue  # the row belongs to the record at its other end
        rows = relation.related_model._default_manager.filter(**{relation.field.name: record})
        yield relation, rows


def linked_fields(row_model, back: str) -> list[str]:
    """The fields of a link row naming other records: its ``public_through`` and ``arc``
    (models/base.py), then any other link to a record (a party's signatory)."""
    names = [*getattr(row_model, "public_through", ()), *getattr(row_model, "arc", ())]
    names += [
        f.name
        for f in row_model._meta.concrete_fields
        if f.is_relation and is_record(f.related_model) and f.name not in names
    ]
    return [name for name in names if name != back]


def draft_links(record) -> list:
    """The drafts ``record`` links to, each once, in the order found."""
    found = {}

    def note(target):
        if target is not None and is_record(type(target)) and not target.is_published:
            found.setdefault((type(target), target.pk), target)

    for f in type(record)._meta.concrete_fields:
        if f.is_relation and is_record(f.related_model):
            note(getattr(record, f.name))
    for f in type(record)._meta.many_to_many:
        if is_record(f.related_model) and f.remote_field.through._meta.auto_created:
            for target in getattr(record, f.name).filter(is_published=False):
                note(target)
    for relation, rows in owned_rows(record):
        names = linked_fields(relation.related_model, relation.field.name)
        names = [
            n for n in names if is_record(relation.related_model._meta.get_field(n).related_model)
        ]
        for row in rows.select_related(*names):
            for name in names:
                note(getattr(row, name))
    return list(found.values())


def has_verified_citation(record) -> bool:
    """At least one citation whose quote is in its source's text. A source needs none:
    it needs its text."""
    if isinstance(record, models.Source):
        return bool(record.text.strip())
    citations = getattr(record, "citations", None)
    if citations is None:
        return True
    return any(c.is_verified for c in citations.select_related("source"))


@dataclass
class Plan:
    """What publishing ``records`` takes: the drafts they link to, published with them,
    and what no publishing can fix (a record with no verified citation)."""

    records: list
    linked_drafts: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (record, message)

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def all_records(self) -> list:
        return [*self.records, *self.linked_drafts]


def publication_plan(records) -> Plan:
    """The drafts linked (directly or through other linked drafts) to ``records``, and
    the problems that stop any of them going public."""
    records = list(records)
    plan = Plan(records)
    seen = {(type(r), r.pk) for r in records}
    queue = list(records)
    while queue:
        record = queue.pop(0)
        if not has_verified_citation(record):
            message = (
                _("has no text: paste or upload the document's text")
                if isinstance(record, models.Source)
                else _("has no verified citation (a quote found in its source's text)")
            )
            plan.problems.append((record, message))
        for draft in draft_links(record):
            key = (type(draft), draft.pk)
            if key not in seen:
                seen.add(key)
                plan.linked_drafts.append(draft)
                queue.append(draft)
    return plan


# How many dependents a refusal names: a source cited a hundred thousand times is
# refused as soon as the first few are found, without reading the rest.
DEPENDENTS_NAMED = 20


def dependents(record, *, limit: int | None = None, excluding=frozenset()) -> list:
    """The published records that would be left pointing at ``record`` if it stopped
    being public: records that link to it, and the owners of rows that name it (the
    agreement of a party, the record a citation supports).

    ``excluding`` holds (model, pk) keys not to count (records leaving with it); with a
    ``limit``, the search stops once that many others are found, each query reading at
    most that many rows beyond the excluded.
    """
    found = {}
    itself = (type(record), record.pk)
    read = None if limit is None else limit + len(excluding) + 1

    def note(target):
        if target is None or not is_record(type(target)) or not target.is_published:
            return
        key = (type(target), target.pk)
        if key != itself and key not in excluding:
            found.setdefault(key, target)

    def enough() -> bool:
        return limit is not None and len(found) >= limit

    for relation in type(record)._meta.related_objects:
        if enough():
            break
        model = relation.related_model
        accessor = relation.get_accessor_name()
        if relation.many_to_many:
            if is_record(model):
                for target in getattr(record, accessor).filter(is_published=True)[:read]:
                    note(target)
            continue
        if is_record(model):
            # Records that point at it (a meeting's council), and figures about it.
            rows = model._default_manager.filter(**{relation.field.name: record})
            for target in rows.filter(is_published=True)[:read]:
                note(target)
            continue
        if relation.on_delete is db.CASCADE:
            continue  # the record's own rows
        rows = model._default_manager.filter(**{relation.field.name: record})
        owners = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation
            and is_record(f.related_model)
            and f.name != relation.field.name
            and f.remote_field.on_delete is db.CASCADE
        ]
        for row in rows.select_related(*owners)[:read]:
            for name in owners:
                note(getattr(row, name))
    left = list(found.values())
    return left if limit is None else left[:limit]


def describe(record) -> str:
    return f"{record._meta.verbose_name}: {record}"
