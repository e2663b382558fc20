"""The evidence behind every public fact: source documents, the quotes taken from them
(citations), other names (aliases) and the figures sources report (metrics)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from ..quotes import quote_problem
from ..source_text import content_hash
from .actors import Ministry, Organization, Person
from .agreements import Agreement
from .base import (
    Country,
    ExclusiveArc,
    PartialDatesValidated,
    Record,
    RecordQuerySet,
    Searchable,
    VisibleQuerySet,
    exactly_one,
)
from .cases import SupportCase
from .councils import Council, Meeting
from .programs import Program

# A source's page lists at most this many of the citations of it.
CITATION_LIMIT = 50


def count_of(citations):
    """The number of a source's ``citations`` (a correlated subquery), 0 for none."""
    counted = citations.order_by().values("source").annotate(n=models.Count("pk")).values("n")
    return models.functions.Coalesce(models.Subquery(counted), 0)


@contextmanager
def joins_in_written_order(using: str):
    """On PostgreSQL, the planner joins tables in the order the query names them
    (``join_collapse_limit = 1``) rather than searching all orders, until the block
    ends: in a transaction of its own, or in the one open, then set back."""
    if connections[using].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('join_collapse_limit'), "
            "set_config('join_collapse_limit', '1', true)"
        )
        before, _now = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('join_collapse_limit', %s, true)", [before])


def public_citation_counts() -> dict[int, int]:
    """{source's key: its number of public citations}, for sources with any.

    Counted as all of a source's citations less those of the few hidden records, kind
    by kind: each count is an index scan, where checking every citation's record would
    read hundreds of thousands of rows for a large source."""
    citations = Citation.objects.filter(source=models.OuterRef("pk"))
    public = count_of(citations)
    for name, model in Citation.arc_targets():
        public -= count_of(citations.filter(**{f"{name}__in": model.objects.hidden().values("pk")}))
    counted = Source._default_manager.order_by().annotate(n=public).filter(n__gt=0)
    return dict(counted.values_list("pk", "n"))


class SourceQuerySet(RecordQuerySet):
    def with_citation_counts(self):
        """Each source's number of public citations (a record or a figure that is a
        draft does not count), as ``citation_count``.

        The counts are a kept figure (``cache.kept_until_tables_change``), and the query
        takes each source's as a constant: counting reads every citation of a source,
        which took 0.34 s for the 340,900 of the largest at scale 1, ten times that at
        scale 10 (bench/analysis.md, "Scale 10"), on a page that shows a few sources."""
        from ..cache import kept_until_tables_change
        from ..facets import FACET_CACHE_SECONDS

        counts = kept_until_tables_change(
            "source-citation-counts", public_citation_counts, FACET_CACHE_SECONDS
        )
        count = models.Case(
            *(models.When(pk=pk, then=models.Value(n)) for pk, n in sorted(counts.items())),
            default=models.Value(0),
            output_field=models.IntegerField(),
        )
        # Annotating keeps the default ordering only if it is given again.
        ordering = self.query.order_by or self.model._meta.ordering
        return self.annotate(citation_count=count).order_by(*ordering)

    def for_list(self):
        return self.with_citation_counts()

    def for_detail(self):
        # The page's citations are read by citations_of() (at most CITATION_LIMIT).
        return self

    def citations_of(self, source):
        """The source's first ``CITATION_LIMIT`` public citations with the records they
        support, and one more when there are others.

        The records are fetched by kind (one query for each kind cited) rather than
        joined: planning a join of the citations to nine kinds of record and to the
        subjects of figures took PostgreSQL longer than the page allows. Which citations
        are public still takes those joins (16 of them), and PostgreSQL spent 140 ms
        choosing their order (its search for the best of them); they are written in
        the order to run them (the citations first, then each record by its key), so
        it keeps that order: 7 ms (bench/analysis.md, "Scale 10").
        """
        public = (
            Citation.objects.published()
            .filter(source=source)
            .order_by("pk")
            .only("pk", "quote", "supports", "source", *(f"{name}_id" for name in Citation.arc))
        )
        with joins_in_written_order(public.db):
            found = list(public[: CITATION_LIMIT + 1])
        for citation in found:
            citation.source = source
        models.prefetch_related_objects(
            found,
            *Citation.arc,
            *(f"metric__{name}" for name in Metric.arc),
        )
        return found


