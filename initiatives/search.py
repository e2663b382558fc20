"""Search across every collection: names, other names (aliases), titles and summaries.

On PostgreSQL the words are matched by full-text search and ranked (migration 0003
adds a GIN index on the same expression); on other databases, and for any alias or
part of a name, a plain case-insensitive match is used.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Q

from .models import (
    Agreement,
    Council,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
)

CONFIG = "english"
MAX_PER_KIND = 20
# Each collection's matches are counted up to this many; beyond, the page says "1,000+".
SEARCH_COUNT_CAP = 1000
# At most this many alias matches are looked up per collection.
MAX_ALIASES = 1000

# Each searched model with the text fields its vector covers.
SEARCHED = [
    (Agreement, ("name", "name_ko", "summary")),
    (Ministry, ("name", "name_ko", "acronym")),
    (Council, ("name", "name_ko", "summary")),
    (Meeting, ("name", "name_ko", "summary")),
    (SupportCase, ("name", "name_ko", "sector")),
    (Organization, ("name", "name_ko", "acronym")),
    (Person, ("name", "name_ko")),
    (Program, ("name", "name_ko", "summary")),
    (Source, ("name", "name_ko", "publisher")),
]


def search_vector(fields) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


@dataclass
class SearchGroup:
    model: type
    results: list
    total: int
    capped: bool = False


def search(text: str) -> list[SearchGroup]:
    """The published records of each kind that match ``text``, best first."""
    text = text.strip()
    groups = []
    for model, fields in SEARCHED:
        found = matches(model, fields, text)
        total = found.order_by()[: SEARCH_COUNT_CAP + 1].count()
        if total:
            capped = total > SEARCH_COUNT_CAP
            total = min(total, SEARCH_COUNT_CAP)
            groups.append(SearchGroup(model, list(found[:MAX_PER_KIND]), total, capped))
    return groups


def alias_matches(model, text) -> list:
    """The ids of the records one of whose aliases contains ``text`` (a short list, so
    that the OR with the other conditions can use their indexes)."""
    try:
        aliases = model._meta.get_field("aliases")
    except FieldDoesNotExist:
        return []
    found = aliases.related_model.objects.filter(name__icontains=text)
    return list(found.values_list(aliases.field.name, flat=True).distinct()[:MAX_ALIASES])


def matches(model, fields, text):
    records = model.objects.published()
    plain = Q(name__icontains=text) | Q(name_ko__icontains=text)
    aliased = alias_matches(model, text)
    if aliased:
        plain |= Q(pk__in=aliased)
    for field in fields[2:]:
        plain |= Q(**{f"{field}__icontains": text})
    if connection.vendor != "postgresql":
        return records.filter(plain).order_by("name")
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    vector = search_vector(fields)
    # Two sets of ids, so the full-text half can use its GIN index.
    by_words = model.objects.annotate(document=vector).filter(document=query)
    by_text = model.objects.filter(plain)
    found = by_words.order_by().values("pk").union(by_text.order_by().values("pk"))
    return (
        records.filter(pk__in=found)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "name")
    )
