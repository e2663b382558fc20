"""Synthetic load data: years of use at the shape of the real records, to measure speed.

``--scale 1`` adds 10,000 agreements, 100,000 meetings and 200,000 support cases with
their parties, participants, actions, aliases, citations and figures, on top of what
is loaded. Every record's slug starts with ``syn-`` and every record cites the one
Source marked synthetic, so ``--delete`` removes exactly them. Never dumped to
``fixtures/``.

Rows are written in bulk (COPY on PostgreSQL, ``bulk_create`` elsewhere): no
``save()``, no signals and no history rows, so the command sets the timestamps itself
and bumps the cache's data version once at the end. At scale 1 it adds about 1.2
million rows; on PostgreSQL it holds the large tables locked while it runs.
"""

import datetime
import math
import random
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from initiatives import cache, search_index
from initiatives.dates import Precision
from initiatives.models import (
    CITABLE,
    NAMEABLE,
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
from initiatives.source_text import content_hash

PREFIX = "syn-"
SOURCE_SLUG = "synthetic-data"
QUOTE = "Synthetic record generated for load testing; not a fact."
BATCH = 2000

# Per unit of scale. Shared records (ministries, companies...) grow with the scale too.
PER_SCALE = {
    "ministries": 600,
    "organizations": 3000,
    "companies": 20000,
    "people": 4000,
    "agreements": 10000,
    "councils": 1000,
    "meetings": 100000,
    "cases": 200000,
    "programs": 300,
    "metrics": 2000,
}
MINIMUM = {"ministries": 5, "organizations": 5, "companies": 5, "people": 5, "councils": 3}

MINISTRY_TOPICS = [
    "SMEs and Startups",
    "Foreign Affairs",
    "Trade and Industry",
    "Economy",
    "Science and Technology",
    "Digital Affairs",
    "Finance",
    "Labour",
    "Agriculture",
    "Energy",
]
SECTORS = [
    "Battery remanufacturing",
    "Cosmetics",
    "Food and beverages",
    "Medical devices",
    "Software",
    "Semiconductors",
    "Robotics",
    "Fashion",
    "Biotechnology",
    "Clean energy",
    "Logistics",
    "Education technology",
    "Content and games",
    "Fintech",
    "Automotive parts",
]
CHALLENGES = [
    "Obtaining permits for a factory.",
    "Certification of its products for the local market.",
    "A customs dispute over classification.",
    "Finding local distribution partners.",
    "Unpaid invoices from a local buyer.",
    "Registering its trademark.",
]
ACTIONS = [
    "Introduced the company to the local authorities.",
    "Arranged meetings with potential buyers.",
    "Gave legal advice on the permit procedure.",
    "Raised the matter with the host government.",
    "Provided market research.",
]
ROLES = ["chair", "co-chair", "presenter", "member", "observer", "guest speaker", ""]
CITIES = ["Capital City", "Port City", "Old Town", "North District", "Riverside"]
AREAS = ["SME policy", "startups", "digital trade", "technology", "market access", "finance"]


def count(name: str, scale: float) -> int:
    return max(MINIMUM.get(name, 1), math.ceil(PER_SCALE[name] * scale))


class Generator:
    """Builds and inserts the records, remembering primary keys for the relations."""

    def __init__(self, *, scale: float, seed: int, out):
        self.scale = scale
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.out = out

    # Helpers --------------------------------------------------------------------

    def insert(self, model, rows: list) -> list:
        started = time.monotonic()
        write_rows(model, rows)
        self.out(f"  {model.__name__}: {len(rows):,} in {time.monotonic() - started:.1f}s")
        return rows

    def record(self, slug_word: str, number: int, name: str, **fields) -> "Row":
        """A Record with the slug, timestamps and publication state every record has."""
        published = self.random.random() >= 0.05  # one record in twenty is a draft
        return Row(
            slug=f"{PREFIX}{slug_word}-{number:06d}",
            name=name,
            is_published=published,
            published_at=self.now if published else None,
            created_at=self.now,
            updated_at=self.now,
            **fields,
        )

    def partial_date(self, field: str, first_year=2000, last_year=2026, *, optional=0.0) -> dict:
        """A date known to the day, month or year, sometimes inferred, sometimes missing."""
        if self.random.random() < optional:
            return {}
        day = datetime.date(first_year, 1, 1) + datetime.timedelta(
            days=self.random.randrange((last_year - first_year + 1) * 365)
        )
        roll = self.random.random()
        if roll < 0.15:
            precision, day = Precision.YEAR, day.replace(month=1, day=1)
        elif roll < 0.40:
            precision, day = Precision.MONTH, day.replace(day=1)
        else:
            precision = Precision.DAY
        return {
            field: day,
            f"{field}_precision": precision,
            f"{field}_inferred": self.random.random() < 0.05,
        }

    def maybe(self, probability: float, values: list):
        return self.random.choice(values) if values and self.random.random() < probability else None

    def maybe_pk(self, probability: float, values: list):
        chosen = self.maybe(probability, values)
        return chosen.pk if chosen else None

    # The data set ---------------------------------------------------------------

    def run(self):
        n = {name: count(name, self.scale) for name in PER_SCALE}
        pick = self.random.choice
        source = self.record("source", 0, "Synthetic data for load testing", is_synthetic=True)
        source.update(slug=SOURCE_SLUG, is_published=True, published_at=self.now)
        source["note"] = "Generated by seed_synthetic; removed by seed_synthetic --delete."
        # Sources hold their text: every generated citation quotes it.
        source.update(text=f"{QUOTE}\n", content_hash=content_hash(f"{QUOTE}\n"))
        (self.source,) = self.insert(Source, [source])
        countries = list(Country.objects.values_list("code", flat=True))
        # Korea takes part in much of the real data; weight it as the documents do.
        weighted = countries + ["kr"] * (len(countries) // 4)

        ministries = self.insert(
            Ministry,
            [
                self.record(
                    "ministry",
                    i,
                    f"Ministry of {MINISTRY_TOPICS[i % len(MINISTRY_TOPICS)]} {i}",
                    country_id=pick(weighted),
                    acronym=f"SM{i}",
                )
                for i in range(n["ministries"])
            ],
        )
        kinds = [k for k in Organization.Kind.values if k != Organization.Kind.COMPANY]
        organizations = self.insert(
            Organization,
            [
                self.record(
                    "organization",
                    i,
                    f"Synthetic {kinds[i % len(kinds)].replace('-', ' ')} {i}",
                    kind=kinds[i % len(kinds)],
                    country_id=pick(weighted),
                    city=pick(CITIES),
                    parent_ministry_id=pick(ministries).pk if i % 5 == 0 else None,
                )
                for i in range(n["organizations"])
            ],
        )
        missions = [o for o in organizations if o.kind == Organization.Kind.MISSION]
        companies = self.insert(
            Organization,
            [
                self.record(
                    "company",
                    i,
                    f"Synthetic Company {i}",
                    kind=Organization.Kind.COMPANY,
                    country_id="kr" if i % 3 else pick(countries),
                    sector=pick(SECTORS),
                )
                for i in range(n["companies"])
            ],
        )
        people = self.insert(
            Person,
            [
                self.record("person", i, f"Synthetic Person {i}", country_id=pick(weighted))
                for i in range(n["people"])
            ],
        )
        self.insert(
            Post,
            [
                Row(
                    person_id=p.pk,
                    title=pick(["Minister", "Vice Minister", "Director General", "Ambassador"]),
                    ministry_id=pick(ministries).pk,
                    **self.partial_date("seen_on", 2015, optional=0.3),
                )
                for p in people
            ],
        )
        agreements = self.insert(
            Agreement, [self.agreement(i, pick) for i in range(n["agreements"])]
        )
        self.insert(AgreementParty, self.parties(agreements, ministries, people))
        self.insert(
            AgreementRelation,
            [
                Row(
                    from_agreement_id=a.pk,
                    kind=pick(AgreementRelation.Kind.values),
                    to_agreement_id=agreements[i - 1].pk,
                )
                for i, a in enumerate(agreements)
                if i and self.random.random() < 0.05
            ],
        )
        councils = [
            self.record(
                "council",
                i,
                f"Synthetic Consultative Body {i}",
                kind=pick(Council.Kind.values),
                status=pick(Council.Status.values),
                established_under_id=self.maybe_pk(0.5, agreements),
                mission_id=self.maybe_pk(0.6, missions),
                country_id=pick(weighted),
                **self.partial_date("established_on", 2010, optional=0.2),
            )
            for i in range(n["councils"])
        ]
        # Per-mission bodies under the first tenth, as the real umbrella councils have.
        assign_ids(Council, councils)
        umbrellas = councils[: max(1, len(councils) // 10)]
        for council in councils[len(umbrellas) :]:
            council["parent_id"] = pick(umbrellas).pk if self.random.random() < 0.4 else None
        self.insert(Council, councils)
        self.insert(
            Council.host_ministries.through,
            [
                Row(council_id=c.pk, ministry_id=m.pk)
                for c in councils
                for m in self.random.sample(ministries, 2)
            ],
        )
        self.insert(
            Council.members.through,
            [
                Row(council_id=c.pk, organization_id=o.pk)
                for c in councils
                for o in self.random.sample(organizations, 3)
            ],
        )
        meetings = self.insert(
            Meeting, [self.meeting(i, pick, councils, people) for i in range(n["meetings"])]
        )
        self.insert(
            Meeting.related_agreements.through,
            [
                Row(meeting_id=m.pk, agreement_id=pick(agreements).pk)
                for m in meetings
                if self.random.random() < 0.1
            ],
        )
        self.insert(
            MeetingParticipant, self.participants(meetings, people, organizations, ministries)
        )
        cases = self.insert(
            SupportCase,
            [
                self.record(
                    "case",
                    i,
                    f"Synthetic Company {i % len(companies)}: {pick(CHALLENGES)[:-1].lower()}",
                    company_id=companies[i % len(companies)].pk,
                    sector=pick(SECTORS),
                    country_id=pick(countries),
                    challenge=pick(CHALLENGES),
                    status=pick(SupportCase.Status.values),
                    council_id=self.maybe_pk(0.5, councils),
                    reported_at_id=self.maybe_pk(0.2, meetings),
                )
                for i in range(n["cases"])
            ],
        )
        self.insert(
            SupportAction,
            [
                Row(
                    case_id=c.pk,
                    order=order,
                    organization_id=pick(organizations).pk if order % 3 else None,
                    actor="" if order % 3 else "A local law firm",
                    action=pick(ACTIONS),
                )
                for c in cases
                for order in range(1, self.random.randint(1, 3) + 1)
            ],
        )
        programs = self.insert(
            Program,
            [
                self.record(
                    "program",
                    i,
                    f"Synthetic Program {i}",
                    kind=pick(Program.Kind.values),
                    country_id=pick(weighted),
                    **self.partial_date("starts_on", 2015, optional=0.2),
                )
                for i in range(n["programs"])
            ],
        )
        self.insert(
            Program.owner_ministries.through,
            [Row(program_id=p.pk, ministry_id=pick(ministries).pk) for p in programs],
        )
        metrics = self.insert(
            Metric, [self.metric(i, pick, councils, agreements) for i in range(n["metrics"])]
        )
        named = {
            "agreement": agreements,
            "ministry": ministries,
            "council": councils,
            "organization": organizations,
            "person": people,
        }
        self.insert(Alias, self.aliases(named))
        cited = {
            **named,
            "meeting": meetings,
            "program": programs,
            "support_case": cases,
            "metric": metrics,
        }
        cited["organization"] = organizations + companies
        self.insert(
            Citation,
            [
                Row(source_id=self.source.pk, quote=QUOTE, **{f"{field}_id": record.pk})
                for field, records in cited.items()
                for record in records
            ],
        )

    def agreement(self, i: int, pick) -> Agreement:
        signed = self.partial_date("signed_on", optional=0.05)
        expires = {}
        if signed and self.random.random() < 0.3:
            expires = {
                "expires_on": signed["signed_on"].replace(
                    month=1, day=1, year=signed["signed_on"].year + self.random.randint(2, 5)
                ),
                "expires_on_precision": Precision.YEAR,
            }
        return self.record(
            "agreement",
            i,
            f"Memorandum of Understanding on {pick(AREAS)} cooperation {i}",
            kind=pick(Agreement.Kind.values),
            status=pick(Agreement.Status.values),
            summary="Cooperation on " + ", ".join(self.random.sample(AREAS, 3)) + ".",
            city=pick(CITIES),
            **signed,
            **expires,
        )

    def parties(self, agreements, ministries, people) -> list:
        rows = []
        for agreement in agreements:
            for order, ministry in enumerate(self.random.sample(ministries, 2)):
                signatory = self.maybe(0.6, people)
                rows.append(
                    Row(
                        agreement_id=agreement.pk,
                        ministry_id=ministry.pk,
                        signatory_id=signatory.pk if signatory else None,
                        signatory_title="Minister" if signatory else "",
                        order=order,
                    )
                )
        return rows

    def meeting(self, i: int, pick, councils, people) -> Meeting:
        council = self.maybe(0.7, councils)
        presided = self.maybe(0.3, people)
        return self.record(
            "meeting",
            i,
            f"{council.name if council else 'Bilateral'} meeting {i}",
            kind=pick(Meeting.Kind.values),
            status=Meeting.Status.HELD if self.random.random() < 0.9 else Meeting.Status.PLANNED,
            council_id=council.pk if council else None,
            city=pick(CITIES),
            country_id=council.country_id if council else "kr",
            format=pick(["", *Meeting.Format.values]),
            presided_by_id=presided.pk if presided else None,
            **self.partial_date("held_on", 2015, optional=0.02),
        )

    def participants(self, meetings, people, organizations, ministries) -> list:
        pools = [("person_id", people), ("organization_id", organizations)]
        pools.append(("ministry_id", ministries))
        rows = []
        for meeting in meetings:
            for order, (field, pool) in enumerate(pools[: self.random.randint(1, 3)]):
                rows.append(
                    Row(
                        meeting_id=meeting.pk,
                        order=order,
                        role=self.random.choice(ROLES),
                        **{field: self.random.choice(pool).pk},
                    )
                )
        return rows

    def metric(self, i: int, pick, councils, agreements) -> Metric:
        subject = (
            {"council_id": pick(councils).pk} if i % 2 else {"agreement_id": pick(agreements).pk}
        )
        return self.record(
            "metric",
            i,
            f"Synthetic figure {i}",
            value=self.random.randint(1, 500),
            unit=pick(["meetings", "companies", "support cases", "countries"]),
            **subject,
            **self.partial_date("as_of", 2018, optional=0.1),
        )

    def aliases(self, named: dict) -> list:
        rows = []
        for field, records in named.items():
            for record in records:
                if self.random.random() < 0.2:
                    rows.append(
                        Row(
                            name=f"{record.name} (other name)",
                            language=self.random.choice(["en", "ko"]),
                            kind=Alias.Kind.SPELLING,
                            **{f"{field}_id": record.pk},
                        )
                    )
        return rows


class Row(dict):
    """One row to insert, by attribute name; ``row.pk`` and ``row.name`` read its columns."""

    def __getattr__(self, name):
        try:
            return self["id" if name == "pk" else name]
        except KeyError:
            raise AttributeError(name) from None


def assign_ids(model, rows: list) -> None:
    """Give rows their primary keys up front, so that other rows can point at them."""
    rows = [row for row in rows if "id" not in row]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
    else:
        first = (model.objects.aggregate(last=Max("id"))["last"] or 0) + 1
        ids = range(first, first + len(rows))
    for row, pk in zip(rows, ids, strict=True):
        row["id"] = pk


def write_rows(model, rows: list) -> None:
    """COPY on PostgreSQL (ten times faster than INSERT at this size); bulk_create elsewhere."""
    assign_ids(model, rows)
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    fields = model._meta.concrete_fields
    # bulk_create would fill defaults from the model; COPY needs every column given.
    defaults = [(f.attname, f.get_default()) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row.get(name, default) for name, default in defaults])


# The large tables. On PostgreSQL their secondary indexes and foreign keys are dropped
# while they load and added back once: one index build and one set-based check per
# table, several times faster than keeping them up to date row by row.
LARGE_TABLES = [Meeting, MeetingParticipant, SupportCase, SupportAction, Citation]


@contextmanager
def indexes_rebuilt_after(models: list, out):
    """Drop the tables' foreign keys and the indexes that back no constraint; restore them."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        # Run any deferred checks now: a table with checks waiting cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for _table, name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _table, _name, definition in indexes:
            cursor.execute(definition)
        out(f"  {len(indexes)} indexes rebuilt in {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        out(f"  {len(foreign_keys)} foreign keys checked in {time.monotonic() - started:.1f}s")


def synthetic_q(field: str = "") -> Q:
    """Rows whose ``field`` (a relation, or the row itself) is a synthetic record."""
    return Q(**{f"{field}__slug__startswith" if field else "slug__startswith": PREFIX})


def raw_delete(queryset) -> int:
    # One DELETE statement: no per-row signals, no history rows. Children go first.
    return queryset._raw_delete(queryset.db)


def delete_synthetic(out) -> None:
    def attached_to_synthetic(model, targets):
        condition = Q()
        for name, _model in targets:
            condition |= synthetic_q(name)
        return model.objects.filter(condition)

    any_of = lambda *fields: Q.create([synthetic_q(f) for f in fields], connector=Q.OR)  # noqa: E731
    steps = [
        Citation.objects.filter(source__slug=SOURCE_SLUG),
        attached_to_synthetic(Citation, CITABLE),
        attached_to_synthetic(Alias, NAMEABLE),
        Metric.objects.filter(synthetic_q()),
        SupportAction.objects.filter(any_of("case", "organization")),
        MeetingParticipant.objects.filter(any_of("meeting", "person", "organization", "ministry")),
        Meeting.related_agreements.through.objects.filter(any_of("meeting", "agreement")),
        Council.host_ministries.through.objects.filter(any_of("council", "ministry")),
        Council.members.through.objects.filter(any_of("council", "organization")),
        Program.owner_ministries.through.objects.filter(any_of("program", "ministry")),
        Program.owner_organizations.through.objects.filter(any_of("program", "organization")),
        Program.related_agreements.through.objects.filter(any_of("program", "agreement")),
        Agreement.cooperation_areas.through.objects.filter(synthetic_q("agreement")),
        SupportCase.objects.filter(synthetic_q()),
        Meeting.objects.filter(synthetic_q()),
        Council.objects.filter(synthetic_q()),
        Program.objects.filter(synthetic_q()),
        AgreementParty.objects.filter(any_of("agreement", "ministry", "signatory")),
        AgreementRelation.objects.filter(any_of("from_agreement", "to_agreement")),
        Agreement.objects.filter(synthetic_q()),
        Post.objects.filter(any_of("person", "ministry", "organization")),
        Person.objects.filter(synthetic_q()),
        Organization.objects.filter(synthetic_q()),
        Ministry.objects.filter(synthetic_q()),
        Source.objects.filter(slug=SOURCE_SLUG, is_synthetic=True),
    ]
    with transaction.atomic():
        for queryset in steps:
            deleted = raw_delete(queryset)
            if deleted:
                out(f"  {queryset.model._meta.label}: {deleted:,} deleted")


class Command(BaseCommand):
    help = "Add (or with --delete remove) synthetic records for load testing; slugs start syn-."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 means 10,000 agreements, 100,000 meetings and 200,000 support cases.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--delete", action="store_true", help="Remove every synthetic record instead."
        )

    def handle(self, *args, scale, seed, delete, verbosity, **options):
        out = self.stdout.write if verbosity else (lambda _text: None)
        started = time.monotonic()
        if delete:
            delete_synthetic(out)
        else:
            if scale <= 0:
                raise CommandError("--scale must be positive.")
            if Source.objects.filter(slug=SOURCE_SLUG).exists():
                raise CommandError("Synthetic data is already loaded; run with --delete first.")
            if not Country.objects.exists():
                countries = Path(settings.BASE_DIR) / "fixtures" / "countries.json"
                call_command("load_portal_data", str(countries), verbosity=0)
            with transaction.atomic(), indexes_rebuilt_after(LARGE_TABLES, out):
                Generator(scale=scale, seed=seed, out=out).run()
        # bulk_create, COPY and raw deletes send no signals: write the search index and
        # tell the page cache here.
        out("Writing the search index…")
        indexing = time.monotonic()
        # Both cores: the records are committed, and nobody reads the index yet.
        written = search_index.rebuild(workers=2)
        out(f"  {written:,} search entries in {time.monotonic() - indexing:.1f}s")
        cache.bump_everything()
        out(f"Done in {time.monotonic() - started:.1f}s.")
