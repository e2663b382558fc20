"""One FilterSet per collection; the same words (q, country, region, ministry, kind, status,
date_from, date_to, sort) mean the same thing on every list, in CSV, the API and feeds.

The filters are django-filter's own where they do the job, so they validate, render
and describe themselves in the OpenAPI document: linked records by key
(``ModelMultipleChoiceFilter(to_field_name=...)`` over published records), closed
lists of values (``MultipleChoiceFilter(choices=...)``), orderings (``OrderingFilter``).
Two are the portal's own: partial dates, and repeatable free text (a sector as its
source puts it); each declares its OpenAPI type with ``extend_schema_field``.

A value that does not make sense is reported on the form; a page ignores it, CSV,
the API and feeds answer 400. The facets beside each list are in ``facets.py``.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .dates import Precision, parse_partial_date
from .facets import Facet, FacetedFilterSet
from .models import (
    Agreement,
    Council,
    Country,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Region,
    Source,
    SupportCase,
    crosses_to_many,
    path_visibility,
)
from .outcomes import quiet_condition
from .templatetags.i18n_names import language_name

MAX_TEXT = 200
MAX_VALUES = 50
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def unknown(noun):
    """ "Unknown country code: %(value)s." (the form field fills in the value)."""
    return format_lazy(_("Unknown {noun}: {value}."), noun=noun, value="'%(value)s'")


def not_valid(noun):
    return format_lazy(_("Not a valid {noun}: {value}."), noun=noun, value="'%(value)s'")


def too_many_values(values):
    if len(values) > MAX_VALUES:
        raise ValidationError(_("Choose at most %(n)s values."), params={"n": MAX_VALUES})


def linked_to_any(model, paths, values) -> Q:
    """Records whose ``path`` (or any other of ``paths``) is one of ``values``, through
    public rows only. A path through a to-many relation is a subquery, so that a record
    linked twice is listed once and the database joins once; a plain foreign key is
    filtered on directly, so the database can walk the list's order and stop early."""
    condition = Q()
    for path in paths:
        match = Q(**{f"{path}__in": values}) & path_visibility(model, path)
        if crosses_to_many(model, path):
            match = Q(pk__in=model._default_manager.filter(match).values("pk"))
        condition |= match
    return condition


# Linked records, by key --------------------------------------------------------------


class KeysField(django_filters.fields.ModelMultipleChoiceField):
    """Keys of records (``?country=be&country=fr``): at most ``MAX_VALUES``, in any
    case where the keys are lower case (country codes)."""

    def __init__(self, *, lower=False, **kwargs):
        self.lower = lower
        super().__init__(**kwargs)

    def clean(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        values = [str(v).strip() for v in values]
        values = list(dict.fromkeys(v.lower() if self.lower else v for v in values if v))
        too_many_values(values)
        return super().clean(values)


class LinkedFilter(django_filters.ModelMultipleChoiceFilter):
    """Records linked through ``field_name``, or any ``also`` path, to any of the chosen
    records (given by ``to_field_name``); only public links count."""

    field_class = KeysField

    def __init__(self, field_name, *, also=(), noun, **kwargs):
        self.also = also
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("error_messages", {"invalid_choice": unknown(noun)})
        super().__init__(field_name=field_name, distinct=False, **kwargs)

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.field_name, *self.also)

    def keys(self, value) -> list[str]:
        return [getattr(record, self.extra["to_field_name"]) for record in value or []]

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(linked_to_any(qs.model, self.paths, [record.pk for record in value]))


def country_filter(path="country", *, also=()):
    return LinkedFilter(
        path,
        also=also,
        queryset=Country.objects.all(),
        to_field_name="code",
        lower=True,
        noun=_("country code"),
        label=_("Country"),
    )


