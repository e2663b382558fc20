"""Who acts: ministries, other organizations (agencies, missions, companies), people
and the posts they hold."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from .base import (
    Country,
    PartialDatesValidated,
    Record,
    RecordQuerySet,
    Searchable,
    VisibleQuerySet,
)


def name_ko_reference_field() -> models.CharField:
    """Where a body's Korean name of record comes from (fixtures/reference/names_ko.json)."""
    return models.CharField(
        _("reference for the Korean name"),
        max_length=200,
        blank=True,
        help_text=_("Where the Korean name is stated, e.g. the statute that names the body."),
    )


class MinistryQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country")

    def for_detail(self):
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                self.linked("parties", select=["agreement"]),
                self.linked("agencies"),
                self.linked("councils"),
                self.linked("programs"),
                self.linked("posts", select=["person"]),
                self.linked("participations", select=["meeting"]),
            )
        )

    def for_export(self):
        return self.for_list().figured().prefetch_related(self.linked("agencies"))


class OrganizationQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(self.linked("parent_ministry"))

    def for_rows(self):
        return self.select_related("country")

    def for_detail(self):
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                self.linked("hosted_councils"),
                self.linked("councils"),
                self.linked("support_cases"),
                self.linked("support_actions", select=["case"]),
                self.linked("participations", select=["meeting"]),
                self.linked("posts", select=["person"]),
                self.linked("programs"),
            )
        )

    def for_export(self):
        return self.for_list().figured()


class PersonQuerySet(RecordQuerySet):
    def for_list(self):
        posts = self.linked("posts", select=["ministry", "organization"])
        return self.select_related("country").prefetch_related(posts)

    def for_detail(self):
        return (
            self.for_list()
            .named()
            .prefetch_related(
                self.linked("signatures", select=["agreement", "ministry"]),
                self.linked("meetings_presided"),
                self.linked("participations", select=["meeting"]),
            )
        )

    def for_export(self):
        return self.for_list().named()


class PostQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, person, title):
        return self.get(person__slug=person, title=title)


class Ministry(Searchable):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="ministries"
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    name_ko_reference = name_ko_reference_field()

    route_name = "ministry"
    document_fields = ("name", "name_ko", "acronym")
    objects = MinistryQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")


class Organization(Searchable):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("government agency")
        MISSION = "mission", _("diplomatic mission")
        TRADE_OFFICE = "trade-office", _("trade office")
        COMPANY = "company", _("company")
        ASSOCIATION = "association", _("association")
        BANK = "bank", _("bank")
        LAW_FIRM = "law-firm", _("law firm")
        PROFESSIONAL_FIRM = "professional-firm", _("accounting or advisory firm")
        LOCAL_GOVERNMENT = "local-government", _("local or regional government")
        INTERNATIONAL_FORUM = "international-forum", _("international forum")

    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        blank=True,
        help_text=_("Left empty when the source does not say."),
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    parent_ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("parent ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    sector = models.CharField(
        _("sector"),
        max_length=200,
        blank=True,
        help_text=_("For companies, as the source puts it."),
    )
    name_ko_reference = name_ko_reference_field()

    route_name = "organization"
    document_fields = ("name", "name_ko", "acronym")
    objects = OrganizationQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["kind", "name"], name="organization_kind_name_idx"),
        ]


class Person(Searchable):
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )

    route_name = "person"
    objects = PersonQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")


class Post(PartialDatesValidated):
    """A post a person held: a title at a ministry or organization."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(_("title"), max_length=200)
    ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    held_from, held_from_precision, held_from_inferred = partial_date_fields(_("held from"))
    held_to, held_to_precision, held_to_inferred = partial_date_fields(_("held to"))
    seen_on, seen_on_precision, seen_on_inferred = partial_date_fields(
        _("seen in post on"), help_text=_("A date on which a source shows the person in this post.")
    )

    # A post links a person to a ministry or an organization: public when they all are.
    public_through = ("person", "ministry", "organization")

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    started = PartialDateAccessor("held_from")
    ended = PartialDateAccessor("held_to")
    seen = PartialDateAccessor("seen_on")

    class Meta:
        ordering = ["person_id", F("seen_on").desc(nulls_last=True)]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "title"], name="post_unique_title_per_person"
            ),
            models.CheckConstraint(
                condition=Q(held_to__isnull=True)
                | Q(held_from__isnull=True)
                | Q(held_to__gte=F("held_from")),
                name="post_ends_after_it_starts",
                violation_error_message=_("A post cannot end before it starts."),
            ),
            partial_date_constraint("held_from"),
            partial_date_constraint("held_to"),
            partial_date_constraint("seen_on"),
        ]

    def __str__(self):
        return f"{self.person}: {self.title}"

    def natural_key(self):
        return (self.person.slug, self.title)

    natural_key.dependencies = ["initiatives.person"]
