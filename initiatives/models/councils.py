"""Councils and consultative bodies, the meetings they and others hold, and who took
part in each meeting."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import PartialDateAccessor, partial_date_constraint, partial_date_fields
from .actors import Ministry, Organization, Person
from .agreements import Agreement
from .base import (
    Country,
    ExclusiveArc,
    Record,
    RecordQuerySet,
    Searchable,
    VisibleQuerySet,
    exactly_one,
)


class CouncilQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            self.linked("mission"),
            self.linked("established_under"),
            self.linked("parent"),
            self.linked("host_ministries"),
        )

    def for_rows(self):
        return self.select_related("country").prefetch_related(self.linked("mission"))

    def for_detail(self):
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                self.linked("children", then=lambda bodies: bodies.with_records()),
                self.linked("members"),
                self.linked("meetings", select=["country"]),
                self.linked("support_cases"),
            )
        )

    def with_records(self):
        """With each council's public meetings, support cases and figures: an umbrella
        body's page shows those of the bodies under it too."""
        return self.prefetch_related(
            self.linked("meetings", select=["country"]),
            self.linked("support_cases"),
            self.figures(),
        )

    def for_export(self):
        return self.for_list().figured().prefetch_related(self.linked("members"))


class MeetingQuerySet(RecordQuerySet):
    def for_list(self):
        return self.select_related("country").prefetch_related(
            self.linked("council"), self.linked("presided_by")
        )

    def for_rows(self):
        return self.select_related("country").prefetch_related(self.linked("council"))

    def for_detail(self):
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                self.linked("participants", then=lambda rows: rows.with_participants()),
                self.linked("related_agreements"),
                self.linked("support_cases_reported"),
            )
        )

    def for_export(self):
        return (
            self.for_list()
            .figured()
            .prefetch_related(
                self.linked("participants", then=lambda rows: rows.with_participants()),
                self.linked("related_agreements"),
            )
        )

    def for_calendar(self):
        """What the iCalendar reads of each meeting and no more: it holds hundreds of
        meetings, and reading and building unused columns and people was a third of it."""
        council = self.linked("council", then=lambda rows: rows.only("slug", "name", "name_ko"))
        return (
            self.select_related("country")
            .only(*CALENDAR_FIELDS, "country__name", "country__name_ko")
            .prefetch_related(council)
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


class MeetingParticipantQuerySet(VisibleQuerySet):
    def get_by_natural_key(self, meeting, participant_kind, participant):
        return self.get(meeting__slug=meeting, **{f"{participant_kind}__slug": participant})

    def with_participants(self):
        """Each row's person, organization or ministry (the rows are public, so is it)."""
        return self.select_related(*self.model.arc)


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

    established = PartialDateAccessor("established_on")
    status_reported = PartialDateAccessor("status_as_of")
    status_expected = PartialDateAccessor("status_expected_by")

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
            partial_date_constraint("status_as_of"),
            partial_date_constraint("status_expected_by"),
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
    place_inferred = models.BooleanField(
        _("place inferred"),
        default=False,
        help_text=_(
            "The city and country are worked out from context, not stated; the note says why."
        ),
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

    held = PartialDateAccessor("held_on")
    status_reported = PartialDateAccessor("status_as_of")
    status_expected = PartialDateAccessor("status_expected_by")

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
        constraints = [
            partial_date_constraint("held_on"),
            partial_date_constraint("status_as_of"),
            partial_date_constraint("status_expected_by"),
        ]


# Who a meeting participant is: one of these, as the row's exclusive arc.
PARTICIPANTS = ("person", "organization", "ministry")


class MeetingParticipant(ExclusiveArc):
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

    arc = PARTICIPANTS
    public_through = ("meeting",)

    class Meta:
        ordering = ["meeting_id", "order", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            exactly_one(
                PARTICIPANTS,
                "meeting_participant_is_one_person_organization_or_ministry",
                _("A participant is one person, one organization or one ministry."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["meeting", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"meeting_participant_unique_{field}",
                )
                for field in PARTICIPANTS
            ],
        ]

    def __str__(self):
        return f"{self.participant} at {self.meeting}"

    @property
    def participant_field(self) -> str:
        return self.arc_field

    @property
    def participant(self):
        return self.arc_target

    def natural_key(self):
        return (self.meeting.slug, self.participant_field, self.participant.slug)

    natural_key.dependencies = [
        "initiatives.meeting",
        "initiatives.person",
        "initiatives.organization",
        "initiatives.ministry",
    ]
