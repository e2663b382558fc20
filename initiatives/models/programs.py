"""Programs: initiatives, projects, events, facilities and policies."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from .actors import Ministry, Organization
from .agreements import Agreement
from .base import Country, Record, RecordQuerySet, Searchable


class ProgramQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            self.linked("owner_ministries"), self.linked("owner_organizations")
        )

    def for_rows(self):
        return self.select_related("country")

    def for_detail(self):
        return self.for_export()

    def for_export(self):
        return self.for_list().figured().prefetch_related(self.linked("related_agreements"))


class Program(Searchable):
    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("initiative")
        PROJECT = "project", _("project")
        EVENT = "event", _("event")
        FACILITY = "facility", _("facility")
        POLICY = "policy", _("policy or strategy")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("Left empty when the source does not say."),
    )
    summary = models.TextField(_("summary"), blank=True)
    owner_ministries = models.ManyToManyField(
        Ministry, blank=True, related_name="programs", verbose_name=_("owning ministries")
    )
    owner_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="programs", verbose_name=_("owning organizations")
    )
    starts_on, starts_on_precision, starts_on_inferred = partial_date_fields(_("starts on"))
    ends_on, ends_on_precision, ends_on_inferred = partial_date_fields(_("ends on"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
    )
    budget_amount = models.DecimalField(
        _("budget"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(
        _("budget currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. KRW.")
    )
    budget_is_approximate = models.BooleanField(_("budget is approximate"), default=False)
    related_agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="programs", verbose_name=_("related agreements")
    )

    starts = PartialDateAccessor("starts_on")
    ends = PartialDateAccessor("ends_on")

    route_name = "program"
    document_fields = ("name", "name_ko", "summary")
    objects = ProgramQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["kind"], name="program_kind_idx"),
            models.Index(fields=["starts_on"], name="program_starts_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="program_ends_after_it_starts",
                violation_error_message=_("A program cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(budget_currency=""),
                name="program_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
            partial_date_constraint("starts_on"),
            partial_date_constraint("ends_on"),
        ]
