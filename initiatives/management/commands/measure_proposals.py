"""How well the proposals read the five fixture documents.

For each kind of record the fixtures hold (agreements, meetings, people, organizations
as ministries and other organizations, figures): how many of the fixture records are
proposed from the text of a source that cites them, and how many proposals match no
fixture fact at all. Two readings: as if the documents were new to the portal (only
countries known), and with the portal's names (the fixtures') as the gazetteer, where
finding a known name is partly circular. Run after ``load_portal_data``.
"""

import json
from collections import defaultdict

from django.core.management.base import BaseCommand

from initiatives import models
from initiatives.dates import Precision, stored_partial_date
from initiatives.management.commands.load_portal_data import FIXTURES_DIR
from initiatives.proposals import (
    AGREEMENT,
    COUNTRY,
    DATE,
    FIGURE,
    MEETING,
    MINISTRY,
    ORGANIZATION,
    PERSON,
    Gazetteer,
    fold,
    read_source,
)
from initiatives.quotes import normalised

KINDS = {
    "agreements": ((models.Agreement,), (AGREEMENT,)),
    "meetings": ((models.Meeting,), (MEETING,)),
    "people": ((models.Person,), (PERSON,)),
    "organizations": ((models.Ministry, models.Organization), (MINISTRY, ORGANIZATION)),
    "figures": ((models.Metric,), (FIGURE,)),
}
NAMED_MODELS = (
    models.Agreement, models.Meeting, models.Person, models.Ministry, models.Organization,
    models.Council, models.Program,
)  # fmt: skip


def fixture_slugs() -> dict[str, set[str]]:
    rows = json.loads((FIXTURES_DIR / "portal.json").read_text(encoding="utf-8"))
    slugs = defaultdict(set)
    for row in rows:
        if "slug" in row["fields"]:
            slugs[row["model"].split(".")[1]].add(row["fields"]["slug"])
    return slugs


def names_of(record) -> set[str]:
    names = {record.name, getattr(record, "name_ko", ""), getattr(record, "acronym", "")}
    if hasattr(record, "aliases"):
        names |= {alias.name for alias in record.aliases.all()}
    return {fold(name) for name in names if name}


def dates_of(record) -> list:
    return [
        date
        for name in type(record).partial_date_field_names()
        if (date := stored_partial_date(record, name)) is not None
    ]


def same_date(proposal, date) -> bool:
    if proposal.date is not None:
        order = [Precision.YEAR, Precision.MONTH, Precision.DAY]
        coarser = min(order.index(proposal.date.precision), order.index(date.precision))
        return proposal.date.iso[: (4, 7, 10)[coarser]] == date.iso[: (4, 7, 10)[coarser]]
    if proposal.undated and date.precision == Precision.DAY:
        month, day = proposal.undated
        return date.value.day == day and (month is None or date.value.month == month)
    return False


def head(unit: str) -> str:
    word = unit.split()[-1].lower() if unit.split() else ""
    return word[:-1] if word.endswith("s") else word


