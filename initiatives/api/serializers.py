"""What the API says about each record: every field the public pages show, dates with
their precision, aliases, figures and citations; relations as slugs.

This is the one description of a record outside HTML: CSV and other tabular formats
are rendered from it (``exports.py``). The querysets (``for_export()``) fetch only
public rows, so nothing here filters drafts: a link to a draft arrives as None.

Fields are listed by name, never ``__all__``, so a staff-only field (SupportCase's
notes and contacts) can only reach the API by someone writing it here.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..dates import Precision, stored_partial_date
from ..models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    Alias,
    Citation,
    Council,
    Country,
    Meeting,
    MeetingParticipant,
    Metric,
    Ministry,
    Organization,
    Person,
    Post,
    Program,
    Source,
    SupportAction,
    SupportCase,
)

# In a serializer's ``tabular_sources``: the record's API and page addresses (tabular.py).
API_URL = "api-url"
PAGE_URL = "page-url"


def key_of(record):
    """How the API names a related record: a country by its code, anything else by slug."""
    return record.code if isinstance(record, Country) else record.slug


# Fields -----------------------------------------------------------------------------


class PartialDateSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM-DD, to its precision.")
    precision = serializers.ChoiceField(choices=Precision.choices)
    inferred = serializers.BooleanField(help_text="Worked out from context, not stated.")
    display = serializers.CharField(help_text="As the pages show it: 'April 2024'.")


@extend_schema_field(PartialDateSerializer(allow_null=True))
class PartialDateField(serializers.Field):
    """The model's partial date of the same name as ``{"value": "2024-04", ...}``, or null."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        value = stored_partial_date(record, self.field_name)
        if value is None:
            return None
        return {
            "value": value.iso,
            "precision": value.precision,
            "inferred": value.inferred,
            "display": str(value),
        }


@extend_schema_field(serializers.CharField(allow_null=True))
class RelatedKeyField(serializers.Field):
    """A related record's slug (a country's code), or null when there is none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value is None else key_of(value)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class RelatedKeysField(serializers.Field):
    """The slugs (codes) of the records of a to-many relation (prefetched)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [key_of(record) for record in value.all()]


# Aliases, citations, figures --------------------------------------------------------


class AliasSerializer(serializers.ModelSerializer):
    used_from = PartialDateField()
    used_to = PartialDateField()

    class Meta:
        model = Alias
        fields = ["name", "language", "kind", "used_from", "used_to", "note"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"": "name"}


class CitationSerializer(serializers.ModelSerializer):
    source = RelatedKeyField()
    source_url = serializers.SerializerMethodField(help_text="The source's page.")

    class Meta:
        model = Citation
        fields = ["quote", "supports", "source", "source_url"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"source": "source"}

    def get_source_url(self, citation) -> str:
        return absolute(self.context, citation.source.get_absolute_url())


class MetricSerializer(serializers.ModelSerializer):
    as_of = PartialDateField()
    citations = CitationSerializer(many=True)

    class Meta:
        model = Metric
        fields = ["slug", "name", "value", "unit", "qualifier", "as_of", "period", "citations"]


def absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


# Records ----------------------------------------------------------------------------


class RecordSerializer(serializers.ModelSerializer):
    """The fields every published record has; subclasses add their own."""

    url = serializers.SerializerMethodField(help_text="This record in the API.")
    html_url = serializers.SerializerMethodField(help_text="This record's page.")
    common_fields = [
        "url",
        "html_url",
        "slug",
        "name",
        "name_ko",
        "note",
        "published_at",
        "updated_at",
    ]

    # How a table reads the method fields (tabular.py).
    tabular_sources = {"url": API_URL, "html_url": PAGE_URL}

    def get_url(self, record) -> str:
        view = f"api:{record.route_name}-detail"
        return absolute(self.context, reverse(view, args=[record.slug]))

    def get_html_url(self, record) -> str:
        return absolute(self.context, record.get_absolute_url())


class NamedRecordSerializer(RecordSerializer):
    aliases = AliasSerializer(many=True)
    citations = CitationSerializer(many=True)


class FiguredRecordSerializer(NamedRecordSerializer):
    metrics = MetricSerializer(many=True, help_text="Figures reported about this record.")


