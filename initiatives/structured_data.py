"""A detail page's schema.org description (JSON-LD), so search engines read what the
record is: a meeting as an Event, a ministry as a GovernmentOrganization, a body as
an Organization, a person as a Person, a source as a CreativeWork.

Only what the page itself shows goes in, and only public records: the relations are
the ones ``for_detail()`` fetched, which hold published records alone."""

from django.utils.html import strip_tags

from .models import Council, Meeting, Ministry, Organization, Person, Source
from .templatetags.i18n_names import display_name

DESCRIPTION_LENGTH = 160


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """The first ``length`` characters of a text, ended at a word."""
    text = " ".join(strip_tags(text or "").split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def place(record) -> dict | None:
    country = getattr(record, "country", None)
    parts = {
        "name": getattr(record, "venue", "") or getattr(record, "city", ""),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": getattr(record, "city", ""),
            "addressCountry": country.code.upper() if country else "",
        },
    }
    parts["address"] = {k: v for k, v in parts["address"].items() if v}
    if len(parts["address"]) == 1:
        del parts["address"]
    parts = {k: v for k, v in parts.items() if v}
    return {"@type": "Place", **parts} if parts else None


def organization(record, absolute) -> dict:
    kind = "GovernmentOrganization" if isinstance(record, Ministry) else "Organization"
    return {"@type": kind, "name": display_name(record), "url": absolute(record)}


def describe(record, absolute) -> dict | None:
    """The JSON-LD object of a record, or None for kinds schema.org has no good type for.

    ``absolute`` turns a record into its page's full address."""
    data = {"@context": "https://schema.org", "name": display_name(record), "url": absolute(record)}
    names = [alias.name for alias in record.aliases.all()] if hasattr(record, "aliases") else []
    if getattr(record, "acronym", ""):
        names.insert(0, record.acronym)
    if names:
        data["alternateName"] = list(dict.fromkeys(names))
    if getattr(record, "summary", ""):
        data["description"] = shorten(record.summary, 500)
    if isinstance(record, Meeting):
        data["@type"] = "Event"
        if record.held:
            data["startDate"] = record.held.iso
        data["eventAttendanceMode"] = {
            "online": "https://schema.org/OnlineEventAttendanceMode",
            "hybrid": "https://schema.org/MixedEventAttendanceMode",
        }.get(record.format, "https://schema.org/OfflineEventAttendanceMode")
        location = place(record)
        if location:
            data["location"] = location
        if record.council:
            data["organizer"] = organization(record.council, absolute)
    elif isinstance(record, Ministry):
        data["@type"] = "GovernmentOrganization"
        if record.country:
            data["areaServed"] = {"@type": "Country", "name": display_name(record.country)}
    elif isinstance(record, Organization | Council):
        data["@type"] = "Organization"
        location = place(record)
        if location:
            data["location"] = location
        parent = getattr(record, "parent_ministry", None)
        if parent:
            data["parentOrganization"] = organization(parent, absolute)
    elif isinstance(record, Person):
        data["@type"] = "Person"
        posts = list(record.posts.all())
        if posts:
            data["jobTitle"] = posts[0].title
            employer = posts[0].ministry or posts[0].organization
            if employer:
                data["worksFor"] = organization(employer, absolute)
    elif isinstance(record, Source):
        data["@type"] = "CreativeWork"
        data["headline"] = display_name(record)
        if record.publisher:
            data["publisher"] = {"@type": "Organization", "name": record.publisher}
        if record.published:
            data["datePublished"] = record.published.iso
        if record.url:
            data["sameAs"] = record.url
        data["inLanguage"] = record.language
    else:
        return None
    return data
