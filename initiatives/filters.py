"""One FilterSet per collection; the same words (q, country, ministry, kind, status,
date_from, date_to, sort) mean the same thing on every list.

A value that does not make sense is reported on the form and ignored, so a bad
parameter never breaks a page. Each FilterSet can also count, for every choice of a
filter, how many records that choice would give with the other filters applied
(the facets shown beside each list).
"""

import hashlib
import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Q, Value, When
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .cache import kept_until_tables_change
from .dates import Precision, parse_partial_date
from .models import (
    Agreement,
    Council,
    Country,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
    in_interface_language,
)
from .querysets import crosses_to_many
from .templatetags.i18n_names import language_name

MAX_TEXT = 200
# A facet lists at most this many choices (those with the most records), plus any selected.
FACET_LIMIT = 20
# Facet counts are kept this long at most; an edit to a table they count ends them at once.
FACET_CACHE_SECONDS = 24 * 60 * 60
MAX_VALUES = 50
# Keys of records (slugs, country codes) are words and hyphens; free-text values (a
# sector as its source puts it) may hold spaces and punctuation, never control characters.
KEY_PATTERN = re.compile(r"^[-\w]{1,120}$")
TEXT_PATTERN = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


# Form fields ------------------------------------------------------------------------


class ValuesField(forms.Field):
    """A repeatable parameter (``?country=be&country=fr``), checked against known records."""

    widget = forms.SelectMultiple

    def __init__(self, *, records=None, key="slug", lower=False, noun="", **kwargs):
        self.records, self.key, self.lower = records, key, lower
        self.noun = noun or _("value")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, "", [], ()):
            return []
        values = [value] if isinstance(value, str) else list(value)
        cleaned = [str(v).strip().lower() if self.lower else str(v).strip() for v in values]
        return list(dict.fromkeys(v for v in cleaned if v))

    def validate(self, values):
        super().validate(values)
        if len(values) > MAX_VALUES:
            raise ValidationError(_("Choose at most %(n)s values."), params={"n": MAX_VALUES})
        pattern = TEXT_PATTERN if self.records is None else KEY_PATTERN
        malformed = [v for v in values if not pattern.match(v)]
        if malformed:
            raise ValidationError(
                _("Not a valid %(noun)s: %(values)s."),
                params={"noun": self.noun, "values": ", ".join(repr(v[:40]) for v in malformed)},
            )
        if self.records is not None:
            found = self.records().filter(**{f"{self.key}__in": values})
            known = set(found.values_list(self.key, flat=True))
            unknown = [v for v in values if v not in known]
            if unknown:
                raise ValidationError(
                    _("Unknown %(noun)s: %(values)s."),
                    params={"noun": self.noun, "values": ", ".join(repr(v) for v in unknown)},
                )


class PartialDateField(forms.Field):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, read as a PartialDate."""

    def to_python(self, value):
        text = str(value or "").strip()
        return parse_partial_date(text[:20]) if text else None


# Filters ----------------------------------------------------------------------------


class ValuesFilter(django_filters.Filter):
    """Records whose ``path`` (a field or a related record's key), or any of the
    ``also`` paths, is any of the values."""

    field_class = ValuesField

    def __init__(self, path, *, also=(), **kwargs):
        self.paths = (path, *also)
        self.key = kwargs.get("key", "slug") if kwargs.get("records") else ""
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for path in self.paths:
            lookup = f"{path}__{self.key}__in" if self.key else f"{path}__in"
            if crosses_to_many(qs.model, path):
                # A subquery, so that a to-many path neither duplicates rows nor joins twice.
                matching = qs.model._default_manager.filter(**{lookup: value}).values("pk")
                condition |= Q(pk__in=matching)
            else:
                condition |= Q(**{lookup: value})
        return qs.filter(condition)


class PartialDateFilter(django_filters.Filter):
    """Records whose date may fall in the period asked for: ``date_from`` keeps those
    that end on or after its start, ``date_to`` those that start on or before its end.

    Both the bound and the record's date are periods: ``date_to=2024`` runs to
    31 December, and a meeting known only as "2024" may have been held in June, so
    ``date_from=2024-06`` keeps it as ``date_to=2024-03`` does.
    """

    field_class = PartialDateField

    def filter(self, qs, value):
        if value is None:
            return qs
        field = self.field_name
        if self.lookup_expr == "lte":
            return qs.filter(**{f"{field}__lte": value.end})
        # A record's date is stored as the first day of its period: one known to the
        # year or the month ends after it, so it is compared with the bound's year or month.
        # (A bound on the first of a year, the usual ``date_from=2024``, needs neither.)
        start = value.value
        condition = Q(**{f"{field}__gte": start})
        for precision, first in [
            (Precision.MONTH, start.replace(day=1)),
            (Precision.YEAR, start.replace(month=1, day=1)),
        ]:
            if first != start:
                condition |= Q(**{f"{field}_precision": precision, f"{field}__gte": first})
        return qs.filter(condition)


class SortFilter(django_filters.ChoiceFilter):
    """``sort`` picks one of a list's orderings by key."""

    def __init__(self, options: dict, **kwargs):
        self.options = options
        choices = [(key, label) for key, (label, _ordering) in options.items()]
        super().__init__(
            choices=choices,
            label=_("Sort by"),
            error_messages={
                "invalid_choice": _("Unknown sort order %(value)s; the list keeps its usual order.")
            },
            **kwargs,
        )

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*self.options[value][1])


