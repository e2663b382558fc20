"""Keyword-only builders for test data: each makes one published, cited record.

Dates are given as the portal reads them, ``"2024"``, ``"2024-04"`` or
``"2024-04-17"``, and stored at that precision.
"""

from decimal import Decimal

from initiatives.dates import parse_partial_date
from initiatives.models import (
    CITABLE,
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

CITATION_FIELD = {model: name for name, model in CITABLE}


def dated(field: str, text: str | None, *, inferred: bool = False) -> dict:
    """The three columns of a partial date, from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if not text:
        return {}
    parsed = parse_partial_date(text)
    return {
        field: parsed.value,
        f"{field}_precision": parsed.precision,
        f"{field}_inferred": inferred,
    }


def country(*, code: str = "kr", name: str | None = None) -> Country:
    names = {"kr": "Korea, Republic of", "be": "Belgium", "fr": "France", "vn": "Viet Nam"}
    found, _created = Country.objects.get_or_create(
        code=code, defaults={"name": name or names.get(code, code.upper())}
    )
    return found


def source(
    *,
    slug: str = "mss-press-release",
    name: str = "MSS press release",
    published_on: str | None = "2024-12-17",
    is_published: bool = True,
) -> Source:
    found = Source.objects.filter(slug=slug).first()
    if found:
        return found
    return Source.objects.create(
        slug=slug,
        name=name,
        publisher="Ministry of SMEs and Startups",
        is_published=is_published,
        **dated("published_on", published_on),
    )


def cite(record, *, quote: str | None = None, from_source: Source | None = None) -> Citation:
    return Citation.objects.create(
        source=from_source or source(),
        quote=quote or f"The source says {record.name}.",
        **{CITATION_FIELD[type(record)]: record},
    )


def alias(record, *, name: str, language: str = "en") -> Alias:
    return Alias.objects.create(
        name=name, language=language, **{CITATION_FIELD[type(record)]: record}
    )


def _record(model, *, slug, name, is_published=True, cited=True, **fields):
    record = model.objects.create(slug=slug, name=name, is_published=is_published, **fields)
    if cited:
        cite(record)
    return record


def ministry(
    *, slug: str, name: str | None = None, country_code: str = "kr", acronym: str = "", **fields
) -> Ministry:
    return _record(
        Ministry,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        country=country(code=country_code),
        acronym=acronym,
        **fields,
    )


def organization(
    *,
    slug: str,
    name: str | None = None,
    kind: str = Organization.Kind.AGENCY,
    country_code: str | None = None,
    parent_ministry: Ministry | None = None,
    **fields,
) -> Organization:
    return _record(
        Organization,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind=kind,
        country=country(code=country_code) if country_code else None,
        parent_ministry=parent_ministry,
        **fields,
    )


def person(
    *,
    slug: str,
    name: str | None = None,
    country_code: str | None = "kr",
    title: str = "",
    at: Ministry | Organization | None = None,
    **fields,
) -> Person:
    record = _record(
        Person,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        country=country(code=country_code) if country_code else None,
        **fields,
    )
    if title:
        where = {"ministry": at} if isinstance(at, Ministry) else {"organization": at}
        Post.objects.create(person=record, title=title, **where)
    return record


def agreement(
    *,
    slug: str,
    name: str | None = None,
    parties: tuple = (),
    signed: str | None = "2024-04-17",
    signed_inferred: bool = False,
    kind: str = Agreement.Kind.MOU,
    status: str = Agreement.Status.SIGNED,
    summary: str = "",
    signatory: Person | None = None,
    **fields,
) -> Agreement:
    record = _record(
        Agreement,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind=kind,
        status=status,
        summary=summary,
        **dated("signed_on", signed, inferred=signed_inferred),
        **fields,
    )
    for order, party in enumerate(parties):
        AgreementParty.objects.create(
            agreement=record,
            ministry=party,
            order=order,
            signatory=signatory if order == 0 else None,
            signatory_title="Minister" if signatory and order == 0 else "",
        )
    return record


def relation(*, new: Agreement, old: Agreement, kind: str = "supersedes") -> AgreementRelation:
    return AgreementRelation.objects.create(from_agreement=new, to_agreement=old, kind=kind)


def council(
    *,
    slug: str,
    name: str | None = None,
    kind: str = Council.Kind.CONSULTATIVE_BODY,
    status: str = Council.Status.ACTIVE,
    established: str | None = None,
    established_under: Agreement | None = None,
    mission: Organization | None = None,
    country_code: str | None = None,
    host_ministries: tuple = (),
    members: tuple = (),
    **fields,
) -> Council:
    record = _record(
        Council,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind=kind,
        status=status,
        established_under=established_under,
        mission=mission,
        country=country(code=country_code) if country_code else None,
        **dated("established_on", established),
        **fields,
    )
    record.host_ministries.set(host_ministries)
    record.members.set(members)
    return record


def meeting(
    *,
    slug: str,
    name: str | None = None,
    kind: str = Meeting.Kind.COUNCIL_MEETING,
    council: Council | None = None,
    held: str | None = "2024-11-30",
    country_code: str | None = None,
    format: str = "",
    participants: tuple = (),
    related_agreements: tuple = (),
    **fields,
) -> Meeting:
    record = _record(
        Meeting,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind=kind,
        council=council,
        country=country(code=country_code) if country_code else None,
        format=format,
        **dated("held_on", held),
        **fields,
    )
    for order, who in enumerate(participants):
        field = {Person: "person", Organization: "organization", Ministry: "ministry"}[type(who)]
        MeetingParticipant.objects.create(
            meeting=record, order=order, role="member", **{field: who}
        )
    record.related_agreements.set(related_agreements)
    return record


def support_case(
    *,
    slug: str,
    name: str | None = None,
    company: Organization | None = None,
    sector: str = "",
    country_code: str | None = None,
    status: str = "",
    council: Council | None = None,
    reported_at: Meeting | None = None,
    supporters: tuple = (),
    staff_notes: str = "",
    staff_contacts: str = "",
    **fields,
) -> SupportCase:
    record = _record(
        SupportCase,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        company=company or organization(slug=f"{slug}-company", kind=Organization.Kind.COMPANY),
        sector=sector,
        country=country(code=country_code) if country_code else None,
        status=status,
        council=council,
        reported_at=reported_at,
        staff_notes=staff_notes,
        staff_contacts=staff_contacts,
        **fields,
    )
    for order, supporter in enumerate(supporters, start=1):
        SupportAction.objects.create(
            case=record, order=order, organization=supporter, action="Gave advice."
        )
    return record


def program(
    *,
    slug: str,
    name: str | None = None,
    kind: str = Program.Kind.PROJECT,
    starts: str | None = None,
    country_code: str | None = None,
    owner_ministries: tuple = (),
    related_agreements: tuple = (),
    **fields,
) -> Program:
    record = _record(
        Program,
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        kind=kind,
        country=country(code=country_code) if country_code else None,
        **dated("starts_on", starts),
        **fields,
    )
    record.owner_ministries.set(owner_ministries)
    record.related_agreements.set(related_agreements)
    return record


def metric(
    *,
    slug: str,
    about,
    value: str = "46",
    unit: str = "meetings",
    as_of: str | None = "2024-11-30",
    name: str = "",
    **fields,
) -> Metric:
    subject = "country" if isinstance(about, Country) else CITATION_FIELD[type(about)]
    return _record(
        Metric,
        slug=slug,
        name=name or f"{value} {unit}",
        value=Decimal(value),
        unit=unit,
        **dated("as_of", as_of),
        **{subject: about},
        **fields,
    )


def portal_world(*, size: int, prefix: str = "w") -> dict:
    """``size`` connected records of every kind around a few hubs (a ministry, a
    framework agreement, an umbrella council, an agency, a chair, an annual meeting)
    whose pages grow with ``size``: for page tests and query counts."""
    korea = ministry(slug=f"{prefix}-mss", name="Ministry of SMEs and Startups", acronym="MSS")
    alias(korea, name=f"{prefix} MoSS")
    agency = organization(slug=f"{prefix}-kosme", name="KOSME", parent_ministry=korea)
    chair = person(slug=f"{prefix}-chair", title="Minister", at=korea)
    framework = agreement(slug=f"{prefix}-framework", parties=(korea,), signed="2023")
    umbrella = council(
        slug=f"{prefix}-umbrella", established_under=framework, host_ministries=(korea,)
    )
    annual = meeting(slug=f"{prefix}-annual", council=umbrella, presided_by=chair)
    world = {
        "ministry": korea,
        "agency": agency,
        "chair": chair,
        "framework": framework,
        "umbrella": umbrella,
        "annual": annual,
        "agreements": [],
        "councils": [],
        "meetings": [],
        "cases": [],
        "programs": [],
    }
    for i in range(size):
        code = ["be", "fr", "vn"][i % 3]
        partner = ministry(slug=f"{prefix}-partner-{i}", country_code=code)
        alias(partner, name=f"{prefix} partner alias {i}")
        signer = person(slug=f"{prefix}-minister-{i}", title="Minister", at=partner)
        deal = agreement(
            slug=f"{prefix}-mou-{i}",
            parties=(korea, partner),
            signatory=signer,
            signed=f"202{4 + i % 2}-0{1 + i % 9}",
            summary="Startup cooperation and technology exchange.",
        )
        mission = organization(
            slug=f"{prefix}-embassy-{i}", kind=Organization.Kind.MISSION, country_code=code
        )
        body = council(
            slug=f"{prefix}-council-{i}",
            established_under=deal,
            parent=umbrella,
            mission=mission,
            country_code=code,
            host_ministries=(korea, partner),
            members=(agency, mission),
            established="2024",
        )
        sitting = meeting(
            slug=f"{prefix}-meeting-{i}",
            council=body,
            country_code=code,
            presided_by=chair,
            format=Meeting.Format.HYBRID if i % 2 else Meeting.Format.IN_PERSON,
            participants=(signer, agency, korea, partner),
            related_agreements=(deal, framework),
        )
        MeetingParticipant.objects.create(meeting=annual, order=i, ministry=partner)
        case = support_case(
            slug=f"{prefix}-case-{i}",
            sector="biotech" if i % 2 else "fintech",
            country_code=code,
            status=SupportCase.Status.RESOLVED,
            council=body,
            reported_at=annual,
            supporters=(agency, mission),
            staff_notes="staff only note",
        )
        world["programs"].append(
            program(
                slug=f"{prefix}-program-{i}",
                starts="2025",
                country_code=code,
                owner_ministries=(korea, partner),
                related_agreements=(deal, framework),
            )
        )
        metric(slug=f"{prefix}-metric-{i}", about=body)
        metric(slug=f"{prefix}-deal-metric-{i}", about=deal, value="3", unit="companies")
        metric(slug=f"{prefix}-hub-metric-{i}", about=korea, value=str(i), unit="events")
        if world["agreements"]:
            relation(new=deal, old=world["agreements"][-1])
        world["agreements"].append(deal)
        world["councils"].append(body)
        world["meetings"].append(sitting)
        world["cases"].append(case)
    return world