class RegionFilter(LinkedFilter):
    """Records in any country of the chosen regions or groupings (``?region=europe``),
    by the same paths as the list's ``country`` filter."""

    # A country is in several regions: the facet counts each region on its own.
    per_choice = True

    def __init__(self, country_paths: tuple[str, ...], **kwargs):
        first, *others = (f"{path}__regions" for path in country_paths)
        super().__init__(
            first,
            also=tuple(others),
            queryset=Region.objects.all(),
            lower=True,
            noun=_("region"),
            label=_("Region"),
            **kwargs,
        )


def region_filter(path="country", *, also=()):
    return RegionFilter((path, *also))


def ministry_filter(path):
    return LinkedFilter(
        path, queryset=Ministry.objects.published(), noun=_("ministry"), label=_("Ministry")
    )


class CouncilLinkedFilter(LinkedFilter):
    """Records of the chosen councils and of the bodies under them (an umbrella body's
    per-mission bodies); with ``sub_bodies=exclude``, of the chosen councils alone."""

    def __init__(self, field_name="council", **kwargs):
        super().__init__(
            field_name,
            queryset=Council.objects.published(),
            noun=_("council"),
            label=_("Council"),
            **kwargs,
        )

    @property
    def paths(self) -> tuple[str, ...]:
        filterset = getattr(self, "parent", None)
        alone = filterset is not None and filterset.cleaned().get("sub_bodies") == SubBodies.EXCLUDE
        return (self.field_name,) if alone else (self.field_name, f"{self.field_name}__parent")

    def filter(self, qs, value):
        """The records whose council is one of the public councils chosen or under them:
        one list of councils, so the database finds the records by their own council
        key. The same condition as ``linked_to_any`` over ``paths``, whose two joined
        tables under an OR made PostgreSQL read every meeting (0.6 s at scale 10;
        bench/analysis.md, "Scale 10")."""
        if not value:
            return qs
        chosen = [record.pk for record in value]
        bodies = Q(pk__in=chosen)
        if len(self.paths) > 1:
            bodies |= Q(parent__in=chosen) & path_visibility(Council, "parent")
        councils = Council.objects.published().filter(bodies).values("pk")
        return qs.filter(**{f"{self.field_name}__in": councils})


class SubBodies(models.TextChoices):
    INCLUDE = "include", _("included")
    EXCLUDE = "exclude", _("left out: the chosen council alone")


class SubBodiesFilter(django_filters.ChoiceFilter):
    """Whether ``council`` takes in the bodies under the chosen ones; read by that
    filter, so it filters nothing itself."""

    def __init__(self):
        super().__init__(
            choices=SubBodies.choices,
            label=_("Bodies under the council"),
            empty_label=_("included"),
            error_messages={"invalid_choice": unknown(_("choice of bodies under the council"))},
        )

    def filter(self, qs, value):
        return qs


class Quiet(models.TextChoices):
    YES = "yes", _("quiet")
    NO = "no", _("not quiet")


class QuietFilter(django_filters.ChoiceFilter):
    """Agreements with no recorded activity for ``settings.QUIET_AFTER_MONTHS`` months
    (``quiet=yes``), or the others (``quiet=no``); see ``outcomes``."""

    def __init__(self):
        super().__init__(
            choices=Quiet.choices,
            label=_("Recorded activity"),
            empty_label=_("any"),
            error_messages={"invalid_choice": unknown(_("choice of quiet or not"))},
        )

    def filter(self, qs, value):
        if not value:
            return qs
        condition = quiet_condition()
        return qs.filter(condition) if value == Quiet.YES else qs.exclude(condition)

    def keys(self, value) -> list[str]:
        return [value] if value else []


def council_filter():
    return CouncilLinkedFilter()


# Values of a field --------------------------------------------------------------------


class RepeatableChoiceField(forms.MultipleChoiceField):
    """Values of a repeatable parameter; a single value may come as a plain string."""

    def to_python(self, value):
        return super().to_python([value] if isinstance(value, str) else value)


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One of a field's fixed values (``?kind=mou&kind=declaration``)."""

    field_class = RepeatableChoiceField

    def __init__(self, field_name, choices, *, label):
        super().__init__(
            field_name=field_name,
            choices=choices,
            label=label,
            distinct=False,
            validators=[too_many_values],
            error_messages={"invalid_choice": unknown(label)},
        )

    def keys(self, value) -> list[str]:
        return list(value or [])