def by_name():
    return {"name": (_("name, A to Z"), ("name",)), "-name": (_("name, Z to A"), ("-name",))}


# Sort labels are made when the module loads: lazy, so each request reads its own language.
interpolate_lazy = lazy(lambda message, params: message % params, str)


def by_date(field: str, label=None):
    label = label or _("date")
    return {
        f"-{field}": (
            interpolate_lazy(_("%(label)s, newest first"), {"label": label}),
            (F(field).desc(nulls_last=True), "name"),
        ),
        field: (
            interpolate_lazy(_("%(label)s, oldest first"), {"label": label}),
            (F(field).asc(nulls_last=True), "name"),
        ),
        **by_name(),
    }


def published(model):
    return lambda: model.objects.published()


def country_filter(path="country", *, also=()):
    return ValuesFilter(
        path,
        also=also,
        records=Country.objects.all,
        key="code",
        lower=True,
        noun=_("country code"),
        label=_("Country"),
    )


def ministry_filter(path):
    return ValuesFilter(path, records=published(Ministry), noun=_("ministry"), label=_("Ministry"))


def choices_filter(path, choices, label):
    values = {value for value, _label in choices}
    return ValuesFilter(
        path, noun=label, label=label, validators=[lambda vs: check_choices(vs, values, label)]
    )


def check_choices(values, allowed, label):
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown %(noun)s: %(values)s."),
            params={"noun": label, "values": ", ".join(repr(v) for v in unknown)},
        )


def date_filters(field):
    return (
        PartialDateFilter(field_name=field, lookup_expr="gte", label=_("From")),
        PartialDateFilter(field_name=field, lookup_expr="lte", label=_("To")),
    )