class MetricQuerySet(RecordQuerySet):
    def count_per_country(self) -> dict[str, int]:
        """{country code: number of figures about that country}."""
        rows = self.filter(country__isnull=False).order_by().values("country")
        return dict(rows.annotate(n=models.Count("pk")).values_list("country", "n"))

    def about_country(self, country):
        """Figures describing ``country``, with their sources."""
        return self.filter(country=country).select_related("country").cited()

    def first_with_subjects(self, n: int) -> list:
        """The first ``n`` figures in this order, each with its subject and sources.

        The figures are picked before anything is joined, and only the kinds of subject
        they have are joined: sorting every figure joined to seven tables, or even
        planning that join for six figures, was most of the home page's time. (The
        figures are public, so are their subjects.)
        """
        subjects = self.model.arc
        rows = list(self.values_list("pk", *(f"{name}_id" for name in subjects))[:n])
        present = [
            name for i, name in enumerate(subjects, 1) if any(row[i] is not None for row in rows)
        ]
        found = (
            self.model.objects.filter(pk__in=[row[0] for row in rows])
            .select_related(*present)
            .cited()
            .order_by()
        )
        by_pk = {figure.pk: figure for figure in found}
        return [by_pk[row[0]] for row in rows]


class AttachedQuerySet(VisibleQuerySet):
    """Rows that hang off one record of several kinds (citations, aliases)."""

    def for_target(self, kind: str, slug: str):
        return self.filter(**{f"{kind}__slug": slug})


class CitationQuerySet(AttachedQuerySet):
    def get_by_natural_key(self, source, kind, slug, quote):
        return self.for_target(kind, slug).get(source__slug=source, quote=quote)


class AliasQuerySet(AttachedQuerySet):
    def get_by_natural_key(self, kind, slug, name, language):
        return self.for_target(kind, slug).get(name=name, language=language)


class Source(Searchable):
    """One source document. The portal keeps its text to check quotes, and shows only quotes."""

    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on, published_on_precision, published_on_inferred = partial_date_fields(
        _("published on")
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    retrieved_on = models.DateField(_("retrieved on"), null=True, blank=True)
    # Staff only: quotes are checked against it; public pages show quotes, never the text.
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("The document's text, as published. Quotes are checked against it."),
    )
    content_hash = models.CharField(
        _("SHA-256 of the text held"), max_length=64, blank=True, editable=False
    )
    text_file = models.CharField(
        _("text file"),
        max_length=200,
        blank=True,
        help_text=_("File name of the text held in fixtures/sources/."),
    )
    is_synthetic = models.BooleanField(_("synthetic"), default=False, editable=False)

    published = PartialDateAccessor("published_on")

    route_name = "source"
    document_fields = ("name", "name_ko", "publisher")
    objects = SourceQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [partial_date_constraint("published_on")]

    def save(self, *args, **kwargs):
        # Computed, never typed: the hash always describes the text held.
        if self.text:
            self.content_hash = content_hash(self.text)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "text" in update_fields:
                kwargs["update_fields"] = {*update_fields, "content_hash"}
        super().save(*args, **kwargs)


# Other ways a unit is written in the texts figures are proposed from: {spelling: code}.
UNIT_SPELLINGS = {
    "개국": "countries",
    "개사": "companies",
    "company": "companies",
    "country": "countries",
    "meeting": "meetings",
    "participant": "participants",
    "startup": "startups",
}

