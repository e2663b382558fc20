"""The tests' one set of factories (factory_boy): one per model the tests build.

A record comes out published and cited, as the rules want every public record: it has
a Citation quoting the shared press release. ``draft=True`` gives a record as an
editor saves it in the admin: unpublished and not yet cited (pass ``cited=True`` for
a cited draft). Partial dates are given as the portal reads them, ``"2024"``,
``"2024-04"`` or ``"2024-04-17"`` (``signed=``, ``held=``...), and stored at that
precision; ``country_code="be"`` finds or makes the country.
"""

import os
from decimal import Decimal
from unittest import mock

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from factory.django import DjangoModelFactory

from initiatives import models
from initiatives.dates import parse_partial_date
from initiatives.quotes import quote_in_text

CITATION_FIELD = {model: name for name, model in models.CITABLE}
COUNTRY_NAMES = {"kr": "Korea, Republic of", "be": "Belgium", "fr": "France", "vn": "Viet Nam"}


def partial_date(param: str):
    """The three columns of a partial date, read from the factory parameter ``param``
    (and ``<param>_inferred``): unpack them in a factory body as the model does."""

    def parsed(o):
        text = getattr(o, param)
        return parse_partial_date(text) if text else None

    return (
        factory.LazyAttribute(lambda o: parsed(o).value if parsed(o) else None),
        factory.LazyAttribute(lambda o: parsed(o).precision if parsed(o) else ""),
        factory.LazyAttribute(lambda o: bool(getattr(o, param)) and o.inferred),
    )


def in_country():
    """The country named by the ``country_code`` parameter, or none without one."""
    return factory.Maybe(
        "country_code",
        factory.SubFactory(
            "tests.factories.CountryFactory", code=factory.SelfAttribute("..country_code")
        ),
        None,
    )


def _target_field(record) -> str:
    return CITATION_FIELD[type(record)]


def _cited_record(citation):
    return next(
        getattr(citation, name) for name, _m in models.CITABLE if getattr(citation, name, None)
    )


# Countries, sources, citations and other names ---------------------------------------


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ("code",)

    code = "kr"
    name = factory.LazyAttribute(lambda o: COUNTRY_NAMES.get(o.code, o.code.upper()))


class RegionFactory(DjangoModelFactory):
    """A region or grouping; one with a slug already taken is found, not made again.
    ``countries=("be", "fr")`` puts those countries in it."""

    class Meta:
        model = models.Region
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = "europe"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = models.Region.Kind.REGION
    source = "UN M49"

    @factory.post_generation
    def countries(self, create, codes, **kwargs):
        for code in codes or ():
            self.countries.add(CountryFactory(code=code))


def world_regions() -> list:
    """The regions of ``portal_world``'s countries, as the fixture has them."""
    return [
        RegionFactory(slug="europe", name="Europe", name_ko="유럽", countries=("be", "fr")),
        RegionFactory(
            slug="western-europe", kind=models.Region.Kind.SUB_REGION, countries=("be", "fr")
        ),
        RegionFactory(slug="asia", name="Asia", countries=("kr", "vn")),
        RegionFactory(slug="eu", kind=models.Region.Kind.GROUPING, countries=("be", "fr")),
        RegionFactory(slug="asean", kind=models.Region.Kind.GROUPING, countries=("vn",)),
    ]


