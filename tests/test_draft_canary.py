"""A draft leaves no trace on any public surface.

A draft of every kind is linked to published records of every kind (as a party, a
signatory, a council, a meeting, a figure, a citation, an alias, a country-only link)
and every public surface is read before and after: each page, in both languages, its
facets, CSV, the API, feeds, the calendar, the sitemap, search, country pages and the
dashboard. Every response is the same after as before (so no count changes), and the
drafts' names, slugs and country appear nowhere.
"""

import datetime
import difflib
import io
import re
import zipfile

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from initiatives.models import (
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
from initiatives.registry import COLLECTIONS
from initiatives.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db

# Portugal has no public record: a draft must not give it one.
DRAFT_COUNTRY = "pt"
CANARY = "canary"


def published(model, **empty):
    """A published record, one whose ``empty`` links are not made yet where asked."""
    records = model.objects.published().order_by("pk")
    return records.filter(**{f"{name}__isnull": True for name in empty}).first()


def chosen() -> dict:
    """The published records the drafts are linked to (a link a record lacks, so that
    linking a draft there changes nothing the public sees)."""
    return {
        "agreement": published(Agreement),
        "ministry": published(Ministry),
        "council": published(Council, mission=True),
        "meeting": published(Meeting, presided_by=True),
        "organization": published(Organization),
        "person": published(Person),
        "case": published(SupportCase),
        "program": published(Program),
        "source": published(Source),
    }


def add_drafts(records: dict) -> None:
    """Drafts of every kind, linked every way to published records. Published records
    are linked with update(), so that none of them changes its own "last changed"."""
    country = Country.objects.get(code=DRAFT_COUNTRY)
    agreement, ministry, council = (records[k] for k in ("agreement", "ministry", "council"))
    meeting, organization = records["meeting"], records["organization"]
    person, case, program = records["person"], records["case"], records["program"]
    source = records["source"]
    draft = {"is_published": False}

    d_ministry = Ministry.objects.create(
        slug="canary-ministry", name="Canary Ministry", country=country, **draft
    )
    d_person = Person.objects.create(
        slug="canary-person", name="Canary Person", country=country, **draft
    )
    d_organization = Organization.objects.create(
        slug="canary-embassy",
        name="Canary Embassy",
        kind=Organization.Kind.MISSION,
        country=country,
        parent_ministry=ministry,
        **draft,
    )
    d_agreement = Agreement.objects.create(
        slug="canary-agreement", name="Canary Agreement", country=country, **draft
    )
    d_council = Council.objects.create(
        slug="canary-council",
        name="Canary Council",
        kind=Council.Kind.CONSULTATIVE_BODY,
        status=Council.Status.ACTIVE,
        country=country,
        parent=council,
        established_under=agreement,
        **draft,
    )
    d_meeting = Meeting.objects.create(
        slug="canary-meeting",
        name="Canary Meeting",
        kind=Meeting.Kind.COUNCIL_MEETING,
        council=council,
        country=country,
        held_on=datetime.date(2024, 5, 1),
        held_on_precision="day",
        **draft,
    )
    d_case = SupportCase.objects.create(
        slug="canary-case",
        name="Canary Case",
        company=organization,
        country=country,
        council=council,
        reported_at=meeting,
        **draft,
    )
    d_program = Program.objects.create(
        slug="canary-program",
        name="Canary Program",
        kind=Program.Kind.PROJECT,
        country=country,
        **draft,
    )
    d_source = Source.objects.create(slug="canary-source", name="Canary Source", **draft)
    d_figure = Metric.objects.create(
        slug="canary-figure",
        name="Canary figure",
        value=7,
        unit="canaries",
        country=country,
        **draft,
    )
    Metric.objects.create(
        slug="canary-agreement-figure",
        name="Canary agreement figure",
        value=8,
        unit="canaries",
        agreement=agreement,
        **draft,
    )

    # Drafts at the other end of published records' links.
    AgreementParty.objects.create(agreement=agreement, ministry=d_ministry, order=99)
    AgreementParty.objects.create(agreement=d_agreement, ministry=ministry)
    party = AgreementParty.objects.filter(agreement=agreement, ministry__is_published=True)
    party.filter(signatory__isnull=True).update(signatory=d_person)
    AgreementRelation.objects.create(
        from_agreement=d_agreement, kind="supersedes", to_agreement=agreement
    )
    d_council.host_ministries.add(ministry)
    d_council.members.add(organization)
    council.members.add(d_organization)
    council.host_ministries.add(d_ministry)
    Council.objects.filter(pk=council.pk).update(mission=d_organization)
    Meeting.objects.filter(pk=meeting.pk).update(presided_by=d_person)
    Meeting.objects.filter(pk=meeting.pk, council=None).update(council=d_council)
    meeting.related_agreements.add(d_agreement)
    d_meeting.related_agreements.add(agreement)
    MeetingParticipant.objects.create(meeting=meeting, person=d_person, order=99)
    MeetingParticipant.objects.create(meeting=meeting, ministry=d_ministry, order=98)
    MeetingParticipant.objects.create(meeting=d_meeting, person=person)
    SupportCase.objects.filter(pk=case.pk, reported_at=None).update(reported_at=d_meeting)
    SupportCase.objects.filter(pk=case.pk, council=None).update(council=d_council)
    SupportAction.objects.create(case=case, order=99, organization=d_organization, actor="")
    SupportAction.objects.create(case=d_case, order=1, organization=organization)
    Post.objects.create(person=d_person, title="Canary envoy", ministry=ministry)
    Post.objects.create(person=person, title="Canary adviser", ministry=d_ministry)
    d_program.owner_ministries.add(ministry)
    d_program.related_agreements.add(agreement)
    program.owner_organizations.add(d_organization)
    program.related_agreements.add(d_agreement)
    # Citations: a draft source quoted for a published record, a published source
    # quoted for a draft; aliases of drafts. Quotes are checked against the source's
    # text (staff only, never on a public surface), so the published source's text
    # gains the canary sentences, with update() like every change to a published record.
    source.text += "\nCanary quote two.\nCanary quote three.\n"
    Source.objects.filter(pk=source.pk).update(text=source.text)
    Citation.objects.create(source=d_source, agreement=agreement, quote="Canary quote one.")
    Citation.objects.create(source=source, agreement=d_agreement, quote="Canary quote two.")
    Citation.objects.create(source=source, metric=d_figure, quote="Canary quote three.")
    Alias.objects.create(ministry=d_ministry, name="Canary alias", language="en")
    Alias.objects.create(person=d_person, name="Canary Songbird", language="en")


def surfaces(records) -> list[str]:
    """Every public address the records and the drafts could show on."""
    urls = ["/en/", "/en/search/?q=canary", "/en/search/?q=Canary+alias", "/sitemap.xml"]
    urls += ["/api/search/?q=canary", "/api/search/?q=Canary+alias"]
    urls += [f"/sitemap-{name}.xml" for name in SITEMAPS]
    urls += ["/en/countries/", "/en/countries/?format=csv", "/api/countries/", "/en/countries/kr/"]
    urls += [f"/en/countries/{code}/" for code in ("be", "cn", "de", "us")]
    urls += ["/en/feeds/agreements/", "/en/feeds/meetings/", "/en/feeds/meetings.ics"]
    # The draft country's regions (Southern Europe, Europe, the EU, the OECD) and another.
    urls += ["/en/regions/"]
    urls += [f"/en/regions/{slug}/" for slug in ("southern-europe", "europe", "eu", "oecd", "asia")]
    urls += ["/en/feeds/agreements/?region=eu", "/en/feeds/meetings/?region=europe"]
    urls += [reverse("initiatives:data"), reverse("initiatives:data-package")]
    for collection in COLLECTIONS:
        base = f"/en/{collection.segment}/"
        urls += [base, f"{base}?format=csv", f"/api/{collection.segment}/"]
        if "country" in collection.filterset.base_filters:
            urls += [f"{base}?country={DRAFT_COUNTRY}", f"/api/{collection.segment}/?country=kr"]
            urls += [f"{base}?region=southern-europe", f"/api/{collection.segment}/?region=eu"]
        urls.append(f"{base}?q=canary")
    for record in records:
        urls += [record.get_absolute_url(), f"/api/{record_segment(record)}/{record.slug}/"]
    return urls


def record_segment(record) -> str:
    return next(c.segment for c in COLLECTIONS if isinstance(record, c.model))


def read_all(urls) -> dict[tuple[str, str], tuple[int, bytes]]:
    cache.clear()
    found = {}
    for language in ("en", "ko"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        for url in urls:
            # A page's language is its address's prefix: the Korean pages are at /ko/….
            response = client.get(re.sub(r"^/en/", f"/{language}/", url))
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found[(language, url)] = (response.status_code, unzipped(body))
    return found


def unzipped(body: bytes) -> bytes:
    """A zip's files one after another, so that what they say can be read (the whole
    dataset download); any other body as it is."""
    if not body.startswith(b"PK\x03\x04"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"\n".join(name.encode() + b"\n" + archive.read(name) for name in archive.namelist())


def difference(before, after: bytes) -> str:
    status, body = before
    lines = difflib.unified_diff(
        body.decode(errors="replace").splitlines(),
        after.decode(errors="replace").splitlines(),
        lineterm="",
        n=0,
    )
    return f"status {status}\n" + "\n".join(list(lines)[:20])


def test_a_draft_of_every_kind_leaves_no_trace_on_any_public_surface():
    call_command("load_portal_data", verbosity=0)
    records = chosen()
    assert all(records.values()), [name for name, record in records.items() if not record]
    urls = surfaces(records.values())
    before = read_all(urls)

    add_drafts(records)
    after = read_all(urls)
    for (language, url), (status, body) in after.items():
        if (status, body) != before[(language, url)]:
            pytest.fail(f"{url} ({language}) changed:\n{difference(before[(language, url)], body)}")
        text = body.decode("utf-8", errors="replace")
        if CANARY not in url.lower():  # a search echoes what was asked
            assert CANARY not in text.lower(), f"{url} ({language}) shows a draft"
        if url.startswith("/en/regions/"):
            # A region lists its member countries by name (reference data), and links
            # only those with public records.
            assert f'/en/countries/{DRAFT_COUNTRY}/"' not in text, f"{url} links its country"
        elif DRAFT_COUNTRY not in url:
            assert "Portugal" not in text and "포르투갈" not in text, f"{url} shows its country"
    assert before[("en", "/en/countries/kr/")][0] == 200
    assert Client().get(f"/en/countries/{DRAFT_COUNTRY}/").status_code == 404
    assert Client().get(f"/api/countries/{DRAFT_COUNTRY}/").status_code == 404
    for model in (Ministry, Person, Organization, Agreement, Council, Meeting, SupportCase):
        draft = model.objects.get(slug__startswith=CANARY)
        assert Client().get(draft.get_absolute_url()).status_code == 404
