"""Support cases: help given to one company abroad, and who did what."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from .actors import Organization
from .base import Country, Record, RecordQuerySet, Searchable, VisibleQuerySet
from .councils import Council, Meeting


class SupportCaseQuerySet(RecordQuerySet):
    # Staff-only fields are never read for public pages.
    def for_list(self):
        return (
            self.defer(*self.model.STAFF_ONLY_FIELDS)
            .select_related("country")
            .prefetch_related(self.linked("company"), self.linked("council"))
        )

    def for_rows(self):
        return (
            self.defer(*self.model.STAFF_ONLY_FIELDS)
            .select_related("country")
            .prefetch_related(self.linked("company"))
        )

    def for_detail(self):
        return self.for_export()

    def for_export(self):
        actions = self.linked("actions", select=["organization"])
        return self.for_list().cited().prefetch_related(self.linked("reported_at"), actions)


class SupportActionQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, case, order):
        return self.get(case__slug=case, order=order)


class SupportCase(Searchable):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in-progress", _("in progress")
        RESOLVED = "resolved", _("resolved")

    company = models.ForeignKey(
        Organization,
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="support_cases",
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_cases",
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    challenge = models.TextField(_("challenge"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    council = models.ForeignKey(
        Council,
        verbose_name=_("came through council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_cases",
    )
    reported_at = models.ForeignKey(
        Meeting,
        verbose_name=_("reported at meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_cases_reported",
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
    staff_notes = models.TextField(
        _("staff-only notes"), blank=True, help_text=_("Never shown on public pages or exports.")
    )
    staff_contacts = models.TextField(
        _("staff-only contacts"),
        blank=True,
        help_text=_("Never shown on public pages or exports."),
    )

    status_reported = PartialDateAccessor("status_as_of")
    status_expected = PartialDateAccessor("status_expected_by")

    route_name = "support-case"
    document_fields = ("name", "name_ko", "sector")
    objects = SupportCaseQuerySet.as_manager()
    STAFF_ONLY_FIELDS = ("staff_notes", "staff_contacts")

    class Meta(Record.Meta):
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["country", "status"], name="supportcase_country_status_idx"),
            # A country's page lists its cases by name.
            models.Index(fields=["country", "name"], name="supportcase_country_name_idx"),
            models.Index(fields=["sector"], name="supportcase_sector_idx"),
            models.Index(fields=["status"], name="supportcase_status_idx"),
        ]
        constraints = [
            partial_date_constraint("status_as_of"),
            partial_date_constraint("status_expected_by"),
        ]


class SupportAction(models.Model):
    """One organization's part in a support case: who did what."""

    case = models.ForeignKey(
        SupportCase,
        verbose_name=_("support case"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
    )
    actor = models.CharField(
        _("actor as the source names it"),
        max_length=200,
        blank=True,
        help_text=_("Used when the source does not identify the organization."),
    )
    action = models.TextField(_("what it did"))

    # Public with its case and the organization that acted, where one is named.
    public_through = ("case", "organization")

    history = HistoricalRecords()
    objects = SupportActionQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "order"]
        verbose_name = _("supporting action")
        verbose_name_plural = _("supporting actions")
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="support_action_unique_order"),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(actor=""),
                name="support_action_has_an_actor",
                violation_error_message=_(
                    "Say which organization acted, or name it as the source does."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organization or self.actor}: {self.action[:60]}"

    def natural_key(self):
        return (self.case.slug, self.order)

    natural_key.dependencies = ["initiatives.supportcase"]