class SourceFactory(DjangoModelFactory):
    """A published source document; one with a slug already taken is found, not made again."""

    class Meta:
        model = models.Source
        django_get_or_create = ("slug",)

    class Params:
        published = "2024-12-17"
        inferred = False
        draft = factory.Trait(is_published=False)

    slug = factory.Sequence(lambda n: f"source-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    publisher = "Ministry of SMEs and Startups"
    is_published = True
    published_on, published_on_precision, published_on_inferred = partial_date("published")


class CitationFactory(DjangoModelFactory):
    """Pass the record as its kind: ``CitationFactory(agreement=mou)``, or use ``cite``."""

    class Meta:
        model = models.Citation

    # The one press release every record's citation quotes unless told otherwise.
    source = factory.SubFactory(SourceFactory, slug="mss-press-release", name="MSS press release")
    quote = factory.LazyAttribute(lambda o: f"The source says {_cited_record(o).name}.")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Sources hold their text and quotes are checked against it: the source says
        # whatever a test has it quoted as saying.
        source, quote = kwargs["source"], kwargs["quote"]
        if not quote_in_text(quote, source.text):
            source.text = f"{source.text}{quote}\n"
            source.save(update_fields=["text"])
        return super()._create(model_class, *args, **kwargs)


def cite(record, **fields) -> models.Citation:
    """A citation of any kind of record."""
    return CitationFactory(**{_target_field(record): record}, **fields)


class AliasFactory(DjangoModelFactory):
    class Meta:
        model = models.Alias

    language = "en"


def alias(record, **fields) -> models.Alias:
    """Another name for any kind of record."""
    return AliasFactory(**{_target_field(record): record}, **fields)


# Records ----------------------------------------------------------------------------


class RecordFactory(DjangoModelFactory):
    """A published record with one citation; ``draft=True`` for an editor's draft."""

    class Meta:
        abstract = True
        # Post-generation hooks save what they make; a second save of the record would
        # add a history row the tests do not expect.
        skip_postgeneration_save = True

    class Params:
        cited = True
        country_code = None
        inferred = False
        draft = factory.Trait(is_published=False, cited=False)

    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    is_published = True


def cited_as(field: str):
    """The record's citation, made after the record when the ``cited`` parameter says so."""
    return factory.Maybe(
        "cited", factory.RelatedFactory(CitationFactory, factory_related_name=field)
    )


class MinistryFactory(RecordFactory):
    class Meta:
        model = models.Ministry

    class Params:
        country_code = "kr"

    slug = factory.Sequence(lambda n: f"ministry-{n}")
    country = factory.SubFactory(CountryFactory, code=factory.SelfAttribute("..country_code"))
    citation = cited_as("ministry")


class OrganizationFactory(RecordFactory):
    class Meta:
        model = models.Organization

    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = models.Organization.Kind.AGENCY
    country = in_country()
    citation = cited_as("organization")


class PersonFactory(RecordFactory):
    """``title="Minister", at=ministry`` gives the person a post there."""

    class Meta:
        model = models.Person

    class Params:
        country_code = "kr"
        title = ""
        at = None

    slug = factory.Sequence(lambda n: f"person-{n}")
    country = in_country()
    citation = cited_as("person")
    post = factory.Maybe(
        "title",
        factory.RelatedFactory(
            "tests.factories.PostFactory",
            factory_related_name="person",
            title=factory.SelfAttribute("..title"),
            ministry=factory.LazyAttribute(
                lambda o: (
                    o.factory_parent.at
                    if isinstance(o.factory_parent.at, models.Ministry)
                    else None
                )
            ),
            organization=factory.LazyAttribute(
                lambda o: (
                    o.factory_parent.at
                    if isinstance(o.factory_parent.at, models.Organization)
                    else None
                )
            ),
        ),
    )


class PostFactory(DjangoModelFactory):
    class Meta:
        model = models.Post

    person = factory.SubFactory(PersonFactory)
    title = "Minister"


class AgreementFactory(RecordFactory):
    """``parties=(mss, partner)`` in order; ``parties__signatory=`` signs for the first."""

    class Meta:
        model = models.Agreement

    class Params:
        signed = "2024-04-17"

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    kind = models.Agreement.Kind.MOU
    status = models.Agreement.Status.SIGNED
    signed_on, signed_on_precision, signed_on_inferred = partial_date("signed")
    citation = cited_as("agreement")

    @factory.post_generation
    def parties(agreement, create, extracted, signatory=None, **kwargs):
        for order, ministry in enumerate(extracted or ()):
            first = signatory if order == 0 else None
            AgreementPartyFactory(
                agreement=agreement,
                ministry=ministry,
                order=order,
                signatory=first,
                signatory_title="Minister" if first else "",
            )


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = models.AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    ministry = factory.SubFactory(MinistryFactory)


class AgreementRelationFactory(DjangoModelFactory):
    class Meta:
        model = models.AgreementRelation

    from_agreement = factory.SubFactory(AgreementFactory)
    to_agreement = factory.SubFactory(AgreementFactory)
    kind = models.AgreementRelation.Kind.SUPERSEDES


class CouncilFactory(RecordFactory):
    class Meta:
        model = models.Council

    class Params:
        established = None

    slug = factory.Sequence(lambda n: f"council-{n}")
    kind = models.Council.Kind.CONSULTATIVE_BODY
    status = models.Council.Status.ACTIVE
    country = in_country()
    established_on, established_on_precision, established_on_inferred = partial_date("established")
    citation = cited_as("council")

    @factory.post_generation
    def host_ministries(council, create, extracted, **kwargs):
        council.host_ministries.set(extracted or ())

    @factory.post_generation
    def members(council, create, extracted, **kwargs):
        council.members.set(extracted or ())


class MeetingFactory(RecordFactory):
    """``participants=(person, organization, ministry, ...)`` take part in that order."""

    class Meta:
        model = models.Meeting

    class Params:
        held = "2024-11-30"

    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = models.Meeting.Kind.COUNCIL_MEETING
    country = in_country()
    held_on, held_on_precision, held_on_inferred = partial_date("held")
    citation = cited_as("meeting")

    @factory.post_generation
    def participants(meeting, create, extracted, **kwargs):
        for order, who in enumerate(extracted or ()):
            field = {
                models.Person: "person",
                models.Organization: "organization",
                models.Ministry: "ministry",
            }[type(who)]
            MeetingParticipantFactory(meeting=meeting, order=order, **{field: who})

    @factory.post_generation
    def related_agreements(meeting, create, extracted, **kwargs):
        meeting.related_agreements.set(extracted or ())


class MeetingParticipantFactory(DjangoModelFactory):
    class Meta:
        model = models.MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    role = "member"


class SupportCaseFactory(RecordFactory):
    """A company's case; ``supporters=(agency, mission)`` each give advice, in order."""

    class Meta:
        model = models.SupportCase

    slug = factory.Sequence(lambda n: f"case-{n}")
    company = factory.SubFactory(
        OrganizationFactory,
        slug=factory.LazyAttribute(lambda o: f"{o.factory_parent.slug}-company"),
        kind=models.Organization.Kind.COMPANY,
    )
    country = in_country()
    citation = cited_as("support_case")

    @factory.post_generation
    def supporters(case, create, extracted, **kwargs):
        for order, supporter in enumerate(extracted or (), start=1):
            SupportActionFactory(case=case, order=order, organization=supporter)


class SupportActionFactory(DjangoModelFactory):
    class Meta:
        model = models.SupportAction

    case = factory.SubFactory(SupportCaseFactory)
    order = factory.Sequence(lambda n: n + 1)
    organization = factory.SubFactory(OrganizationFactory)
    action = "Gave advice."


class ProgramFactory(RecordFactory):
    class Meta:
        model = models.Program

    class Params:
        starts = None

    slug = factory.Sequence(lambda n: f"program-{n}")
    kind = models.Program.Kind.PROJECT
    country = in_country()
    starts_on, starts_on_precision, starts_on_inferred = partial_date("starts")
    citation = cited_as("program")

    @factory.post_generation
    def owner_ministries(program, create, extracted, **kwargs):
        program.owner_ministries.set(extracted or ())

    @factory.post_generation
    def related_agreements(program, create, extracted, **kwargs):
        program.related_agreements.set(extracted or ())


class MetricFactory(RecordFactory):
    """A figure ``about`` one record or country (by default a new agreement)."""

    class Meta:
        model = models.Metric

    class Params:
        about = None
        measured = "2024-11-30"

    slug = factory.Sequence(lambda n: f"metric-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.value} {o.unit}")
    value = Decimal("46")
    unit = "meetings"
    as_of, as_of_precision, as_of_inferred = partial_date("measured")
    citation = cited_as("metric")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if not any(kwargs.get(f) for f in models.Metric.SUBJECT_FIELDS):
            about = kwargs["about"] or AgreementFactory()
            field = "country" if isinstance(about, models.Country) else _target_field(about)
            kwargs[field] = about
        kwargs["value"] = Decimal(str(kwargs["value"]))
        return kwargs


class CooperationAreaFactory(DjangoModelFactory):
    class Meta:
        model = models.CooperationArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = "Technology"


# Accounts ---------------------------------------------------------------------------

STRONG_PASSWORD = "Seven-geese-cross-the-Han-2026"
# Tests hash many passwords; the production hasher is deliberately slow.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROLE_GROUPS = {"editor": "Editors", "reviewer": "Reviewers"}


def role_group(name: str) -> Group:
    """The Editors or Reviewers group; rebuilt as migration 0002 makes it after a flush.

    Transactional tests (the browser test) flush the database, which removes the groups
    the data migration made; later tests in the same run still need them.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        actions = {"Editors": ("add", "change", "delete", "view")}.get(
            name, ("add", "change", "delete", "view", "publish")
        )
        group.permissions.add(
            *[
                permission
                for permission in Permission.objects.filter(
                    content_type__app_label="initiatives"
                ).exclude(content_type__model__startswith="historical")
                if permission.codename.split("_", 1)[0] in actions
            ]
        )
    return group


class AccountFactory(DjangoModelFactory):
    """A staff account in a role, made the way operators make one: create_portal_account."""

    class Meta:
        model = get_user_model()

    # Read by _create, which passes them to the command rather than to the model.
    role = "editor"
    password = STRONG_PASSWORD
    username = factory.LazyAttributeSequence(lambda o, n: f"{o.role}{n}")

    @classmethod
    def _create(cls, model_class, *, username, role, password, **fields):
        role_group(ROLE_GROUPS[role])
        with mock.patch.dict(os.environ, {"PORTAL_ACCOUNT_PASSWORD": password}):
            call_command("create_portal_account", username, f"{username}@example.org", role=role)
        return model_class._default_manager.get(username=username)


def authenticator(user):
    """The account's authenticator (TOTP device): the one its command made, or a new one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from initiatives.management.authenticators import enrol

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)


