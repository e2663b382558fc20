"""Search across every collection: names, other names (aliases), titles and summaries.

On PostgreSQL each searchable record keeps a weighted search document (see Searchable
in models.py and migration 0006): words match it through its GIN index and rank by it,
name words above summary words; any part of a name, Korean name or alias also matches,
through trigram indexes. Other databases match every field plainly and sort by name.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from .models import Alias, contains, name_contains
from .registry import COLLECTIONS

CONFIG = "english"
# A hyphen or dash between two words (a leading "-" excludes a word in web search syntax).
JOINING_DASH = re.compile(r"(?<=\w)[\u2010-\u2015\u2212-]+(?=\w)")
# Dashes left once words are joined: a minus at the start of a word excludes that word
# ("-expired"); any other dash is no operator, and a run of them ("- - - -") would make
# PostgreSQL nest one NOT in another until "tsquery stack too small".
DASH_RUN = r"[\u2010-\u2015\u2212-]+"
DASHES = re.compile(rf"(?P<minus>(?:^|(?<=\s)){DASH_RUN}(?=\w))|{DASH_RUN}")
# PostgreSQL is asked for at most this many words: a longer query ranks no better.
MAX_QUERY_WORDS = 32
MAX_PER_KIND = 20
# Each collection's matches are counted up to this many; beyond, the page says "1,000+".
SEARCH_COUNT_CAP = 1000
# At most this many aliases that match are looked up.
MAX_ALIASES = 1000

# The collections searched, the weightiest first: the page shows them in this order.
SEARCHED = [c.model for c in sorted(COLLECTIONS, key=lambda c: -c.search_weight)]


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
    by_alias = aliased(text)
    for model in SEARCHED:
        found = model.objects.published().filter(condition(model, text, by_alias[model]))
        # One query gives both the count and the records to rank. Ranking every match of
        # a word that thousands of records share would read them all and tell little
        # apart: past the cap, the best of the first matches found are shown, and the
        # page says so.
        ids = list(found.order_by().values_list("pk", flat=True)[: SEARCH_COUNT_CAP + 1])
        if ids:
            ranked = best_first(model.objects.filter(pk__in=ids[:SEARCH_COUNT_CAP]), text)
            results = list(ranked[:MAX_PER_KIND])
            capped = len(ids) > SEARCH_COUNT_CAP
            groups.append(SearchGroup(model, results, min(len(ids), SEARCH_COUNT_CAP), capped))
    return groups


def aliased(text) -> dict[type, list[int]]:
    """The ids, by kind, of the records one of whose aliases contains ``text``: one query
    for every kind, and short lists, so that the OR with the other conditions can use
    their indexes."""
    targets = Alias.arc_targets()
    columns = [f"{name}_id" for name, _model in targets]
    matching = Alias.objects.filter(contains("name", text, any_separator=True))
    rows = matching.order_by().values_list(*columns)
    found = defaultdict(list)
    for row in rows[:MAX_ALIASES]:
        for (_name, model), pk in zip(targets, row, strict=True):
            if pk is not None:
                found[model].append(pk)
    return found


def condition(model, text, aliased_ids) -> Q:
    """What a record of ``model`` matching ``text`` satisfies: every disjunct indexed on
    PostgreSQL, so that the database combines index scans instead of reading the table."""
    matched = name_contains(text)
    if aliased_ids:
        matched |= Q(pk__in=aliased_ids)
    if connection.vendor == "postgresql":
        return matched | Q(search_document=words(text))
    for field in model.document_fields[2:]:
        matched |= contains(field, text)
    return matched


def web_search_text(text: str) -> str:
    """``text`` in web search syntax that PostgreSQL always reads: its words, quoted
    phrases and "or" as typed, a minus only where it excludes the word after it, and at
    most ``MAX_QUERY_WORDS`` words."""
    # "Korea-Belgium" would ask for the compound "korea-belgium", which a name written
    # "Korea–Belgium" (an en dash) does not hold: search its words instead.
    text = JOINING_DASH.sub(" ", text)
    text = DASHES.sub(lambda dash: "-" if dash["minus"] else " ", text)
    return " ".join(text.split()[:MAX_QUERY_WORDS])


def words(text) -> SearchQuery:
    return SearchQuery(web_search_text(text), search_type="websearch", config=CONFIG)


def best_first(records, text):
    if connection.vendor != "postgresql":
        return records.order_by("name")
    rank = SearchRank(F("search_document"), words(text))
    return records.annotate(rank=rank).order_by("-rank", "name")