class PartySerializer(serializers.ModelSerializer):
    ministry = RelatedKeyField()
    country = RelatedKeyField(source="ministry.country")
    signatory = RelatedKeyField()

    class Meta:
        model = AgreementParty
        fields = ["ministry", "country", "signatory", "signatory_title"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {
            "": "ministry",
            "country": "country",
            "signatory": "signatory",
            "signatory_title": "signatory_title",
        }


class RelationSerializer(serializers.ModelSerializer):
    agreement = RelatedKeyField(source="to_agreement")

    class Meta:
        model = AgreementRelation
        fields = ["kind", "agreement", "note"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"": "agreement"}


class InverseRelationSerializer(serializers.ModelSerializer):
    agreement = RelatedKeyField(source="from_agreement")

    class Meta:
        model = AgreementRelation
        fields = ["kind", "agreement", "note"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"": "agreement"}


class OutcomeSerializer(serializers.Serializer):
    """What came of an agreement (``outcomes.outcome_counts``)."""

    councils = serializers.IntegerField(
        source="n_councils", label=_("Councils"), help_text="Councils established under it."
    )
    meetings = serializers.IntegerField(
        source="n_meetings",
        label=_("Meetings"),
        help_text="Meetings of those councils, or related to it.",
    )
    support_cases = serializers.IntegerField(
        source="n_support_cases",
        label=_("Support cases"),
        help_text="Companies helped through those councils.",
    )
    figures = serializers.IntegerField(
        source="n_figures",
        label=_("Figures"),
        help_text="Figures reported about it or those councils.",
    )
    quiet = serializers.BooleanField(
        source="is_quiet",
        label=_("Quiet"),
        help_text="No recorded activity (signing, council, meeting, figure) for the "
        "portal's QUIET_AFTER_MONTHS months (12 by default).",
    )


class AgreementSerializer(FiguredRecordSerializer):
    status_as_of = PartialDateField(help_text="The date of the report the status rests on.")
    status_expected_by = PartialDateField(
        help_text="When the source expected the pending step (a meeting, operations) by."
    )
    signed_on = PartialDateField()
    in_force_on = PartialDateField()
    expires_on = PartialDateField()
    country = RelatedKeyField(help_text="Country of signing.")
    parties = PartySerializer(many=True)
    cooperation_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    relations = RelationSerializer(
        many=True, source="relations_from", help_text="This agreement supersedes, renews… another."
    )
    related_by = InverseRelationSerializer(
        many=True, source="relations_to", help_text="Agreements that supersede, renew… this one."
    )
    councils = RelatedKeysField(help_text="Councils established under this agreement.")
    party_countries = RelatedKeysField(
        help_text="The parties' countries, where the source gives them but not the ministries."
    )
    what_came_of_it = OutcomeSerializer(source="*", read_only=True, label=_("What came of it"))

    class Meta:
        model = Agreement
        fields = [
            *RecordSerializer.common_fields,
            "kind",
            "status",
            "status_as_of",
            "status_expected_by",
            "summary",
            "signed_on",
            "in_force_on",
            "expires_on",
            "city",
            "venue",
            "country",
            "parties",
            "party_countries",
            "party_countries_inferred",
            "cooperation_areas",
            "relations",
            "related_by",
            "councils",
            "what_came_of_it",
            "aliases",
            "metrics",
            "citations",
        ]


class MinistrySerializer(FiguredRecordSerializer):
    country = RelatedKeyField()
    agencies = RelatedKeysField()

    class Meta:
        model = Ministry
        fields = [
            *RecordSerializer.common_fields,
            "name_ko_reference",
            "acronym",
            "country",
            "agencies",
            "aliases",
            "metrics",
            "citations",
        ]


class CouncilSerializer(FiguredRecordSerializer):
    status_as_of = PartialDateField(help_text="The date of the report the status rests on.")
    status_expected_by = PartialDateField(
        help_text="When the source expected the pending step (a meeting, operations) by."
    )
    established_on = PartialDateField()
    host_ministries = RelatedKeysField()
    established_under = RelatedKeyField()
    parent = RelatedKeyField(help_text="The umbrella body.")
    mission = RelatedKeyField(help_text="The diplomatic mission that hosts it.")
    country = RelatedKeyField()
    members = RelatedKeysField()

    class Meta:
        model = Council
        fields = [
            *RecordSerializer.common_fields,
            "kind",
            "status",
            "status_as_of",
            "status_expected_by",
            "summary",
            "established_on",
            "host_ministries",
            "established_under",
            "parent",
            "mission",
            "country",
            "members",
            "aliases",
            "metrics",
            "citations",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(help_text="person, organization or ministry")
    participant = serializers.SerializerMethodField(help_text="The participant's slug.")

    class Meta:
        model = MeetingParticipant
        fields = ["kind", "participant", "role", "attendance"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"": "participant"}

    tabular_sources = {"participant": MeetingParticipant.arc}

    def get_kind(self, row) -> str:
        return row.participant_field

    def get_participant(self, row) -> str:
        return row.participant.slug


class MeetingSerializer(FiguredRecordSerializer):
    status_as_of = PartialDateField(help_text="The date of the report the status rests on.")
    status_expected_by = PartialDateField(
        help_text="When the source expected the pending step (a meeting, operations) by."
    )
    held_on = PartialDateField()
    council = RelatedKeyField()
    country = RelatedKeyField()
    presided_by = RelatedKeyField()
    participants = ParticipantSerializer(many=True)
    related_agreements = RelatedKeysField()

    class Meta:
        model = Meeting
        fields = [
            *RecordSerializer.common_fields,
            "kind",
            "status",
            "status_as_of",
            "status_expected_by",
            "summary",
            "held_on",
            "council",
            "venue",
            "city",
            "country",
            "place_inferred",
            "format",
            "presided_by",
            "participants",
            "related_agreements",
            "aliases",
            "metrics",
            "citations",
        ]


class ActionSerializer(serializers.ModelSerializer):
    organization = RelatedKeyField()

    class Meta:
        model = SupportAction
        fields = ["order", "organization", "actor", "action"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"organization": "organization"}


class SupportCaseSerializer(RecordSerializer):
    status_as_of = PartialDateField(help_text="The date of the report the status rests on.")
    status_expected_by = PartialDateField(
        help_text="When the source expected the pending step (a meeting, operations) by."
    )
    company = RelatedKeyField()
    country = RelatedKeyField()
    council = RelatedKeyField()
    reported_at = RelatedKeyField(help_text="The meeting where the case was reported.")
    actions = ActionSerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta:
        model = SupportCase
        fields = [
            *RecordSerializer.common_fields,
            "company",
            "sector",
            "country",
            "region",
            "challenge",
            "outcome",
            "status",
            "status_as_of",
            "status_expected_by",
            "council",
            "reported_at",
            "actions",
            "citations",
        ]


class OrganizationSerializer(FiguredRecordSerializer):
    country = RelatedKeyField()
    parent_ministry = RelatedKeyField()

    class Meta:
        model = Organization
        fields = [
            *RecordSerializer.common_fields,
            "name_ko_reference",
            "kind",
            "acronym",
            "country",
            "city",
            "parent_ministry",
            "sector",
            "aliases",
            "metrics",
            "citations",
        ]


class PostSerializer(serializers.ModelSerializer):
    ministry = RelatedKeyField()
    organization = RelatedKeyField()
    held_from = PartialDateField()
    held_to = PartialDateField()
    seen_on = PartialDateField()

    class Meta:
        model = Post
        fields = ["title", "ministry", "organization", "held_from", "held_to", "seen_on"]
        # Its column(s) when the list is laid flat in CSV: {column suffix: field}.
        tabular = {"": "title"}


class PersonSerializer(NamedRecordSerializer):
    country = RelatedKeyField()
    posts = PostSerializer(many=True)

    class Meta:
        model = Person
        fields = [*RecordSerializer.common_fields, "country", "posts", "aliases", "citations"]


class BudgetSerializer(serializers.Serializer):
    """A program's budget, or null when no source states one."""

    amount = serializers.DecimalField(max_digits=20, decimal_places=2, source="budget_amount")
    currency = serializers.CharField(source="budget_currency")
    approximate = serializers.BooleanField(source="budget_is_approximate")

    def to_representation(self, program):
        return None if program.budget_amount is None else super().to_representation(program)


class ProgramSerializer(FiguredRecordSerializer):
    starts_on = PartialDateField()
    ends_on = PartialDateField()
    owner_ministries = RelatedKeysField()
    owner_organizations = RelatedKeysField()
    country = RelatedKeyField()
    budget = BudgetSerializer(source="*", read_only=True, allow_null=True)
    related_agreements = RelatedKeysField()

    class Meta:
        model = Program
        fields = [
            *RecordSerializer.common_fields,
            "kind",
            "summary",
            "starts_on",
            "ends_on",
            "owner_ministries",
            "owner_organizations",
            "city",
            "country",
            "budget",
            "related_agreements",
            "aliases",
            "metrics",
            "citations",
        ]


class SourceSerializer(RecordSerializer):
    published_on = PartialDateField()
    address = serializers.SerializerMethodField(help_text="Where the document is published.")
    citation_count = serializers.IntegerField(
        read_only=True, help_text="How many quotes the portal takes from it."
    )

    class Meta:
        model = Source
        fields = [
            *RecordSerializer.common_fields,
            "publisher",
            "published_on",
            "address",
            "language",
            "retrieved_on",
            "content_hash",
            "citation_count",
        ]

    tabular_sources = {**RecordSerializer.tabular_sources, "address": "url"}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_address(self, source):
        return source.url or None


class CountrySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This country in the API.")
    html_url = serializers.SerializerMethodField(help_text="This country's page.")
    metrics = MetricSerializer(many=True, help_text="Figures reported about this country.")

    class Meta:
        model = Country
        fields = ["url", "html_url", "code", "name", "name_ko", "metrics"]

    tabular_sources = RecordSerializer.tabular_sources

    def get_url(self, country) -> str:
        return absolute(self.context, reverse("api:country-detail", args=[country.code]))

    def get_html_url(self, country) -> str:
        return absolute(self.context, country.get_absolute_url())