def current_code(device) -> str:
    """The code an authenticator app shows now for ``device``, as the account holder types it."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def log_in_verified(client, user):
    """``client`` logged in as ``user`` and verified by the account's authenticator, as after
    the admin's two-factor login (force_login alone leaves the admin closed)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    return client


# Worlds -----------------------------------------------------------------------------


def one_of_everything() -> dict:
    """One draft row of every model the admin registers, linked the way real data is."""
    kr = CountryFactory(code="kr")
    mss = MinistryFactory(draft=True, name="Ministry of SMEs and Startups", acronym="MSS")
    minister = PersonFactory(draft=True, name="Oh Young-ju")
    kosme = OrganizationFactory(draft=True, name="KOSME", country=kr, parent_ministry=mss)
    mou = AgreementFactory(
        draft=True, name="MOU on SME cooperation", signed="2024-04", country_code="be"
    )
    earlier = AgreementFactory(draft=True, name="Earlier MOU", signed=None)
    body = CouncilFactory(
        draft=True,
        name="Overseas consultative body",
        established_under=mou,
        country=kr,
        established="2024",
        host_ministries=(mss,),
        members=(kosme,),
    )
    sitting = MeetingFactory(draft=True, name="First meeting", council=body, held="2024-12-17")
    case = SupportCaseFactory(
        draft=True,
        name="Help for a food exporter",
        company__draft=True,
        council=body,
        reported_at=sitting,
        staff_notes="Call Mr Kim first.",
    )
    area = CooperationAreaFactory()
    mou.cooperation_areas.add(area)
    doc = SourceFactory(draft=True, name="MSS press release", published="2024-04")
    return {
        "country": kr,
        "ministry": mss,
        "person": minister,
        "organization": kosme,
        "agreement": mou,
        "council": body,
        "meeting": sitting,
        "supportcase": case,
        "program": ProgramFactory(draft=True, name="Startup for All"),
        "source": doc,
        "metric": MetricFactory(draft=True, name="Meetings held", council=body),
        "cooperationarea": area,
        "region": RegionFactory(slug="eastern-asia", countries=("kr",)),
        "cityname": models.CityName.objects.create(
            name="Seoul", country=kr, name_ko="서울", reference="서울특별시 행정특례에 관한 특별법"
        ),
        "post": PostFactory(person=minister, title="Minister", ministry=mss),
        "agreementparty": AgreementPartyFactory(
            agreement=mou, ministry=mss, signatory=minister, signatory_title="Minister"
        ),
        "agreementrelation": AgreementRelationFactory(from_agreement=mou, to_agreement=earlier),
        "meetingparticipant": MeetingParticipantFactory(
            meeting=sitting, organization=kosme, role="host"
        ),
        "supportaction": SupportActionFactory(
            case=case, order=1, organization=kosme, action="Found a distributor."
        ),
        "citation": cite(mou, source=doc, quote="The two ministries signed an MOU."),
        "alias": alias(mss, name="MoSS", kind="acronym"),
    }


