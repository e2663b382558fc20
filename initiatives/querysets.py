"""Reusable queries, attached to the models with ``QuerySet.as_manager()``.

Every model can be found by its natural key, so fixtures never carry numeric ids.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import IContains

# A source's page lists at most this many of the citations of it.
CITATION_LIMIT = 50


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# Names join words with spaces, hyphens and dashes ("Korea–Belgium", "Oh Young-joo");
# a visitor types a hyphen for any dash, or a space.
SEPARATED = re.compile(r"[\s\u2010-\u2015\u2212-]+")
DASH = re.compile(r"[\u2010-\u2015\u2212-]")


class ContainsWords(IContains):
    """``icontains`` of words in order, each pair joined by any one character: a space,
    a hyphen or a dash (LIKE's ``_``). Being a LIKE, PostgreSQL's trigram indexes on
    upper-cased names (migrations 0004 and 0006) serve it as they serve ``icontains``."""

    prepare_rhs = False

    def process_rhs(self, compiler, connection):
        escaped = (connection.ops.prep_for_like_query(word) for word in self.rhs)
        return "%s", [f"%{'_'.join(escaped)}%"]


def contains(field: str, text: str, *, any_separator: bool = False) -> Q:
    """``field`` contains ``text`` in any case, where a hyphen or dash in ``text`` stands
    for a space or any dash ("Korea-Belgium" finds "Korea–Belgium"); with
    ``any_separator``, a space does too ("oh young joo" finds "Oh Young-joo").

    A space alone stays a plain ``icontains``: a LIKE with ``_`` compares character by
    character, six times slower where the index cannot narrow the rows (a word of one
    or two letters), and on PostgreSQL, search matches the words of names anyway.
    """
    words = [word for word in SEPARATED.split(text) if word]
    if len(words) < 2 or not (any_separator or DASH.search(text)):
        return Q(**{f"{field}__icontains": text})
    return Q(ContainsWords(F(field), words))


def name_contains(text: str) -> Q:
    """The name or the Korean name contains ``text``, in any case (see ``contains``).

    Most records have no Korean name; PostgreSQL's trigram index on Korean names leaves
    the empty ones out (migration 0006), and the ``name_ko <> ''`` here lets it be used.
    """
    return contains("name", text) | (contains("name_ko", text) & ~Q(name_ko=""))


def crosses_to_many(model, path: str) -> bool:
    """Whether ``path`` from ``model`` passes through a relation to several records."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class RecordQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """What ``user`` may open on the public pages: staff who may view drafts preview them.

        For detail views (``Model.objects.for_detail().visible_to(request.user)``); lists,
        search, feeds and exports use ``published()`` for everyone.
        """
        opts = self.model._meta
        may_preview = (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        )
        return self if may_preview else self.published()

    def matching(self, text: str):
        """Records whose name, Korean name or any alias contains ``text``, in any case."""
        text = (text or "").strip()
        if not text:
            return self
        condition = name_contains(text)
        try:
            aliases = self.model._meta.get_field("aliases")
        except FieldDoesNotExist:
            return self.filter(condition)
        # Few aliases against many records: any separator can stand for another here.
        aliased = aliases.related_model.objects.filter(contains("name", text, any_separator=True))
        return self.filter(condition | Q(pk__in=aliased.values(aliases.field.name)))

    def for_rows(self):
        """What a row of ``includes/_rows.html`` shows, for pages of rows of several
        kinds (a country's): ``for_list()`` also reads what exports and the API need."""
        return self.for_list()


class PostQuerySet(models.QuerySet):
    def get_by_natural_key(self, person, title):
        return self.get(person__slug=person, title=title)


class AgreementPartyQuerySet(models.QuerySet):
    def get_by_natural_key(self, agreement, ministry):
        return self.get(agreement__slug=agreement, ministry__slug=ministry)


class AgreementRelationQuerySet(models.QuerySet):
    def get_by_natural_key(self, from_agreement, kind, to_agreement):
        return self.get(
            from_agreement__slug=from_agreement, kind=kind, to_agreement__slug=to_agreement
        )


class MeetingParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting, participant_kind, participant):
        return self.get(meeting__slug=meeting, **{f"{participant_kind}__slug": participant})


class SupportActionQuerySet(models.QuerySet):
    def get_by_natural_key(self, case, order):
        return self.get(case__slug=case, order=order)


class LoadedFixtureRowQuerySet(models.QuerySet):
    def get_by_natural_key(self, model, row_hash):
        return self.get(model=model, row_hash=row_hash)


class AttachedQuerySet(models.QuerySet):
    """Rows that hang off one record of several kinds (citations, aliases)."""

    def for_target(self, kind: str, slug: str):
        return self.filter(**{f"{kind}__slug": slug})


class CitationQuerySet(AttachedQuerySet):
    def get_by_natural_key(self, source, kind, slug, quote):
        return self.for_target(kind, slug).get(source__slug=source, quote=quote)


class AliasQuerySet(AttachedQuerySet):
    def get_by_natural_key(self, kind, slug, name, language):
        return self.for_target(kind, slug).get(name=name, language=language)


# What each public page reads in one go, so that no page fetches row by row.
# Relations are fetched whole; templates keep only the published records.
CITED = ("citations__source",)
NAMED = (*CITED, "aliases")


def joined(model, relation: str, *related):
    """``relation`` prefetched with the rows it points to joined in: one query rather
    than one per level (``parties__ministry__country`` is three)."""
    rows = model._meta.get_field(relation).related_model.objects.select_related(*related)
    return models.Prefetch(relation, queryset=rows)


class AgreementQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            joined(self.model, "parties", "ministry__country")
        )

    def for_detail(self):
        return self.select_related("country").prefetch_related(
            "parties__ministry__country",
            "parties__signatory",
            "cooperation_areas",
            "relations_from__to_agreement",
            "relations_to__from_agreement",
            "councils__country",
            "councils__meetings__country",
            "councils__support_cases__company",
            "councils__support_cases__country",
            "councils__metrics__citations__source",
            "meetings__country",
            "programs",
            "metrics__citations__source",
            *NAMED,
        )


class MinistryQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country")

    def for_detail(self):
        return self.select_related("country").prefetch_related(
            "parties__agreement",
            "agencies",
            "councils",
            "programs",
            "posts__person",
            "participations__meeting",
            "metrics__citations__source",
            *NAMED,
        )


class OrganizationQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country", "parent_ministry")

    def for_rows(self):
        return self.select_related("country")

    def for_detail(self):
        return self.select_related("country", "parent_ministry").prefetch_related(
            "hosted_councils",
            "councils",
            "support_cases",
            "support_actions__case",
            "participations__meeting",
            "posts__person",
            "programs",
            "metrics__citations__source",
            *NAMED,
        )


class PersonQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            joined(self.model, "posts", "ministry", "organization")
        )

    def for_detail(self):
        return self.for_list().prefetch_related(
            "signatures__agreement",
            "signatures__ministry",
            "meetings_presided",
            "participations__meeting",
            *NAMED,
        )


class CouncilQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related(
            "country", "mission", "established_under", "parent"
        ).prefetch_related("host_ministries")

    def for_rows(self):
        return self.select_related("country", "mission")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "children",
            "members",
            "meetings__country",
            "support_cases__company",
            "metrics__citations__source",
            *NAMED,
        )


class MeetingQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("council", "country", "presided_by")

    def for_rows(self):
        return self.select_related("council", "country")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "participants__person",
            "participants__organization",
            "participants__ministry",
            "related_agreements",
            "support_cases_reported__company",
            "metrics__citations__source",
            *NAMED,
        )

    def for_calendar(self):
        """What the iCalendar reads of each meeting and no more: it holds hundreds of
        meetings, and reading and building unused columns and people was a third of it."""
        return self.select_related("council", "country").only(
            *CALENDAR_FIELDS,
            "council__name",
            "council__name_ko",
            "council__is_published",
            "country__name",
            "country__name_ko",
        )