# The record a figure describes: exactly one of these.
FIGURE_SUBJECTS = (
    "agreement",
    "council",
    "meeting",
    "program",
    "ministry",
    "organization",
    "country",
)


class Metric(ExclusiveArc, Record):
    """A figure as a source reports it, about one record. Public when it is published
    and the record it describes is."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("as stated")
        APPROXIMATELY = "approximately", _("approximately")
        MORE_THAN = "more-than", _("more than")
        EXPECTED = "expected", _("expected")

    class Unit(models.TextChoices):
        """What a figure counts. The values are the codes the API and the exports give;
        the labels are what the pages show, in the page's language."""

        MEETINGS = "meetings", pgettext_lazy("figure unit", "meetings")
        COUNTRIES = "countries", pgettext_lazy("figure unit", "countries")
        SUPPORT_CASES = "support cases", pgettext_lazy("figure unit", "support cases")
        INSTANCES = "instances", pgettext_lazy("figure unit", "instances")
        OVERSEAS_MISSIONS = "overseas missions", pgettext_lazy("figure unit", "overseas missions")
        MISSIONS = "missions", pgettext_lazy("figure unit", "missions")
        LOCAL_GOVERNMENTS = "local governments", pgettext_lazy("figure unit", "local governments")
        PARTICIPANTS = "participants", pgettext_lazy("figure unit", "participants")
        STARTUPS = "startups", pgettext_lazy("figure unit", "startups")
        COMPANIES = "companies", pgettext_lazy("figure unit", "companies")
        RANK = "rank", pgettext_lazy("figure unit", "rank")

        @classmethod
        def code_for(cls, text: str) -> str:
            """The code of the unit ``text`` names ("Countries", "개국"), or ``text``
            itself when the vocabulary has none: an editor then picks one in the admin."""
            word = " ".join(text.split()).lower()
            if word in cls.values:
                return word
            return UNIT_SPELLINGS.get(word, text)

    class Period(models.TextChoices):
        """The span a figure counts over, where the source gives one (blank: none
        stated). Codes for the API and the exports, labels in the page's language."""

        PAST_YEAR = "past-year", pgettext_lazy("figure period", "over the past year")
        TO_DATE = "to-date", pgettext_lazy("figure period", "to date")
        PER_YEAR = "per-year", pgettext_lazy("figure period", "per year")
        PER_MONTH = "per-month", pgettext_lazy("figure period", "per month")

    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=100, choices=Unit.choices)
    qualifier = models.CharField(
        _("qualifier"), max_length=20, choices=Qualifier.choices, blank=True
    )
    as_of, as_of_precision, as_of_inferred = partial_date_fields(_("as of"))
    period = models.CharField(
        _("period"),
        max_length=200,
        blank=True,
        choices=Period.choices,
        help_text=_("The span the figure counts over, where the source gives one."),
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    ministry = models.ForeignKey(
        Ministry, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="metrics"
    )

    measured = PartialDateAccessor("as_of")

    arc = FIGURE_SUBJECTS
    SUBJECT_FIELDS = FIGURE_SUBJECTS
    route_name = "metric"
    objects = MetricQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = [F("as_of").desc(nulls_last=True), "name"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            exactly_one(
                FIGURE_SUBJECTS,
                "metric_describes_exactly_one_record",
                _("A figure describes exactly one record."),
            ),
            partial_date_constraint("as_of"),
        ]

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    @property
    def subject(self):
        return self.arc_target


# The records a Citation or an Alias may be attached to, each the name of its key.
CITED_RECORDS = (
    "agreement",
    "ministry",
    "council",
    "meeting",
    "support_case",
    "organization",
    "person",
    "program",
    "metric",
)
NAMED_RECORDS = ("agreement", "ministry", "council", "meeting", "organization", "person", "program")


class Citation(ExclusiveArc):
    """A short word-for-word quote from a Source that supports one record."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    quote = models.TextField(
        _("quote"),
        max_length=1200,
        help_text=_("A sentence or two, copied word for word from the source."),
    )
    supports = models.CharField(
        _("fields it supports"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the fields this quote supports, comma separated."),
    )

    # The record it supports: exactly one of these.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("ministry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    support_case = models.ForeignKey(
        SupportCase,
        verbose_name=_("support case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    metric = models.ForeignKey(
        Metric,
        verbose_name=_("reported figure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )

    arc = CITED_RECORDS
    public_through = ("source",)

    history = HistoricalRecords()
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source_id", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            exactly_one(
                CITED_RECORDS,
                "citation_cites_exactly_one_record",
                _("A citation supports exactly one record."),
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="citation_has_a_quote",
                violation_error_message=_("A citation needs a quote from its source."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["source", name, "quote"],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"citation_unique_quote_per_{name}",
                )
                for name in CITED_RECORDS
            ],
        ]

    def __str__(self):
        return f"“{self.quote[:80]}” — {self.source}"

    def quote_problem(self):
        """Why the quote cannot be cited from its source's text, or None."""
        return quote_problem(self.quote, self.source.text) if self.quote else None

    @property
    def is_verified(self) -> bool:
        """The quote is in its source's text (which the source holds)."""
        return bool(self.quote) and self.quote_problem() is None

    def clean(self):
        super().clean()
        if self.source_id is not None and (problem := self.quote_problem()):
            raise ValidationError({"quote": problem}, code="quote_not_in_source")

    def save(self, *args, **kwargs):
        # Whoever saves a citation (a form, a script, the shell): a quote must be in its
        # source's text. Sources that hold no text (made by scripts) are checked in clean().
        if self.source_id is not None and self.source.text and (problem := self.quote_problem()):
            raise ValidationError({"quote": problem}, code="quote_not_in_source")
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.source.slug, self.target_field, self.target.slug, self.quote)

    natural_key.dependencies = [
        "initiatives.source",
        *[f"initiatives.{name.replace('_', '')}" for name in CITED_RECORDS],
    ]

    @property
    def target_field(self) -> str:
        return self.arc_field

    @property
    def target(self):
        return self.arc_target


