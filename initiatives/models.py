"""The portal's domain: agreements, the ministries that sign them, the councils and
meetings they give rise to, and the companies helped abroad, every record cited.

See DESIGN.md for the rules the data obeys. In short: every public record has a
Citation; dates carry a precision and an "inferred" flag; other spellings are
Aliases; every model has a natural key so fixtures never carry numeric ids.
"""

import functools

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from .dates import (
    PartialDateAccessor,
    partial_date_constraint,
    partial_date_fields,
    validate_partial_date,
)
from .querysets import (
    AgreementPartyQuerySet,
    AgreementQuerySet,
    AgreementRelationQuerySet,
    AliasQuerySet,
    CitationQuerySet,
    CouncilQuerySet,
    LoadedFixtureRowQuerySet,
    MeetingParticipantQuerySet,
    MeetingQuerySet,
    MetricQuerySet,
    MinistryQuerySet,
    OrganizationQuerySet,
    PersonQuerySet,
    PostQuerySet,
    ProgramQuerySet,
    RecordQuerySet,
    SlugQuerySet,
    SourceQuerySet,
    SupportActionQuerySet,
    SupportCaseQuerySet,
)


def in_interface_language(name: str, name_ko: str) -> str:
    """The Korean name when the interface is Korean and a source gives one; else the name."""
    if name_ko and (get_language() or "").startswith("ko"):
        return name_ko
    return name


class DisplayNameMixin:
    """``display_name``: the record's name in the interface's language where known."""

    @property
    def display_name(self) -> str:
        return in_interface_language(self.name, self.name_ko)


def exactly_one(fields: list[str], name: str, message) -> models.CheckConstraint:
    """A row points at exactly one of several targets."""
    condition = Q()
    for chosen in fields:
        branch = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


class Country(DisplayNameMixin, models.Model):
    """An ISO 3166-1 country, keyed by its lower-case alpha-2 code (``be``, ``kr``)."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_ko = models.CharField(_("Korean name"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z]{2}$"),
                name="country_code_is_two_lower_case_letters",
                violation_error_message=_("A country code is two lower-case letters, e.g. 'be'."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:country-detail", args=[self.code])


class PartialDatesValidated(models.Model):
    """Plain-words errors when a partial date's value does not fit its precision."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for field in self.partial_date_field_names():
            errors.update(validate_partial_date(self, field))
        if errors:
            raise ValidationError(errors)

    @classmethod
    def partial_date_field_names(cls) -> list[str]:
        suffix = "_precision"
        return [
            f.name[: -len(suffix)] for f in cls._meta.concrete_fields if f.name.endswith(suffix)
        ]


SLUG_MARK = "slug-mark"