def portal_world(*, size: int, prefix: str = "w") -> dict:
    """``size`` connected records of every kind around a few hubs (a ministry, a
    framework agreement, an umbrella council, an agency, a chair, an annual meeting)
    whose pages grow with ``size``: for page tests and query counts."""
    korea = MinistryFactory(
        slug=f"{prefix}-mss", name="Ministry of SMEs and Startups", acronym="MSS"
    )
    alias(korea, name=f"{prefix} MoSS")
    agency = OrganizationFactory(slug=f"{prefix}-kosme", name="KOSME", parent_ministry=korea)
    chair = PersonFactory(slug=f"{prefix}-chair", title="Minister", at=korea)
    framework = AgreementFactory(slug=f"{prefix}-framework", parties=(korea,), signed="2023")
    umbrella = CouncilFactory(
        slug=f"{prefix}-umbrella", established_under=framework, host_ministries=(korea,)
    )
    annual = MeetingFactory(slug=f"{prefix}-annual", council=umbrella, presided_by=chair)
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
        partner = MinistryFactory(slug=f"{prefix}-partner-{i}", country_code=code)
        alias(partner, name=f"{prefix} partner alias {i}")
        signer = PersonFactory(slug=f"{prefix}-minister-{i}", title="Minister", at=partner)
        deal = AgreementFactory(
            slug=f"{prefix}-mou-{i}",
            parties=(korea, partner),
            parties__signatory=signer,
            signed=f"202{4 + i % 2}-0{1 + i % 9}",
            summary="Startup cooperation and technology exchange.",
        )
        mission = OrganizationFactory(
            slug=f"{prefix}-embassy-{i}", kind=models.Organization.Kind.MISSION, country_code=code
        )
        body = CouncilFactory(
            slug=f"{prefix}-council-{i}",
            established_under=deal,
            parent=umbrella,
            mission=mission,
            country_code=code,
            host_ministries=(korea, partner),
            members=(agency, mission),
            established="2024",
        )
        sitting = MeetingFactory(
            slug=f"{prefix}-meeting-{i}",
            council=body,
            country_code=code,
            presided_by=chair,
            format=models.Meeting.Format.HYBRID if i % 2 else models.Meeting.Format.IN_PERSON,
            participants=(signer, agency, korea, partner),
            related_agreements=(deal, framework),
        )
        MeetingParticipantFactory(meeting=annual, order=i, ministry=partner, role="")
        case = SupportCaseFactory(
            slug=f"{prefix}-case-{i}",
            sector="biotech" if i % 2 else "fintech",
            country_code=code,
            status=models.SupportCase.Status.RESOLVED,
            council=body,
            reported_at=annual,
            supporters=(agency, mission),
            staff_notes="staff only note",
        )
        world["programs"].append(
            ProgramFactory(
                slug=f"{prefix}-program-{i}",
                starts="2025",
                country_code=code,
                owner_ministries=(korea, partner),
                related_agreements=(deal, framework),
            )
        )
        MetricFactory(slug=f"{prefix}-metric-{i}", about=body)
        MetricFactory(slug=f"{prefix}-deal-metric-{i}", about=deal, value="3", unit="companies")
        MetricFactory(slug=f"{prefix}-hub-metric-{i}", about=korea, value=str(i), unit="startups")
        if world["agreements"]:
            AgreementRelationFactory(from_agreement=deal, to_agreement=world["agreements"][-1])
        world["agreements"].append(deal)
        world["councils"].append(body)
        world["meetings"].append(sitting)
        world["cases"].append(case)
    world["regions"] = world_regions()
    return world
