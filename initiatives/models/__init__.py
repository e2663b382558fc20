"""The portal's domain: agreements, the ministries that sign them, the councils and
meetings they give rise to, and the companies helped abroad, every record cited.

One module per part of the domain, each with its QuerySets:
- ``base``: what every record shares, countries, and visibility (``published()``);
- ``actors``: ministries, organizations, people and their posts;
- ``agreements``: agreements, their parties and the links between them;
- ``councils``: councils, meetings and who took part;
- ``cases``: support cases and the actions taken;
- ``programs``: initiatives, projects, events, facilities;
- ``evidence``: sources, citations, aliases and reported figures;
- ``regions``: UN M49 regions and groupings of countries (reference data);
- ``places``: the Korean names of cities (reference data).

See DESIGN.md for the rules the data obeys. In short: every public record has a
Citation; dates carry a precision and an "inferred" flag; other spellings are
Aliases; every model has a natural key so fixtures never carry numeric ids.
"""

from .actors import Ministry, Organization, Person, Post
from .agreements import Agreement, AgreementParty, AgreementRelation
from .base import (
    CooperationArea,
    Country,
    ExclusiveArc,
    LoadedFixtureRow,
    Record,
    RecordChanged,
    Searchable,
    bump_version,
    contains,
    crosses_to_many,
    in_interface_language,
    name_contains,
    path_visibility,
    visibility,
)
from .cases import SupportAction, SupportCase
from .councils import CALENDAR_FIELDS, Council, Meeting, MeetingParticipant
from .evidence import CITABLE, CITATION_LIMIT, NAMEABLE, Alias, Citation, Metric, Source
from .places import CityName
from .programs import Program
from .regions import Region
from .reviews import ChangeReview
from .search import SearchEntry

__all__ = [
    "CALENDAR_FIELDS",
    "CITABLE",
    "CITATION_LIMIT",
    "NAMEABLE",
    "Agreement",
    "AgreementParty",
    "AgreementRelation",
    "Alias",
    "ChangeReview",
    "Citation",
    "CityName",
    "CooperationArea",
    "Council",
    "Country",
    "ExclusiveArc",
    "LoadedFixtureRow",
    "Meeting",
    "MeetingParticipant",
    "Metric",
    "Ministry",
    "Organization",
    "Person",
    "Post",
    "Program",
    "Record",
    "RecordChanged",
    "Region",
    "SearchEntry",
    "Searchable",
    "Source",
    "SupportAction",
    "SupportCase",
    "bump_version",
    "contains",
    "crosses_to_many",
    "in_interface_language",
    "name_contains",
    "path_visibility",
    "visibility",
]
