"""Agreements (MOUs, agreements, declarations), their parties and the typed links
between them (supersedes, renews, amends, implements)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from .actors import Ministry, Person
from .base import CooperationArea, Country, Record, RecordQuerySet, Searchable, VisibleQuerySet


class AgreementQuerySet(RecordQuerySet):
    def for_list(self):
        return (
            self.select_related("country")
            .prefetch_related(self.parties(), "party_countries")
            .with_outcome()
        )

    def with_outcome(self):
        """What ``outcomes.outcome_of()`` reads: the public councils set up under each
        agreement with their meetings, cases and figures, and the agreement's own
        meetings and figures (kept apart from the page's other prefetches of them)."""
        councils = self.linked(
            "councils",
            then=lambda councils: councils.prefetch_related(
                councils.linked("meetings"),
                councils.linked("support_cases"),
                councils.linked("metrics"),
            ),
            to_attr="outcome_councils",
        )
        return self.prefetch_related(
            councils,
            self.linked("meetings", to_attr="outcome_meetings"),
            self.linked("metrics", to_attr="outcome_metrics"),
        )

    def parties(self):
        """The public parties, with their ministries' countries and public signatories."""
        return self.linked(
            "parties",
            select=["ministry__country"],
            then=lambda parties: parties.prefetch_related(parties.linked("signatory")),
        )

    def for_detail(self):
        """What came of the agreement too: its councils' meetings, cases and figures."""
        councils = self.linked(
            "councils",
            select=["country"],
            then=lambda councils: councils.prefetch_related(
                councils.linked("meetings", select=["country"]),
                councils.linked("support_cases", then=lambda cases: cases.for_rows()),
                councils.figures(),
            ),
        )
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                "cooperation_areas",
                self.linked("relations_from", select=["to_agreement"]),
                self.linked("relations_to", select=["from_agreement"]),
                councils,
                self.linked("meetings", select=["country"]),
                self.linked("programs"),
            )
        )

    def for_export(self):
        from ..outcomes import outcome_counts  # it reads the other models of the domain

        return (
            self.for_list()
            .annotate(**outcome_counts())
            .figured()
            .prefetch_related(
                "cooperation_areas",
                self.linked("relations_from", select=["to_agreement"]),
                self.linked("relations_to", select=["from_agreement"]),
                self.linked("councils"),
            )
        )


class AgreementPartyQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, agreement, ministry):
        return self.get(agreement__slug=agreement, ministry__slug=ministry)


class AgreementRelationQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, from_agreement, kind, to_agreement):
        return self.get(
            from_agreement__slug=from_agreement, kind=kind, to_agreement__slug=to_agreement
        )