@functools.cache
def detail_url_parts(route_name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """A detail page's address before and after the slug, reversed once per kind of
    record: pages link hundreds of records, and a slug needs no quoting in a path."""
    url = reverse(f"initiatives:{route_name}-detail", args=[SLUG_MARK], urlconf=urlconf)
    before, after = url.split(SLUG_MARK)
    return before, after


class Record(DisplayNameMixin, PartialDatesValidated):
    """What every public record has: a slug, a name, publication state and history."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_ko = models.CharField(
        _("Korean name"),
        max_length=300,
        blank=True,
        help_text=_("Only as a source gives it; left empty, the English name is shown."),
    )
    note = models.TextField(
        _("public note"),
        blank=True,
        help_text=_("What the sources leave unclear, and why a field was left empty."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published records are shown to the public."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    # The search document is derived from the record's own fields; history keeps those.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_document"])

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]
        # Reviewers hold "publish_<model>"; editors only add and change drafts.
        default_permissions = ("add", "change", "delete", "view", "publish")
        # Lists sort by name; indexes for each collection's filters are in its own Meta.
        indexes = [models.Index(fields=["name"], name="%(app_label)s_%(class)s_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if self.is_published and self.published_at is None:
            self.published_at = self.updated_at
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        before, after = detail_url_parts(self.route_name, get_script_prefix(), get_urlconf())
        return f"{before}{self.slug}{after}"

    def natural_key(self):
        return (self.slug,)

    # e.g. "support-case"; URL names and templates are derived from it.
    route_name = ""


class Searchable(Record):
    """A record the site search finds (initiatives/search.py).

    On PostgreSQL a trigger (migration 0006) keeps ``search_document`` up to date from
    ``document_fields`` whenever a row is written, by the ORM, the admin, a fixture load
    or a bulk COPY: the name and Korean name weigh most, the other fields less. A GIN
    index on it lets search match and rank without parsing the text at query time. Other
    databases leave it empty and search by plain matching.
    """

    # Derived, so left out of forms and of dumps (loaddata has the trigger fill it again).
    search_document = SearchVectorField(
        _("search document"), null=True, editable=False, serialize=False
    )

    # The fields the search document holds, the weightiest first (name and Korean name).
    # The trigger is written from them: changing them needs a migration that replaces
    # it, as 0006 made it (tests/test_search.py checks the database's trigger).
    document_fields: tuple[str, ...] = ("name", "name_ko")

    class Meta(Record.Meta):
        abstract = True


class CooperationArea(DisplayNameMixin, models.Model):
    """An area two parties agree to cooperate in ("technology cooperation")."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Ministry(Searchable):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="ministries"
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)

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

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
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

    history = HistoricalRecords()
    objects = PostQuerySet.as_manager()

    started = PartialDateAccessor("held_from")
    ended = PartialDateAccessor("held_to")
    seen = PartialDateAccessor("seen_on")

    class Meta:
        ordering = ["person", F("seen_on").desc(nulls_last=True)]
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

    signed = PartialDateAccessor("signed_on")
    in_force = PartialDateAccessor("in_force_on")
    expires = PartialDateAccessor("expires_on")

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

    history = HistoricalRecords()
    objects = AgreementPartyQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "order", "pk"]
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

    history = HistoricalRecords()
    objects = AgreementRelationQuerySet.as_manager()

    class Meta:
        ordering = ["from_agreement", "kind"]
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


