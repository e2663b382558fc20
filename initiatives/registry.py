"""The portal's collections, each described once.

Everything that exists once per collection iterates ``COLLECTIONS``: the pages' URLs
(``urls.py``), the API's routes (``api/urls.py``), the sitemap, search, the dashboard's
counts, the country pages' sections, the data-quality report and the export links.
Adding a collection is one entry here (and its model, FilterSet and serializer).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import filters, models
from .api import serializers
from .views.records import AgreementDetailView, CouncilDetailView, RecordDetailView


@dataclass(frozen=True)
class Feed:
    """A feed of a collection's list, with the list's filters."""

    route: str
    label: str
    media_type: str


ATOM = "application/atom+xml"


@dataclass(frozen=True)
class Collection:
    """One collection: its records, the address of its pages and how it is filtered,
    described outside HTML (API, CSV), fed, mapped and searched.

    - ``segment``: the path segment of its list, detail pages and API (``support-cases``);
    - ``filterset``: the filters of its list, CSV, API and feeds alike;
    - ``serializer``: the record's one shape outside HTML (API, CSV);
    - ``detail_view``: its detail page;
    - ``description``: what its API list serves (the OpenAPI document says it, in English);
    - ``feeds``: feeds of its list, linked from the list page;
    - ``search_weight``: how much a match of this kind counts in search, against others.
    """

    model: type[models.Record]
    segment: str
    filterset: type[filters.RecordFilterSet]
    serializer: type
    description: str
    detail_view: type = RecordDetailView
    feeds: tuple[Feed, ...] = ()
    search_weight: float = 1.0

    @property
    def route_name(self) -> str:
        """The stem of its URL names, in the pages and the API alike (``support-case``)."""
        return self.model.route_name

    @property
    def list_route(self) -> str:
        return f"initiatives:{self.route_name}-list"

    @property
    def api_list_route(self) -> str:
        return f"api:{self.route_name}-list"

    @property
    def verbose_name_plural(self):
        return self.model._meta.verbose_name_plural


COLLECTIONS = (
    Collection(
        models.Agreement,
        "agreements",
        filters.AgreementFilter,
        serializers.AgreementSerializer,
        "Published agreements; `ministry` matches any party, `country` any party's "
        "country or the country of signing.",
        detail_view=AgreementDetailView,
        feeds=(Feed("feeds:agreements", _("Atom feed"), ATOM),),
        search_weight=1.0,
    ),
    Collection(
        models.Ministry,
        "ministries",
        filters.MinistryFilter,
        serializers.MinistrySerializer,
        "Published ministries of every country.",
        search_weight=0.9,
    ),
    Collection(
        models.Council,
        "councils",
        filters.CouncilFilter,
        serializers.CouncilSerializer,
        "Published councils, consultative bodies and alliances.",
        detail_view=CouncilDetailView,
        search_weight=0.9,
    ),
    Collection(
        models.Meeting,
        "meetings",
        filters.MeetingFilter,
        serializers.MeetingSerializer,
        "Published meetings; `format` is the meeting's (in-person, online, hybrid); "
        "`council` takes in the bodies under the chosen councils unless "
        "`sub_bodies=exclude`.",
        feeds=(
            Feed("feeds:meetings", _("Atom feed"), ATOM),
            Feed("feeds:meetings-ics", _("Calendar (iCalendar)"), "text/calendar"),
        ),
        search_weight=0.8,
    ),
    Collection(
        models.SupportCase,
        "support-cases",
        filters.SupportCaseFilter,
        serializers.SupportCaseSerializer,
        "Published support cases (staff-only notes and contacts are never included); "
        "`council` takes in the bodies under the chosen councils unless "
        "`sub_bodies=exclude`.",
        search_weight=0.8,
    ),
    Collection(
        models.Organization,
        "organizations",
        filters.OrganizationFilter,
        serializers.OrganizationSerializer,
        "Published organizations: agencies, missions, companies and the rest.",
        search_weight=0.8,
    ),
    Collection(
        models.Person,
        "people",
        filters.PersonFilter,
        serializers.PersonSerializer,
        "Published people, with the posts they held.",
        search_weight=0.8,
    ),
    Collection(
        models.Program,
        "programs",
        filters.ProgramFilter,
        serializers.ProgramSerializer,
        "Published programs, projects, events and facilities.",
        search_weight=0.8,
    ),
    Collection(
        models.Source,
        "sources",
        filters.SourceFilter,
        serializers.SourceSerializer,
        "Published source documents.",
        search_weight=0.5,
    ),
)

BY_MODEL = {collection.model: collection for collection in COLLECTIONS}


def collection_of(model) -> Collection:
    return BY_MODEL[model]