class Agreement(Searchable):
    class Kind(models.TextChoices):
        MOU = "mou", _("memorandum of understanding")
        AGREEMENT = "agreement", _("agreement")
        DECLARATION = "declaration", _("declaration or initiative")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        SIGNED = "signed", _("signed (in-force status not stated)")
        IN_FORCE = "in-force", _("in force")
        EXPIRED = "expired", _("expired")
        SUPERSEDED = "superseded", _("superseded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MOU)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SIGNED
    )
    summary = models.TextField(_("summary"), blank=True)
    signed_on, signed_on_precision, signed_on_inferred = partial_date_fields(_("signed on"))
    in_force_on, in_force_on_precision, in_force_on_inferred = partial_date_fields(
        _("in force from")
    )
    expires_on, expires_on_precision, expires_on_inferred = partial_date_fields(_("expires on"))
    city = models.CharField(_("city of signing"), max_length=100, blank=True)
    venue = models.CharField(_("venue of signing"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country of signing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_signed_here",
    )
    ministries = models.ManyToManyField(
        Ministry,
        through="AgreementParty",
        related_name="agreements",
        verbose_name=_("parties"),
    )
    cooperation_areas = models.ManyToManyField(
        CooperationArea, blank=True, related_name="agreements", verbose_name=_("cooperation areas")
    )
    # For an agreement whose parties' ministries are not known, only their countries.
    party_countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="agreements_as_party",
        verbose_name=_("parties' countries"),
        help_text=_("Only where the source makes the countries clear but not the ministries."),
    )
    party_countries_inferred = models.BooleanField(
        _("parties' countries inferred"),
        default=False,
        help_text=_("Worked out from context, not stated; the note says why."),
    )
    # The status as last reported: when, and by when what is pending was expected.
    status_as_of, status_as_of_precision, status_as_of_inferred = partial_date_fields(
        _("status as of"), help_text=_("The date of the report the status rests on.")
    )
    (
        status_expected_by,
        status_expected_by_precision,
        status_expected_by_inferred,
    ) = partial_date_fields(
        _("expected by"),
        help_text=_("When the source expected the pending step (a meeting, operations) by."),
    )

    signed = PartialDateAccessor("signed_on")
    in_force = PartialDateAccessor("in_force_on")
    expires = PartialDateAccessor("expires_on")
    status_reported = PartialDateAccessor("status_as_of")
    status_expected = PartialDateAccessor("status_expected_by")

    route_name = "agreement"
    document_fields = ("name", "name_ko", "summary")
    objects = AgreementQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = [F("signed_on").desc(nulls_last=True), "name"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["kind", "status"], name="agreement_kind_status_idx"),
            models.Index(fields=["signed_on"], name="agreement_signed_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(expires_on__gte=F("signed_on")),
                name="agreement_expires_after_signing",
                violation_error_message=_("An agreement cannot expire before it is signed."),
            ),
            partial_date_constraint("signed_on"),
            partial_date_constraint("in_force_on"),
            partial_date_constraint("expires_on"),
            partial_date_constraint("status_as_of"),
            partial_date_constraint("status_expected_by"),
        ]


class AgreementParty(models.Model):
    """A ministry that is party to an agreement, and who signed for it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    ministry = models.ForeignKey(
        Ministry, verbose_name=_("ministry"), on_delete=models.PROTECT, related_name="parties"
    )
    signatory = models.ForeignKey(
        Person,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signatory_title = models.CharField(
        _("signatory's title at the time"), max_length=200, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Public when both the agreement and the ministry are; a draft signatory reads as absent.
    public_through = ("agreement", "ministry")

    history = HistoricalRecords()
    objects = AgreementPartyQuerySet.as_manager()

    class Meta:
        ordering = ["agreement_id", "order", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "ministry"], name="agreement_party_once_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(signatory__isnull=False) | Q(signatory_title=""),
                name="agreement_party_title_needs_signatory",
                violation_error_message=_("A signatory's title needs a signatory."),
            ),
        ]

    def __str__(self):
        return f"{self.ministry} — {self.agreement}"

    def natural_key(self):
        return (self.agreement.slug, self.ministry.slug)

    natural_key.dependencies = ["initiatives.agreement", "initiatives.ministry"]


class AgreementRelation(models.Model):
    """A typed link between two agreements: ``from_agreement`` renews ``to_agreement``."""

    class Kind(models.TextChoices):
        SUPERSEDES = "supersedes", _("supersedes")
        RENEWS = "renews", _("renews")
        AMENDS = "amends", _("amends")
        IMPLEMENTS = "implements", _("implements")
        BUILDS_ON = "builds-on", _("builds on")

    from_agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="relations_from",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    to_agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("related agreement"),
        on_delete=models.PROTECT,
        related_name="relations_to",
    )
    note = models.TextField(_("note"), blank=True)

    public_through = ("from_agreement", "to_agreement")

    history = HistoricalRecords()
    objects = AgreementRelationQuerySet.as_manager()

    class Meta:
        ordering = ["from_agreement_id", "kind"]
        verbose_name = _("agreement relation")
        verbose_name_plural = _("agreement relations")
        constraints = [
            models.UniqueConstraint(
                fields=["from_agreement", "kind", "to_agreement"],
                name="agreement_relation_unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_agreement=F("to_agreement")),
                name="agreement_relation_not_to_itself",
                violation_error_message=_("An agreement cannot supersede, renew or amend itself."),
            ),
        ]

    def __str__(self):
        return f"{self.from_agreement} {self.get_kind_display()} {self.to_agreement}"

    def natural_key(self):
        return (self.from_agreement.slug, self.kind, self.to_agreement.slug)

    natural_key.dependencies = ["initiatives.agreement"]