class Council(Searchable):
    class Kind(models.TextChoices):
        POLICY_COUNCIL = "policy-council", _("policy council")
        CONSULTATIVE_BODY = "consultative-body", _("consultative body")
        ALLIANCE = "alliance", _("alliance")

    class Status(models.TextChoices):
        FORMING = "forming", _("forming")
        ACTIVE = "active", _("active")
        DISSOLVED = "dissolved", _("dissolved")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.TextField(_("summary"), blank=True)
    host_ministries = models.ManyToManyField(
        Ministry, blank=True, related_name="councils", verbose_name=_("host ministries")
    )
    established_under = models.ForeignKey(
        Agreement,
        verbose_name=_("established under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("umbrella body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    mission = models.ForeignKey(
        Organization,
        verbose_name=_("host diplomatic mission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_councils",
        limit_choices_to={"kind": Organization.Kind.MISSION},
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    members = models.ManyToManyField(
        Organization, blank=True, related_name="councils", verbose_name=_("member organizations")
    )
    established_on, established_on_precision, established_on_inferred = partial_date_fields(
        _("established on")
    )

    established = PartialDateAccessor("established_on")

    route_name = "council"
    document_fields = ("name", "name_ko", "summary")
    objects = CouncilQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["kind", "status"], name="council_kind_status_idx"),
            models.Index(fields=["established_on"], name="council_established_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="council_not_its_own_parent",
                violation_error_message=_("A council cannot be its own umbrella body."),
            ),
            partial_date_constraint("established_on"),
        ]


class Meeting(Searchable):
    class Kind(models.TextChoices):
        COUNCIL_MEETING = "council-meeting", _("council meeting")
        STRATEGY_MEETING = "strategy-meeting", _("strategy meeting")
        BILATERAL_MEETING = "bilateral-meeting", _("bilateral meeting")
        ROUNDTABLE = "roundtable", _("roundtable")
        SIGNING_CEREMONY = "signing-ceremony", _("signing ceremony")
        MINISTERIAL_MEETING = "ministerial-meeting", _("ministerial meeting")

    class Status(models.TextChoices):
        HELD = "held", _("held")
        PLANNED = "planned", _("planned")

    class Format(models.TextChoices):
        IN_PERSON = "in-person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (in person and online)")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.HELD
    )
    summary = models.TextField(_("summary"), blank=True)
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    held_on, held_on_precision, held_on_inferred = partial_date_fields(_("date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=Format.choices,
        blank=True,
        help_text=_("Left empty when the source does not say."),
    )
    presided_by = models.ForeignKey(
        Person,
        verbose_name=_("presided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_presided",
    )
    related_agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="meetings", verbose_name=_("related agreements")
    )

    held = PartialDateAccessor("held_on")

    route_name = "meeting"
    document_fields = ("name", "name_ko", "summary")
    objects = MeetingQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = [F("held_on").desc(nulls_last=True), "name"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            *Record.Meta.indexes,
            models.Index(fields=["held_on"], name="meeting_held_on_idx"),
            models.Index(fields=["country", "held_on"], name="meeting_country_held_on_idx"),
            models.Index(fields=["council", "held_on"], name="meeting_council_held_on_idx"),
            models.Index(fields=["kind", "status"], name="meeting_kind_status_idx"),
            models.Index(fields=["format"], name="meeting_format_idx"),
            # The calendar counts the published meetings it leaves out (not known to the day).
            models.Index(
                fields=["held_on"],
                condition=Q(is_published=True) & ~Q(held_on_precision="day"),
                name="meeting_not_on_a_day_idx",
            ),
        ]
        constraints = [partial_date_constraint("held_on")]


class MeetingParticipant(models.Model):
    """Who took part in a meeting (a person, an organization or a ministry), and as what."""

    class Attendance(models.TextChoices):
        IN_PERSON = "in-person", _("in person")
        ONLINE = "online", _("online")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    ministry = models.ForeignKey(
        Ministry,
        verbose_name=_("ministry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=300, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = MeetingParticipantQuerySet.as_manager()

    PARTICIPANT_FIELDS = ["person", "organization", "ministry"]

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            exactly_one(
                ["person", "organization", "ministry"],
                "meeting_participant_is_one_person_organization_or_ministry",
                _("A participant is one person, one organization or one ministry."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["meeting", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"meeting_participant_unique_{field}",
                )
                for field in ["person", "organization", "ministry"]
            ],
        ]

    def __str__(self):
        return f"{self.participant} at {self.meeting}"

    @property
    def participant_field(self) -> str:
        return next(f for f in self.PARTICIPANT_FIELDS if getattr(self, f"{f}_id") is not None)

    @property
    def participant(self):
        return getattr(self, self.participant_field)

    def natural_key(self):
        return (self.meeting.slug, self.participant_field, self.participant.slug)

    natural_key.dependencies = [
        "initiatives.meeting",
        "initiatives.person",
        "initiatives.organization",
        "initiatives.ministry",
    ]


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
    staff_notes = models.TextField(
        _("staff-only notes"), blank=True, help_text=_("Never shown on public pages or exports.")
    )
    staff_contacts = models.TextField(
        _("staff-only contacts"),
        blank=True,
        help_text=_("Never shown on public pages or exports."),
    )

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

    history = HistoricalRecords()
    objects = SupportActionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "order"]
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


class Program(Searchable):
    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("initiative")
        PROJECT = "project", _("project")
        EVENT = "event", _("event")
        FACILITY = "facility", _("facility")
        POLICY = "policy", _("policy or strategy")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
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


class Source(Searchable):
    """One source document. The portal keeps its text to check quotes, and shows only quotes."""

    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on, published_on_precision, published_on_inferred = partial_date_fields(
        _("published on")
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    retrieved_on = models.DateField(_("retrieved on"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 of the text held"), max_length=64, blank=True)
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


METRIC_SUBJECTS = [
    "agreement",
    "council",
    "meeting",
    "program",
    "ministry",
    "organization",
    "country",
]


class Metric(Record):
    """A figure as a source reports it, about one record."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("as stated")
        APPROXIMATELY = "approximately", _("approximately")
        MORE_THAN = "more-than", _("more than")
        EXPECTED = "expected", _("expected")

    SUBJECT_FIELDS = METRIC_SUBJECTS

    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=100)
    qualifier = models.CharField(
        _("qualifier"), max_length=20, choices=Qualifier.choices, blank=True
    )
    as_of, as_of_precision, as_of_inferred = partial_date_fields(_("as of"))
    period = models.CharField(
        _("period"), max_length=200, blank=True, help_text=_("As the source words it.")
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

    route_name = "metric"
    objects = MetricQuerySet.as_manager()

    class Meta(Record.Meta):
        ordering = [F("as_of").desc(nulls_last=True), "name"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            exactly_one(
                METRIC_SUBJECTS,
                "metric_describes_exactly_one_record",
                _("A figure describes exactly one record."),
            ),
            partial_date_constraint("as_of"),
        ]

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    @property
    def subject(self):
        return next(
            getattr(self, f) for f in self.SUBJECT_FIELDS if getattr(self, f"{f}_id") is not None
        )


# Records a Citation or an Alias may be attached to, as (field name, model).
CITABLE = [
    ("agreement", Agreement),
    ("ministry", Ministry),
    ("council", Council),
    ("meeting", Meeting),
    ("support_case", SupportCase),
    ("organization", Organization),
    ("person", Person),
    ("program", Program),
    ("metric", Metric),
]
NAMEABLE = [pair for pair in CITABLE if pair[0] not in {"support_case", "metric"}]


def add_target_fields(model, targets, related_name):
    """One nullable foreign key per kind of record the row may hang off."""
    for name, target in targets:
        model.add_to_class(
            name,
            models.ForeignKey(
                target,
                verbose_name=target._meta.verbose_name,
                on_delete=models.CASCADE,
                null=True,
                blank=True,
                related_name=related_name,
            ),
        )


class Attached(models.Model):
    """Helpers for a row that hangs off exactly one record of several kinds."""

    TARGETS: list = []

    class Meta:
        abstract = True

    @property
    def target_field(self) -> str:
        return next(
            name for name, _model in self.TARGETS if getattr(self, f"{name}_id") is not None
        )

    @property
    def target(self):
        return getattr(self, self.target_field)


class Citation(Attached):
    """A short word-for-word quote from a Source that supports one record."""

    TARGETS = CITABLE

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

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            exactly_one(
                [name for name, _model in CITABLE],
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
                for name, _model in CITABLE
            ],
        ]

    def __str__(self):
        return f"“{self.quote[:80]}” — {self.source}"

    def natural_key(self):
        return (self.source.slug, self.target_field, self.target.slug, self.quote)

    natural_key.dependencies = [
        "initiatives.source",
        *[f"initiatives.{m._meta.model_name}" for _n, m in CITABLE],
    ]


class Alias(Attached, PartialDatesValidated):
    """Another name a record goes by: a spelling, an acronym, a translation."""

    class Kind(models.TextChoices):
        SPELLING = "spelling", _("other spelling")
        ACRONYM = "acronym", _("acronym")
        TRANSLATION = "translation", _("translation")
        FORMER = "former", _("former name")
        DESCRIPTION = "description", _("descriptive name in a source")

    TARGETS = NAMEABLE

    name = models.CharField(_("name"), max_length=300)
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("A language code: en, ko, fr…")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPELLING)
    used_from, used_from_precision, used_from_inferred = partial_date_fields(_("used from"))
    used_to, used_to_precision, used_to_inferred = partial_date_fields(_("used to"))
    note = models.TextField(_("note"), blank=True)

    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            exactly_one(
                [name for name, _model in NAMEABLE],
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
                for name, _model in NAMEABLE
            ],
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def natural_key(self):
        return (self.target_field, self.target.slug, self.name, self.language)

    natural_key.dependencies = [f"initiatives.{m._meta.model_name}" for _n, m in NAMEABLE]


add_target_fields(Citation, CITABLE, "citations")
add_target_fields(Alias, NAMEABLE, "aliases")
# Their history tables must be built after the target keys above exist.
register_history(Citation)
register_history(Alias)


class LoadedFixtureRow(models.Model):
    """A fixture row that ``load_portal_data`` has loaded once.

    Later loads leave such rows to the editors: a record they renamed or deleted is not
    added back, so a reload never duplicates or resurrects anything.
    """

    model = models.CharField(_("model"), max_length=100)
    row = models.TextField(_("fixture row"), help_text=_("The row as it stood in the fixture."))
    row_hash = models.CharField(_("SHA-256 of the row"), max_length=64)
    loaded_at = models.DateTimeField(_("first loaded at"), default=timezone.now)

    objects = LoadedFixtureRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("loaded fixture row")
        verbose_name_plural = _("loaded fixture rows")
        constraints = [
            models.UniqueConstraint(fields=["model", "row_hash"], name="loaded_fixture_row_once")
        ]

    def __str__(self):
        return f"{self.model} {self.row_hash[:12]}"

    def natural_key(self):
        return (self.model, self.row_hash)