# Facets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """A filter whose choices are listed with how many records each would give.

    ``key`` names the related record's attribute used in the URL (slug, code);
    empty for a plain field, whose labels then come from its choices or its values.
    ``also`` is a second path to the same kind of record (its filter has both), and a
    record both paths put under one choice counts once.
    """

    param: str
    path: str
    key: str = ""
    also: str = ""


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


class RecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label=_("Name or other name"), max_length=MAX_TEXT
    )
    facets: tuple[Facet, ...] = ()

    def filter_text(self, queryset, name, value):
        return queryset.matching(value)

    def filtered_without(self, param: str):
        """The records the other valid filters give, ignoring ``param``."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        for name, value in self.form.cleaned_data.items():
            if name not in (param, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def selected(self, param: str) -> list[str]:
        return self.form.cleaned_data.get(param) or [] if self.is_bound else []

    def facet_choices(self) -> dict[str, list[FacetChoice]]:
        """Per facet, its choices with the most records (at most ``FACET_LIMIT``, plus
        any selected), each with the number of records it would give: one query each,
        kept in the cache until the data change."""
        self.is_valid()
        result = {}
        for facet in self.facets:
            selected = self.selected(facet.param)
            rows = kept_until_tables_change(
                self.facet_cache_key(facet),
                lambda facet=facet, selected=selected: self.facet_rows(facet, selected),
                FACET_CACHE_SECONDS,
            )
            labels = self.choice_labels(facet)
            choices = FacetChoices(
                FacetChoice(
                    value,
                    labels.get(value, in_interface_language(label, korean)),
                    n,
                    value in selected,
                )
                for value, label, korean, n in rows
            )
            others = [c for c in choices if not c.selected]
            choices.more = len(others) > FACET_LIMIT
            if choices.more:
                choices[:] = [c for c in choices if c.selected] + others[:FACET_LIMIT]
            choices.limit = FACET_LIMIT
            shown = {c.value for c in choices}
            choices += [
                FacetChoice(v, labels.get(v, v), 0, True) for v in selected if v not in shown
            ]
            choices.sort(key=lambda c: str(c.label).lower())
            result[facet.param] = choices
        return result

    def facet_cache_key(self, facet: Facet) -> str:
        params = sorted(
            (
                name,
                tuple(self.data.getlist(name))
                if hasattr(self.data, "getlist")
                else self.data.get(name),
            )
            for name in self.filters
            if name != "sort" and self.is_bound and name in self.data
        )
        digest = hashlib.sha256(repr((facet, params, FACET_LIMIT)).encode()).hexdigest()
        model = self.queryset.model._meta.label_lower
        return f"facets:{model}:{digest}"

    def facet_rows(self, facet: Facet, selected: list[str]) -> list[tuple]:
        """(value, label, Korean label, count) of the choices with the most records,
        the selected ones first; one more than ``FACET_LIMIT`` says there are more."""
        rows = self.filtered_without(facet.param).order_by()
        limit = FACET_LIMIT + 1 + len(selected)
        if not facet.also:
            return self.grouped(facet, rows, facet.path, selected, limit)
        # Two paths: every choice of each, less the records both put under one choice.
        counts: dict[str, list] = {}
        for path in (facet.path, facet.also):
            for value, label, korean, n in self.grouped(facet, rows, path, selected):
                counts.setdefault(value, [value, label, korean, 0])[3] += n
        both = rows.filter(**{f"{facet.path}__{facet.key}": F(f"{facet.also}__{facet.key}")})
        for value, _label, _korean, n in self.grouped(facet, both, facet.also, selected):
            counts[value][3] -= n
        found = sorted(counts.values(), key=lambda r: (r[0] not in selected, -r[3], r[0]))
        return [tuple(r) for r in found if r[3]][:limit]

    @staticmethod
    def grouped(facet: Facet, rows, path: str, selected: list[str], limit=None) -> list[tuple]:
        """(value, label, Korean label, count) of each choice ``path`` gives ``rows``,
        the selected ones first, then by count; the first ``limit`` of them."""
        if facet.key:
            value_path, label_path = f"{path}__{facet.key}", f"{path}__name"
            # One filter() call, so a to-many path is joined once (an inner join), not
            # excluded row by row.
            condition = {f"{value_path}__isnull": False}
            if facet.key == "slug":
                condition[f"{path}__is_published"] = True
            rows = rows.filter(**condition)
        else:
            value_path = label_path = path
            rows = rows.exclude(**{f"{value_path}__isnull": True}).exclude(**{value_path: ""})
        # A linked record's Korean name, where known, labels it on Korean pages.
        korean_path = f"{path}__name_ko" if facet.key else label_path
        chosen = (
            Case(When(**{f"{value_path}__in": selected}, then=Value(0)), default=Value(1))
            if selected
            else Value(1)
        )
        counts = (
            rows.values(value_path, label_path, korean_path)
            .annotate(n=Count("pk", distinct=True), chosen=chosen)
            .order_by("chosen", "-n", value_path)
        )
        if limit is not None:
            counts = counts[:limit]
        return [(r[value_path], r[label_path], r[korean_path], r["n"]) for r in counts]

    def choice_labels(self, facet: Facet) -> dict:
        if facet.key:
            return {}
        field = self.queryset.model._meta.get_field(facet.path)
        return {value: label for value, label in field.flatchoices}


def kind_filter(model, label=None):
    return choices_filter("kind", model.Kind.choices, label or _("Kind"))


def status_filter(model, label=None):
    return choices_filter("status", model.Status.choices, label or _("Status"))


# One FilterSet per collection -------------------------------------------------------


class AgreementFilter(RecordFilterSet):
    # An agreement is in the countries of its parties and in the one it was signed in
    # (a declaration signed in Jeju has no parties), as on the country pages.
    country = country_filter("parties__ministry__country", also=("country",))
    ministry = ministry_filter("parties__ministry")
    kind = kind_filter(Agreement)
    status = status_filter(Agreement)
    date_from, date_to = date_filters("signed_on")
    sort = SortFilter(by_date("signed_on", _("signing date")))
    facets = (
        Facet("country", "parties__ministry__country", "code", also="country"),
        Facet("ministry", "parties__ministry", "slug"),
        Facet("kind", "kind"),
        Facet("status", "status"),
    )

    class Meta:
        model = Agreement
        fields = []


class MinistryFilter(RecordFilterSet):
    country = country_filter()
    sort = SortFilter(by_name())
    facets = (Facet("country", "country", "code"),)

    class Meta:
        model = Ministry
        fields = []


class CouncilFilter(RecordFilterSet):
    country = country_filter()
    ministry = ministry_filter("host_ministries")
    mission = ValuesFilter(
        "mission",
        records=lambda: Organization.objects.published().filter(kind=Organization.Kind.MISSION),
        noun=_("host mission"),
        label=_("Host mission"),
    )
    kind = kind_filter(Council)
    status = status_filter(Council)
    date_from, date_to = date_filters("established_on")
    sort = SortFilter(by_date("established_on", _("date established")))
    facets = (
        Facet("country", "country", "code"),
        Facet("ministry", "host_ministries", "slug"),
        Facet("mission", "mission", "slug"),
        Facet("kind", "kind"),
        Facet("status", "status"),
    )

    class Meta:
        model = Council
        fields = []


class MeetingFilter(RecordFilterSet):
    country = country_filter()
    ministry = ministry_filter("participants__ministry")
    council = ValuesFilter(
        "council", records=published(Council), noun=_("council"), label=_("Council")
    )
    format = choices_filter("format", Meeting.Format.choices, _("Format"))
    kind = kind_filter(Meeting)
    status = status_filter(Meeting)
    date_from, date_to = date_filters("held_on")
    sort = SortFilter(by_date("held_on"))
    facets = (
        Facet("country", "country", "code"),
        Facet("council", "council", "slug"),
        Facet("ministry", "participants__ministry", "slug"),
        Facet("format", "format"),
        Facet("kind", "kind"),
        Facet("status", "status"),
    )

    class Meta:
        model = Meeting
        fields = []


class SupportCaseFilter(RecordFilterSet):
    country = country_filter()
    sector = ValuesFilter(
        "sector",
        label=_("Sector"),
        noun=_("sector"),
    )
    organization = ValuesFilter(
        "actions__organization",
        records=published(Organization),
        noun=_("supporting organization"),
        label=_("Supporting organization"),
    )
    council = ValuesFilter(
        "council", records=published(Council), noun=_("council"), label=_("Council")
    )
    status = status_filter(SupportCase, _("Outcome status"))
    sort = SortFilter(by_name())
    facets = (
        Facet("country", "country", "code"),
        Facet("sector", "sector"),
        Facet("organization", "actions__organization", "slug"),
        Facet("council", "council", "slug"),
        Facet("status", "status"),
    )

    class Meta:
        model = SupportCase
        fields = []


class OrganizationFilter(RecordFilterSet):
    country = country_filter()
    ministry = ministry_filter("parent_ministry")
    kind = kind_filter(Organization)
    sort = SortFilter(by_name())
    facets = (
        Facet("country", "country", "code"),
        Facet("ministry", "parent_ministry", "slug"),
        Facet("kind", "kind"),
    )

    class Meta:
        model = Organization
        fields = []


class PersonFilter(RecordFilterSet):
    country = country_filter()
    ministry = ministry_filter("posts__ministry")
    sort = SortFilter(by_name())
    facets = (Facet("country", "country", "code"), Facet("ministry", "posts__ministry", "slug"))

    class Meta:
        model = Person
        fields = []


class ProgramFilter(RecordFilterSet):
    country = country_filter()
    ministry = ministry_filter("owner_ministries")
    kind = kind_filter(Program)
    date_from, date_to = date_filters("starts_on")
    sort = SortFilter(by_date("starts_on", _("start")))
    facets = (
        Facet("country", "country", "code"),
        Facet("ministry", "owner_ministries", "slug"),
        Facet("kind", "kind"),
    )

    class Meta:
        model = Program
        fields = []


class LanguageNames(dict):
    """A facet's labels for language codes: each code's name in the page's language."""

    def get(self, code, default=None):
        return language_name(code)


class SourceFilter(RecordFilterSet):
    date_from, date_to = date_filters("published_on")
    sort = SortFilter(by_date("published_on", _("publication date")))
    facets = (Facet("language", "language"),)
    language = ValuesFilter("language", label=_("Language"), noun=_("language"))

    def choice_labels(self, facet: Facet) -> dict:
        return LanguageNames() if facet.param == "language" else super().choice_labels(facet)

    class Meta:
        model = Source
        fields = []


class CountryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Name"), max_length=MAX_TEXT)
    facets = ()

    class Meta:
        model = Country
        fields = []

    def filter_text(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(
            Q(name__icontains=text) | Q(name_ko__icontains=text) | Q(code__iexact=text)
        )

    def facet_choices(self):
        return {}