def kind_filter(model, label=None):
    return ChoicesFilter("kind", model.Kind.choices, label=label or _("Kind"))


def status_filter(model, label=None):
    return ChoicesFilter("status", model.Status.choices, label=label or _("Status"))


class TextValuesField(RepeatableChoiceField):
    """Repeatable free text: any text without control characters, up to ``MAX_TEXT``
    characters (the API's document states the same as a pattern)."""

    def valid_value(self, value):
        return 0 < len(value) <= MAX_TEXT and not CONTROL_CHARACTER.search(value)

    def clean(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        values = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        too_many_values(values)
        return super().clean(values)


@extend_schema_field(OpenApiTypes.STR)
class TextValuesFilter(ChoicesFilter):
    """A free-text field equal to any of the values (a sector as its source puts it)."""

    field_class = TextValuesField

    def __init__(self, field_name, *, label):
        super().__init__(field_name, (), label=label)
        self.extra.pop("choices")
        self.extra["error_messages"] = {"invalid_choice": not_valid(label)}


# Dates and order ------------------------------------------------------------------


class PartialDateField(forms.Field):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, read as a PartialDate."""

    def to_python(self, value):
        text = str(value or "").strip()
        return parse_partial_date(text[:20]) if text else None


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "description": "YYYY, YYYY-MM or YYYY-MM-DD.",
    }
)
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


def date_filters(field):
    return (
        PartialDateFilter(field_name=field, lookup_expr="gte", label=_("From")),
        PartialDateFilter(field_name=field, lookup_expr="lte", label=_("To")),
    )


class SortFilter(django_filters.OrderingFilter):
    """``sort`` picks one ordering by key (``-signed_on``); dates sort with the undated
    last, and records that tie are in name order."""

    def __init__(self, *fields, labels):
        super().__init__(
            fields=fields,
            field_labels=labels,
            label=_("Sort by"),
            error_messages={
                "invalid_choice": _("Unknown sort order %(value)s; the list keeps its usual order.")
            },
        )

    def ordering(self, model, param):
        descending = param.startswith("-")
        name = self.param_map[param.removeprefix("-")]
        if not model._meta.get_field(name).null:
            return param  # as the index on it is ordered
        field = F(name)
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.ordering(qs.model, param) for param in value), "name")


def by_name():
    return SortFilter("name", labels={"name": _("name, A to Z"), "-name": _("name, Z to A")})


def by_date(field: str, label=None):
    label = label or _("date")
    return SortFilter(
        field,
        "name",
        labels={
            field: format_lazy(_("{label}, oldest first"), label=label),
            f"-{field}": format_lazy(_("{label}, newest first"), label=label),
            "name": _("name, A to Z"),
            "-name": _("name, Z to A"),
        },
    )


# One FilterSet per collection -------------------------------------------------------


class RecordFilterSet(FacetedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label=_("Names, also of linked records"), max_length=MAX_TEXT
    )

    def filter_text(self, queryset, name, value):
        """Published records holding every word as search matches them, through its
        index (names, other names, kind, the names of linked records and of their
        countries' regions; not text), in the order the list is sorted; text of no word
        but common ones ("the") by names and other names. Lists, exports, feeds and the
        API filter published records only, and a draft has no entry."""
        from .search import matching_records  # search reads the registry, which reads us

        found = matching_records(queryset.model, value)
        if found is None:
            return queryset.matching(value)
        return queryset.filter(pk__in=found)


class AgreementFilter(RecordFilterSet):
    # An agreement is in the countries of its parties and in the one it was signed in
    # (a declaration signed in Jeju has no parties), as on the country pages; where only
    # the parties' countries are known (an earlier agreement another renews), in those.
    country = country_filter("parties__ministry__country", also=("country", "party_countries"))
    # Not through party_countries: a third OR'd path makes PostgreSQL's per-region facet
    # count join every path with every other (0.9 s on the fixtures); see the note.
    region = region_filter("parties__ministry__country", also=("country",))
    ministry = ministry_filter("parties__ministry")
    kind = kind_filter(Agreement)
    status = status_filter(Agreement)
    quiet = QuietFilter()
    date_from, date_to = date_filters("signed_on")
    sort = by_date("signed_on", _("signing date"))
    facets = (Facet("country"), Facet("region"), Facet("ministry"), Facet("kind"), Facet("status"))

    class Meta:
        model = Agreement
        fields = []


class MinistryFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    sort = by_name()
    facets = (Facet("country"), Facet("region"))

    class Meta:
        model = Ministry
        fields = []


class CouncilFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    ministry = ministry_filter("host_ministries")
    mission = LinkedFilter(
        "mission",
        queryset=Organization.objects.published().filter(kind=Organization.Kind.MISSION),
        noun=_("host mission"),
        label=_("Host mission"),
    )
    kind = kind_filter(Council)
    status = status_filter(Council)
    date_from, date_to = date_filters("established_on")
    sort = by_date("established_on", _("date established"))
    facets = (
        Facet("country"),
        Facet("region"),
        Facet("ministry"),
        Facet("mission"),
        Facet("kind"),
        Facet("status"),
    )

    class Meta:
        model = Council
        fields = []


class MeetingFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    ministry = ministry_filter("participants__ministry")
    council = council_filter()
    sub_bodies = SubBodiesFilter()
    format = ChoicesFilter("format", Meeting.Format.choices, label=_("Format"))
    kind = kind_filter(Meeting)
    status = status_filter(Meeting)
    date_from, date_to = date_filters("held_on")
    sort = by_date("held_on")
    facets = (
        Facet("country"),
        Facet("region"),
        Facet("council"),
        Facet("ministry"),
        Facet("format"),
        Facet("kind"),
        Facet("status"),
    )

    class Meta:
        model = Meeting
        fields = []


class SupportCaseFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    sector = TextValuesFilter("sector", label=_("Sector"))
    organization = LinkedFilter(
        "actions__organization",
        queryset=Organization.objects.published(),
        noun=_("supporting organization"),
        label=_("Supporting organization"),
    )
    council = council_filter()
    sub_bodies = SubBodiesFilter()
    status = status_filter(SupportCase, _("Outcome status"))
    sort = by_name()
    facets = (
        Facet("country"),
        Facet("region"),
        Facet("sector"),
        Facet("organization"),
        Facet("council"),
        Facet("status"),
    )

    class Meta:
        model = SupportCase
        fields = []


class OrganizationFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    ministry = ministry_filter("parent_ministry")
    kind = kind_filter(Organization)
    sort = by_name()
    facets = (Facet("country"), Facet("region"), Facet("ministry"), Facet("kind"))

    class Meta:
        model = Organization
        fields = []


class PersonFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    ministry = ministry_filter("posts__ministry")
    sort = by_name()
    facets = (Facet("country"), Facet("region"), Facet("ministry"))

    class Meta:
        model = Person
        fields = []


class ProgramFilter(RecordFilterSet):
    country = country_filter()
    region = region_filter()
    ministry = ministry_filter("owner_ministries")
    kind = kind_filter(Program)
    date_from, date_to = date_filters("starts_on")
    sort = by_date("starts_on", _("start"))
    facets = (Facet("country"), Facet("region"), Facet("ministry"), Facet("kind"))

    class Meta:
        model = Program
        fields = []


class SourceFilter(RecordFilterSet):
    language = TextValuesFilter("language", label=_("Language"))
    date_from, date_to = date_filters("published_on")
    sort = by_date("published_on", _("publication date"))
    facets = (Facet("language", label_of=language_name),)

    class Meta:
        model = Source
        fields = []


class CountryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Name"), max_length=MAX_TEXT)

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
