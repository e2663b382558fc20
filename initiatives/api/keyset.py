"""Keyset pages: the rows after (or before) a given row of a list, in the list's order,
at the same cost however deep the row is.

An OFFSET makes the database read and drop every row before the page; a keyset page
starts from the last row shown instead: ``WHERE (sort keys, pk) > (that row's)``. The
list's order (its ``sort`` or the model's ``Meta.ordering``) is made definite first:
every nullable key says where its NULLs go, and the primary key breaks ties.

A plain ``(a, b) > (x, y)`` cannot say "after" for orders that mix directions
(``held_on DESC, name``) or put NULLs after the values, so the condition is written as
disjoint branches, each a run of equalities and one step (``held_on < x``, ``held_on
IS NULL``, ``held_on = x AND name > y``...). OR'd together, PostgreSQL can follow no
index and reads from the start of the list (160 ms at depth 93,000 of the meetings);
so on PostgreSQL each branch is its own ``ORDER BY ... LIMIT``, a short index range,
and the page is the first rows of their UNION ALL (bench/analysis.md, "Keyset pages in
the API"). SQLite cannot slice the parts of a UNION and reads the OR'd form.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import F, OrderBy, Q

SALT = "initiatives.api.keyset"


class BadCursor(ValueError):
    """A cursor this API did not give, or gave for another order."""


@dataclass(frozen=True)
class Key:
    """One sort key: a field (or annotation) name, its direction and where NULLs go."""

    name: str
    descending: bool = False
    nulls_last: bool = True
    nullable: bool = False

    def order_by(self):
        """The ORDER BY term: a bare name where NULLs cannot occur (as indexes store it)."""
        if not self.nullable:
            return f"-{self.name}" if self.descending else self.name
        nulls = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return F(self.name).desc(**nulls) if self.descending else F(self.name).asc(**nulls)

    def reversed(self) -> "Key":
        """The same key read backwards: NULLs last become NULLs first."""
        return Key(self.name, not self.descending, not self.nulls_last, self.nullable)

    def after(self, value) -> list[Q]:
        """Conditions, disjoint, that together hold the rows past ``value`` by this key."""
        if value is None:
            return [] if self.nulls_last else [Q(**{f"{self.name}__isnull": False})]
        steps = [Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})]
        if self.nullable and self.nulls_last:
            steps.append(Q(**{f"{self.name}__isnull": True}))
        return steps

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.name}__isnull": True})
        return Q(**{self.name: value})


def nullable(model, name: str) -> bool:
    """Whether ``name`` may be NULL; an annotation (not a field) is taken to be."""
    if name == "pk":
        return False
    try:
        return model._meta.get_field(name).null
    except FieldDoesNotExist:
        return True


def key_of(model, term) -> Key:
    """The Key of one ORDER BY term (``"-name"``, ``F("held_on").desc(nulls_last=True)``)."""
    if isinstance(term, str):
        name = term.removeprefix("-")
        if name == "?" or "__" in name:
            raise TypeError(f"No keyset order for {term!r}")
        return Key(name, term.startswith("-"), True, nullable(model, name))
    if isinstance(term, F):
        term = term.asc()
    if isinstance(term, OrderBy) and isinstance(term.expression, F):
        name = term.expression.name
        # Unsaid, NULLs go last: lists here always say so where a field may be NULL.
        return Key(name, term.descending, not term.nulls_first, nullable(model, name))
    raise TypeError(f"No keyset order for {term!r}")


def keys(queryset) -> list[Key]:
    """The queryset's order as Keys, ending with the primary key (which breaks ties)."""
    model = queryset.model
    terms = queryset.query.order_by or model._meta.ordering
    found = []
    for term in terms:
        key = key_of(model, term)
        # ``sort=name`` orders by name, then name again (the lists' tie-break): once will do.
        if all(key.name != other.name for other in found):
            found.append(key)
    pk = model._meta.pk.name
    if not any(key.name in ("pk", pk) for key in found):
        found.append(Key("pk"))
    return found


def in_order(queryset):
    """The queryset in its definite order: ``keys()``'s, NULLs placed, ties by pk."""
    return queryset.order_by(*(key.order_by() for key in keys(queryset)))


def signature(order: list[Key]) -> str:
    """Names the order a cursor belongs to (``-held_on,name,pk``)."""
    return ",".join(f"{'-' if key.descending else ''}{key.name}" for key in order)


# Cursors -------------------------------------------------------------------------------


def value_of(row, key: Key):
    """The row's value of ``key``, as JSON can hold it."""
    if key.name == "pk":
        value = row.pk
    else:
        try:
            value = getattr(row, row._meta.get_field(key.name).attname)
        except FieldDoesNotExist:
            value = getattr(row, key.name)
    if isinstance(value, date | datetime | Decimal):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def cursor(queryset, row, *, backwards: bool = False) -> str:
    """An opaque, signed, URL-safe cursor: the rows after ``row`` (before, backwards)."""
    order = keys(queryset)
    values = [value_of(row, key) for key in order]
    payload = {"o": signature(order), "v": values, "b": 1 if backwards else 0}
    return signing.dumps(payload, salt=SALT, compress=True)


def read(queryset, token: str) -> tuple[list, bool]:
    """(values, backwards) of a cursor given for this queryset's order; BadCursor else."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadCursor(
            "Not a cursor this API gave: follow a page's next or previous link."
        ) from None
    order = keys(queryset)
    if not isinstance(payload, dict) or payload.get("o") != signature(order):
        raise BadCursor("This cursor belongs to another sort order: keep the sort it came with.")
    values = payload.get("v")
    if not isinstance(values, list) or len(values) != len(order):
        raise BadCursor("This cursor is not one the API gives.")
    model = queryset.model
    try:
        values = [python_value(model, key, value) for key, value in zip(order, values, strict=True)]
    except ValidationError:
        raise BadCursor("This cursor is not one the API gives.") from None
    return values, bool(payload.get("b"))


def python_value(model, key: Key, value):
    if value is None:
        return None
    field = model._meta.pk if key.name == "pk" else None
    if field is None:
        try:
            field = model._meta.get_field(key.name)
        except FieldDoesNotExist:
            return value  # an annotation, compared as given
    return field.to_python(value)


# Pages ---------------------------------------------------------------------------------


def branches(order: list[Key], values: list) -> list[Q]:
    """Disjoint conditions whose union is "after ``values`` in ``order``": for each key,
    equal on the keys before it and past it on this one."""
    found, equal = [], Q()
    for key, value in zip(order, values, strict=True):
        found += [equal & step for step in key.after(value)]
        equal &= key.equal(value)
    return found


def rows_after(queryset, values: list, limit: int, *, backwards: bool = False):
    """Up to ``limit`` rows of ``queryset`` after the row whose keys are ``values``
    (before it, nearest first, when ``backwards``)."""
    order = keys(queryset)
    if backwards:
        order = [key.reversed() for key in order]
    ordering = [key.order_by() for key in order]
    parts = branches(order, values)
    if not parts:
        return queryset.none()
    if connections[queryset.db].features.supports_slicing_ordering_in_compound:
        # Each branch reads a short range of an index in order; the union is small.
        firsts = [queryset.filter(part).order_by(*ordering).values("pk")[:limit] for part in parts]
        chosen = firsts[0].union(*firsts[1:], all=True) if len(firsts) > 1 else firsts[0]
        return queryset.filter(pk__in=chosen).order_by(*ordering)[:limit]
    condition = Q()
    for part in parts:
        condition |= part
    return queryset.filter(condition).order_by(*ordering)[:limit]
