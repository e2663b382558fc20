"""Facets: for each choice of a list's filter, how many records it would give with the
other filters applied (``Country: Belgium (3)``), counted by the database and kept
until a table they count changes.

A facet is named by its filter, and reads everything else from it: the paths it
follows (an agreement's parties' countries and its country of signing), the key of
the linked records (a slug, a country code), or the field's fixed choices. Only
public rows count, at both ends of every link (``models.path_visibility``).
"""

import functools
import hashlib
import operator
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from .cache import kept_until_tables_change
from .models import in_interface_language, path_visibility

# A facet lists at most this many choices (those with the most records), plus any selected.
FACET_LIMIT = 20
# Facet counts are kept this long at most; an edit to a table they count ends them at once.
FACET_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Facet:
    """The facet of the filter ``param``; ``label_of`` names a value where neither a
    linked record nor the field's choices do (a language code)."""

    param: str
    label_of: Callable[[str], str] | None = None


class FacetChoices(list):
    """A facet's choices; ``more`` says choices beyond the ``limit`` shown were left out."""

    more = False
    limit = 0


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class ShownFacet:
    """A facet as a list page shows it: the filter's parameter and label, its choices."""

    param: str
    label: str
    choices: FacetChoices


class FacetedFilterSet(django_filters.FilterSet):
    facets: tuple[Facet, ...] = ()

    # What the facets read of the filters ------------------------------------------

    def cleaned(self) -> dict:
        """The valid filters' values (an invalid one is reported and left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.form.cleaned_data

    def filtered_without(self, param: str):
        """The records the other valid filters give, ignoring ``param``."""
        queryset = self.queryset.all()
        for name, value in self.cleaned().items():
            if name not in (param, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def selected(self, param: str) -> list[str]:
        """The keys chosen for ``param`` (slugs, codes, values), as they are in the URL."""
        return self.filters[param].keys(self.cleaned().get(param))

    def paths(self, param: str) -> tuple[str, ...]:
        return getattr(self.filters[param], "paths", (self.filters[param].field_name,))

    def key(self, param: str) -> str:
        """The linked records' key in the URL (slug, code); empty for a field's values."""
        return self.filters[param].extra.get("to_field_name", "")

    def cache_key(self, name: str) -> str:
        """A key made of the validated filters, so that two addresses asking the same
        question share their counts (and junk in the address adds no entries)."""
        asked = sorted(
            (param, tuple(sorted(self.filters[param].keys(value))))
            if hasattr(self.filters[param], "keys")
            else (param, repr(value))
            for param, value in self.cleaned().items()
            if param != "sort" and value not in (None, "", [], ())
        )
        digest = hashlib.sha256(repr((name, asked, FACET_LIMIT)).encode()).hexdigest()
        return f"facets:{self.queryset.model._meta.label_lower}:{digest}"

    # Counting ---------------------------------------------------------------------

    def facet_choices(self) -> dict[str, FacetChoices]:
        """Per facet, its choices with the most records (at most ``FACET_LIMIT``, plus
        any selected), each with the number of records it would give."""
        return {facet.param: self.choices(facet) for facet in self.facets}

    def shown_facets(self) -> list[ShownFacet]:
        return [
            ShownFacet(param, self.filters[param].label, choices)
            for param, choices in self.facet_choices().items()
        ]

    def choices(self, facet: Facet) -> FacetChoices:
        selected = self.selected(facet.param)
        rows = kept_until_tables_change(
            self.cache_key(facet.param),
            lambda: self.counted(facet.param, selected, FACET_LIMIT + 1 + len(selected)),
            FACET_CACHE_SECONDS,
        )
        label = self.labeller(facet)
        choices = FacetChoices(
            FacetChoice(value, label(value, name, korean), n, value in selected)
            for value, name, korean, n in rows
        )
        others = [c for c in choices if not c.selected]
        choices.more = len(others) > FACET_LIMIT
        if choices.more:
            choices[:] = [c for c in choices if c.selected] + others[:FACET_LIMIT]
        choices.limit = FACET_LIMIT
        shown = {c.value for c in choices}
        choices += [FacetChoice(v, label(v, v, ""), 0, True) for v in selected if v not in shown]
        choices.sort(key=lambda c: str(c.label).lower())
        return choices

    def counts(self, param: str) -> dict[str, int]:
        """{key: number of records} for every choice of ``param``, with no other filter:
        a country's page counts its records this way."""
        return {
            value: n
            for value, _label, _korean, n in kept_until_tables_change(
                self.cache_key(f"all:{param}"),
                lambda: self.counted(param, [], None),
                FACET_CACHE_SECONDS,
            )
        }

    def labeller(self, facet: Facet):
        if facet.label_of:
            return lambda value, name, korean: facet.label_of(value)
        if self.key(facet.param):
            return lambda value, name, korean: in_interface_language(name, korean)
        field = self.queryset.model._meta.get_field(self.paths(facet.param)[0])
        labels = dict(field.flatchoices)
        return lambda value, name, korean: labels.get(value, value)

    def counted(self, param: str, selected: list[str], limit: int | None) -> list[tuple]:
        """(value, name, Korean name, count) of the choices with the most records, the
        selected ones first; at most ``limit``. A record that two paths put under one
        choice (an agreement signed in the country of a party) counts once."""
        rows = self.filtered_without(param).order_by()
        paths = self.paths(param)
        if len(paths) == 1:
            return self.grouped(rows, param, paths[0], selected, limit)
        if getattr(self.filters[param], "per_choice", False):
            return self.counted_per_choice(rows, param, selected, limit)
        first, *others = paths
        counts: dict[str, list] = {}
        for path in paths:
            for value, name, korean, n in self.grouped(rows, param, path, selected):
                counts.setdefault(value, [value, name, korean, 0])[3] += n
        key = self.key(param)
        for other in others:
            both = rows.filter(
                Q(**{f"{first}__{key}": F(f"{other}__{key}")}) & path_visibility(rows.model, first)
            )
            for value, _name, _korean, n in self.grouped(both, param, other, selected):
                counts[value][3] -= n
        found = sorted(counts.values(), key=lambda r: (r[0] not in selected, -r[3], r[0]))
        return [tuple(r) for r in found if r[3]][:limit]

    def counted_per_choice(self, rows, param, selected: list[str], limit) -> list[tuple]:
        """(value, name, Korean name, count) as ``counted``, each choice counting its
        records in a subquery: where two paths end in a relation to several choices (an
        agreement's parties' countries' regions, and its country of signing's), records
        cannot be told apart by subtracting one grouping from another."""
        model = rows.model
        inside = functools.reduce(
            operator.or_,
            (
                Q(**{path: OuterRef("pk")}) & path_visibility(model, path)
                for path in self.paths(param)
            ),
        )
        # COUNT as a plain function, so the subquery adds no GROUP BY of its own.
        count = Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
        n = Subquery(rows.filter(inside).annotate(n=count).values("n"), output_field=IntegerField())
        key = self.key(param)
        chosen = (
            Case(When(**{f"{key}__in": selected}, then=Value(0)), default=Value(1))
            if selected
            else Value(1)
        )
        choices = (
            self.filters[param]
            .queryset.model._default_manager.annotate(n=n, chosen=chosen)
            .filter(n__gt=0)
            .order_by("chosen", "-n", key)
            .values_list(key, "name", "name_ko", "n")
        )
        if limit is not None:
            choices = choices[:limit]
        return list(choices)

    def grouped(self, rows, param, path: str, selected: list[str], limit=None) -> list[tuple]:
        """(value, name, Korean name, count) of each choice ``path`` gives ``rows``, the
        selected ones first, then by count; the first ``limit`` of them."""
        key = self.key(param)
        if key:
            value_path, name_path = f"{path}__{key}", f"{path}__name"
            korean_path = f"{path}__name_ko"
            # One filter() call, so a to-many path is joined once, with its visibility.
            rows = rows.filter(
                Q(**{f"{value_path}__isnull": False}) & path_visibility(rows.model, path)
            )
        else:
            value_path = name_path = korean_path = path
            rows = rows.exclude(**{f"{path}__isnull": True}).exclude(**{path: ""})
        chosen = (
            Case(When(**{f"{value_path}__in": selected}, then=Value(0)), default=Value(1))
            if selected
            else Value(1)
        )
        counts = (
            rows.values(value_path, name_path, korean_path)
            .annotate(n=Count("pk", distinct=True), chosen=chosen)
            .order_by("chosen", "-n", value_path)
        )
        if limit is not None:
            counts = counts[:limit]
        return [(r[value_path], r[name_path], r[korean_path], r["n"]) for r in counts]