# What feeds.meeting_event() and feeds.meeting_text() read of a meeting.
CALENDAR_FIELDS = (
    "slug",
    "name",
    "kind",
    "status",
    "summary",
    "held_on",
    "held_on_precision",
    "held_on_inferred",
    "venue",
    "city",
    "country",
    "format",
    "council",
    "updated_at",
)


class SupportCaseQuerySet(RecordQuerySet):
    # Staff-only fields are never read for public pages.
    def for_list(self):
        return self.defer("staff_notes", "staff_contacts").select_related(
            "company", "country", "council"
        )

    def for_rows(self):
        return self.defer("staff_notes", "staff_contacts").select_related("company", "country")

    def for_detail(self):
        return (
            self.for_list()
            .select_related("reported_at")
            .prefetch_related("actions__organization", *CITED)
        )


class ProgramQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            "owner_ministries", "owner_organizations"
        )

    def for_rows(self):
        return self.select_related("country")

    def for_detail(self):
        return self.for_list().prefetch_related(
            "related_agreements", "metrics__citations__source", *NAMED
        )


class SourceQuerySet(RecordQuerySet):
    def for_list(self):
        # Counting groups rows, which drops the default ordering: keep it explicitly.
        ordering = self.query.order_by or self.model._meta.ordering
        # A subquery per source (an index scan) rather than grouping every citation.
        citations = self.model._meta.get_field("citations").related_model
        per_source = (
            citations.objects.filter(source=models.OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(citation_count=Coalesce(models.Subquery(per_source), 0)).order_by(
            *ordering
        )

    def for_detail(self):
        # The page's citations are read by citations_of() (at most CITATION_LIMIT).
        return self

    def citations_of(self, source):
        """The source's first ``CITATION_LIMIT`` citations with the records they
        support, and one more when there are others.

        The records are fetched by kind (one query for each kind cited) rather than
        joined: planning a join of the citations to nine kinds of record and to the
        subjects of figures took PostgreSQL longer than the page allows.
        """
        citations = self.model._meta.get_field("citations").related_model
        metric = citations._meta.get_field("metric").related_model
        found = list(citations.objects.filter(source=source).order_by("pk")[: CITATION_LIMIT + 1])
        for citation in found:
            citation.source = source
        models.prefetch_related_objects(
            found,
            *(name for name, _model in citations.TARGETS),
            *(f"metric__{name}" for name in metric.SUBJECT_FIELDS),
        )
        return found


class MetricQuerySet(RecordQuerySet):
    def with_subjects(self):
        """Figures with the record each describes, for lists of figures."""
        return self.select_related(
            "agreement", "council", "meeting", "program", "ministry", "organization", "country"
        ).prefetch_related(*CITED)

    def about_country(self, country):
        """Figures describing ``country``, with their sources. A figure describes one
        record, so only the country is joined: planning with_subjects()'s seven joins took
        longer than reading the figures."""
        return (
            self.filter(country=country)
            .select_related("country")
            .prefetch_related(joined(self.model, "citations", "source"))
        )

    def first_with_subjects(self, n: int) -> list:
        """The first ``n`` figures in this order, each with its subject and sources.

        The figures are picked before anything is joined, and only the kinds of subject
        they have are joined: sorting every figure joined to seven tables, or even
        planning that join for six figures, was most of the home page's time.
        """
        subjects = self.model.SUBJECT_FIELDS
        rows = list(self.values_list("pk", *(f"{name}_id" for name in subjects))[:n])
        present = [
            name for i, name in enumerate(subjects, 1) if any(row[i] is not None for row in rows)
        ]
        found = (
            self.model.objects.filter(pk__in=[row[0] for row in rows])
            .select_related(*present)
            .prefetch_related(joined(self.model, "citations", "source"))
            .order_by()
        )
        by_pk = {figure.pk: figure for figure in found}
        return [by_pk[row[0]] for row in rows]