class Command(BaseCommand):
    help = "Measure the text proposals on the fixture documents (after load_portal_data)."

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        slugs = fixture_slugs()
        sources = list(
            models.Source.objects.filter(slug__in=slugs["source"]).exclude(text="").order_by("slug")
        )
        records = {}  # fixture records by (model, pk)
        for model in {*NAMED_MODELS, models.Metric}:
            name = model._meta.model_name
            found = model.objects.filter(slug__in=slugs[name])
            if hasattr(model, "aliases"):
                found = found.prefetch_related("aliases")
            for record in found:
                records[(model, record.pk)] = record
        cited = defaultdict(list)  # source pk -> [(record, [quotes])]
        for record in records.values():
            field = type(record)._meta.model_name
            quotes = defaultdict(list)
            for citation in models.Citation.objects.filter(**{field: record}):
                quotes[citation.source_id].append(normalised(citation.quote))
            for source_id, said in quotes.items():
                cited[source_id].append((record, said))
        self.records, self.cited = records, cited
        modes = [
            (
                "new to the portal (only countries known)",
                Gazetteer.from_portal(countries_only=True),
            ),
            ("with the fixtures' names known", Gazetteer.from_portal()),
        ]
        for title, gazetteer in modes:
            self.report(title, sources, gazetteer)

    def report(self, title, sources, gazetteer):
        readings = {source.pk: read_source(source, gazetteer=gazetteer) for source in sources}
        self.stdout.write(f"\nReading the {len(sources)} fixture documents as {title}\n")
        self.stdout.write(f"{'kind':<15}{'in fixtures':>12}{'proposed':>10}{'share':>8}")
        for kind, (model_list, proposal_kinds) in KINDS.items():
            wanted = [r for (m, _pk), r in self.records.items() if m in model_list]
            proposed = [
                r
                for r in wanted
                if any(
                    self.matches(p, r, said)
                    for source in sources
                    for record, said in self.cited[source.pk]
                    if record is r
                    for p in readings[source.pk].proposals
                    if p.kind in proposal_kinds
                )
            ]
            share = f"{100 * len(proposed) / len(wanted):.0f}%" if wanted else "-"
            self.stdout.write(f"{kind:<15}{len(wanted):>12}{len(proposed):>10}{share:>8}")
            missed = sorted(r.name for r in wanted if r not in proposed)
            if missed and options_verbose(self):
                self.stdout.write("    missed: " + "; ".join(missed))
        totals, wrong = defaultdict(int), defaultdict(list)
        for source in sources:
            for p in readings[source.pk].proposals:
                totals[p.kind] += 1
                if not self.right(p, source):
                    wrong[p.kind].append(p.name)
        self.stdout.write(
            f"wrong proposals (matching no fixture fact): {sum(map(len, wrong.values()))} "
            f"of {sum(totals.values())}"
        )
        for kind in totals:
            self.stdout.write(f"    {kind:<13} {len(wrong[kind]):>3} of {totals[kind]:>3}")
            if wrong[kind] and options_verbose(self):
                self.stdout.write("        " + "; ".join(wrong[kind]))

    def matches(self, proposal, record, said) -> bool:
        if (
            proposal.known is not None
            and (proposal.known.pk == record.pk)
            and (type(record).__name__.lower() == proposal.known.kind)
        ):
            return True
        if proposal.kind == FIGURE:
            if not isinstance(record, models.Metric):
                return False
            return proposal.value == record.value and head(proposal.unit) == head(record.unit)
        if fold(proposal.name) in names_of(record):
            return True
        if proposal.kind in (AGREEMENT, MEETING):
            shares = any(
                q in normalised(quote) or normalised(quote) in q
                for quote in proposal.quotes
                for q in said
            )
            dates = dates_of(record)
            dated = proposal.date is not None or proposal.undated
            agrees = not dated or not dates or any(same_date(proposal, d) for d in dates)
            return shares and agrees
        return False

    def right(self, proposal, source) -> bool:
        here = self.cited[source.pk]
        if proposal.kind == DATE:
            facts = [d for record, _s in here for d in dates_of(record)]
            facts += [d for d in [source.published] if d]
            return any(same_date(proposal, d) for d in facts)
        if proposal.kind == COUNTRY:
            return any(
                getattr(record, "country_id", None) == proposal.known.pk for record, _s in here
            )
        if proposal.kind in (FIGURE, AGREEMENT, MEETING):
            model = {FIGURE: models.Metric, AGREEMENT: models.Agreement}.get(
                proposal.kind, models.Meeting
            )
            return any(
                self.matches(proposal, record, said)
                for record, said in here
                if isinstance(record, model)
            )
        if proposal.known is not None:
            return True
        return any(fold(proposal.name) in names_of(r) for r in self.records.values())


def options_verbose(command) -> bool:
    return command.verbosity > 1