class Alias(ExclusiveArc, PartialDatesValidated):
    """Another name a record goes by: a spelling, an acronym, a translation."""

    class Kind(models.TextChoices):
        SPELLING = "spelling", _("other spelling")
        ACRONYM = "acronym", _("acronym")
        TRANSLATION = "translation", _("translation")
        FORMER = "former", _("former name")
        DESCRIPTION = "description", _("descriptive name in a source")

    name = models.CharField(_("name"), max_length=300)
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("A language code: en, ko, fr…")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPELLING)
    used_from, used_from_precision, used_from_inferred = partial_date_fields(_("used from"))
    used_to, used_to_precision, used_to_inferred = partial_date_fields(_("used to"))
    note = models.TextField(_("note"), blank=True)

    # The record it names: exactly one of these.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("ministry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
    )

    arc = NAMED_RECORDS

    history = HistoricalRecords()
    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            exactly_one(
                NAMED_RECORDS,
                "alias_names_exactly_one_record",
                _("An alias names exactly one record."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="alias_has_a_name",
                violation_error_message=_("An alias needs a name."),
            ),
            partial_date_constraint("used_from"),
            partial_date_constraint("used_to"),
            *[
                models.UniqueConstraint(
                    fields=[name, "name", "language"],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"alias_unique_name_per_{name}",
                )
                for name in NAMED_RECORDS
            ],
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def natural_key(self):
        return (self.target_field, self.target.slug, self.name, self.language)

    natural_key.dependencies = [f"initiatives.{name}" for name in NAMED_RECORDS]

    @property
    def target_field(self) -> str:
        return self.arc_field

    @property
    def target(self):
        return self.arc_target


# (field name, model) of each kind of record a Citation or an Alias may be attached to.
CITABLE = Citation.arc_targets()
NAMEABLE = Alias.arc_targets()
