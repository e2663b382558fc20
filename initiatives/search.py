"""Search: one ranked list across every kind of record, in English and Korean.

Records are matched in the search index (models.search.SearchEntry, written by
search_index): their names, other names, the names of the records they link and their
text. Words match in any order; a quoted phrase matches as written; a hyphen, a dash
and a space are alike; the last word also matches as the start of a word (as people
type). A Korean word matches through the pairs of letters it holds, with a particle
taken off its end ("벨기에와" finds 벨기에). PostgreSQL matches and ranks by a weighted
full-text document (GIN index), names above linked records above text; SQLite by its
FTS5 table and bm25 with the same weights. The best candidates are then ranked once more
alike on both: a record whose name or other name is what was typed comes first.

When nothing matches, the closest names and other names (PostgreSQL: trigram
similarity through an index; SQLite: compared in Python) give a "did you mean", whose
matches are shown.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from .dates import PartialDate
from .models import SearchEntry
from .registry import COLLECTIONS
from .search_index import CONFIG, FTS_TABLE, HANGUL, KINDS, normal, pairs

# Each kind, the weightiest first.
SEARCHED = [c.model for c in sorted(COLLECTIONS, key=lambda c: -c.search_weight)]
WEIGHTS = {c.model._meta.model_name: c.search_weight for c in COLLECTIONS}
# Matches are counted up to this many; beyond, the page says "more than 1,000".
SEARCH_COUNT_CAP = 1000
# The best this many candidates, as the database ranks them, are ranked again.
CANDIDATES = 100
PAGE_SIZE = 20
MAX_QUERY_WORDS = 32
SNIPPET_WIDTH = 160

DASHES = re.compile(r"[\u2010-\u2015\u2212\-_]+")
WORD = re.compile(r"\w+")
PHRASE = re.compile(r'"([^"]*)"')
KOREAN_RUN = re.compile(f"({HANGUL.pattern})")
# Korean particles, longest first: "중기부는" is searched as 중기부.
PARTICLES = sorted(
    [
        "에서는",
        "에게서",
        "으로서",
        "으로써",
        "이라는",
        "에서",
        "에게",
        "께서",
        "으로",
        "로서",
        "와의",
        "과의",
        "에는",
        "에도",
        "이나",
        "부터",
        "까지",
        "처럼",
        "보다",
        "하고",
        "이랑",
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "와",
        "과",
        "도",
        "만",
        "로",
        "랑",
    ],
    key=len,
    reverse=True,
)
# Words too common to ask for on SQLite (PostgreSQL's English dictionary drops them).
STOP_WORDS = set(["a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "by", "at", "or"])


# Reading the query ---------------------------------------------------------------------


@dataclass
class Term:
    words: list[str]  # a word, the words of a phrase, or a Korean word's letter pairs
    kind: str = "word"  # "word", "phrase" or "korean"
    prefix: bool = False


def stem_korean(word: str) -> str:
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def tokens(text: str) -> list[str]:
    """The words of ``text``, a Korean run apart from the letters around it."""
    found = []
    for word in WORD.findall(DASHES.sub(" ", text.lower())):
        if HANGUL.search(word):
            found.extend(part for part in KOREAN_RUN.split(word) if part)
        else:
            found.append(word)
    return found


def terms(text: str) -> list[Term]:
    text = normal(text)
    found: list[Term] = []
    for phrase in PHRASE.findall(text):
        words = tokens(phrase)
        if len(words) > 1 and not any(HANGUL.fullmatch(w) for w in words):
            found.append(Term(words, "phrase"))
        else:
            found.extend(term_of(w) for w in words)
    loose = [term_of(word) for word in tokens(PHRASE.sub(" ", text))]
    if any(t.words[0] not in STOP_WORDS for t in loose if t.kind == "word"):
        loose = [t for t in loose if t.kind != "word" or t.words[0] not in STOP_WORDS]
    if loose and loose[-1].kind == "word" and len(loose[-1].words[0]) >= 3:
        loose[-1].prefix = True
    return (found + loose)[:MAX_QUERY_WORDS]


def term_of(word: str) -> Term:
    if HANGUL.fullmatch(word):
        return Term(pairs(stem_korean(word)), "korean")
    return Term([word])


def tsquery(found: list[Term], any_term: bool = False, weights: str = "") -> str:
    """PostgreSQL's to_tsquery text of ``found``: every term, each word quoted (and found
    only in the parts of ``weights``, if given: "AB" for names and linked names)."""

    def quoted(word):
        return (
            "'" + word.replace("\\", "").replace("'", "") + "'" + (f":{weights}" if weights else "")
        )

    parts = []
    for term in found:
        if term.kind == "phrase":
            parts.append("(" + " <-> ".join(quoted(w) for w in term.words) + ")")
        elif term.kind == "korean":
            parts.append("(" + " & ".join(quoted(w) for w in term.words) + ")")
        else:
            word = quoted(term.words[0])
            if term.prefix:
                word = word + "*" if weights else word + ":*"
            parts.append(word)
    return (" | " if any_term else " & ").join(parts)


def fts_query(
    found: list[Term], any_term: bool = False, columns: str = "names aliases linked body"
) -> str:
    """SQLite FTS5's query text of ``found``."""

    def quoted(word):
        return '"' + word.replace('"', "") + '"'

    parts = []
    for term in found:
        if term.kind == "phrase":
            parts.append(quoted(" ".join(term.words)))
        elif term.kind == "korean":
            parts.append("(" + " AND ".join(quoted(w) for w in term.words) + ")")
        else:
            parts.append(quoted(term.words[0]) + ("*" if term.prefix else ""))
    # Only the searched columns (not the kind).
    joined = (" OR " if any_term else " AND ").join(parts)
    return "{" + columns + "} : (" + joined + ")"


# Matching --------------------------------------------------------------------------------


def matches(
    found: list[Term], kind: str = "", any_term: bool = False
) -> tuple[list[tuple[int, float]], dict, bool]:
    """(entry id, score) of the best candidates, best first; the count of matches of
    each kind (up to the cap); whether the cap was reached."""
    if not found:
        return [], {}, False
    if connection.vendor == "postgresql":
        named = [w for t in found if t.kind != "korean" for w in t.words]
        return postgresql_matches(tsquery(found, any_term), kind, named)
    return sqlite_matches(fts_query(found, any_term), kind)


def postgresql_matches(query: str, kind: str, named: list[str] = ()):
    only = "AND kind = %s" if kind else ""
    kinds = [kind] if kind else []
    with connection.cursor() as cursor:
        # The first matches found, counted by kind (the GIN index finds them)...
        cursor.execute(
            "SELECT kind, count(*) FROM (SELECT kind FROM initiatives_searchentry "
            f"WHERE document @@ to_tsquery('{CONFIG}', %s) LIMIT %s) AS found GROUP BY kind",
            [query, SEARCH_COUNT_CAP + 1],
        )
        counts = dict(cursor.fetchall())
        # ... and ranked: names (A) weigh most, linked records (B), then text (C).
        cursor.execute(
            "SELECT id, ts_rank(document, to_tsquery(%s, %s)) AS rank FROM ("
            "SELECT id, document FROM initiatives_searchentry "
            f"WHERE document @@ to_tsquery('{CONFIG}', %s) {only} LIMIT %s) AS found "
            "ORDER BY rank DESC, id LIMIT %s",
            [CONFIG, query, query, *kinds, SEARCH_COUNT_CAP + 1, CANDIDATES],
        )
        ranked = cursor.fetchall()
        if named and sum(counts.values()) > SEARCH_COUNT_CAP:
            # Past the cap the first matches found are ranked, not all: add the records
            # whose names or other names hold the words in that order (trigram index).
            pattern = "%" + "%".join(connection.ops.prep_for_like_query(w) for w in named) + "%"
            cursor.execute(
                "SELECT id, ts_rank(document, to_tsquery(%s, %s)) FROM initiatives_searchentry "
                "WHERE (names || E'\\n' || aliases) ILIKE %s "
                f"AND document @@ to_tsquery('{CONFIG}', %s) {only} LIMIT %s",
                [CONFIG, query, pattern, query, *kinds, CANDIDATES],
            )
            seen = {pk for pk, _rank in ranked}
            ranked += [row for row in cursor.fetchall() if row[0] not in seen]
    capped = sum(counts.values()) > SEARCH_COUNT_CAP
    return ranked, counts, capped


def sqlite_matches(query: str, kind: str):
    only = "AND kind = %s" if kind else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, count(*) FROM (SELECT kind FROM {FTS_TABLE} WHERE {FTS_TABLE} "
            "MATCH %s LIMIT %s) GROUP BY kind",
            [query, SEARCH_COUNT_CAP + 1],
        )
        counts = dict(cursor.fetchall())
        # bm25 is lower for a better match; its weights follow the columns' order.
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 0, 10.0, 10.0, 4.0, 1.0) AS rank "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s {only} ORDER BY rank DESC LIMIT %s",
            [query, *([kind] if kind else []), CANDIDATES],
        )
        ranked = cursor.fetchall()
    capped = sum(counts.values()) > SEARCH_COUNT_CAP
    return ranked, counts, capped


# The lists' "q" ---------------------------------------------------------------------------


def matching_records(model, text: str) -> RawSQL | None:
    """The ids of the published records of ``model`` whose names, other names, kind or
    linked records' names hold every word of ``text`` as search matches them (any order,
    phrases, Korean particles), as a subquery for ``pk__in``; None when ``text`` has no
    word but common ones. Their text (summary, quotes) is left out: a list does not rank,
    so a record that only mentions a word would stand among those it names."""
    found = terms(text)
    if not any(t.kind != "word" or t.words[0] not in STOP_WORDS for t in found):
        return None
    kind = model._meta.model_name
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT record_id FROM initiatives_searchentry WHERE kind = %s "
            f"AND document @@ to_tsquery('{CONFIG}', %s)",
            [kind, tsquery(found, weights="AB")],
        )
    return RawSQL(
        "SELECT record_id FROM initiatives_searchentry WHERE kind = %s AND id IN "
        f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
        [kind, fts_query(found, columns="names aliases linked")],
    )


# Did you mean ----------------------------------------------------------------------------


def name_lines(entry) -> list[str]:
    return [line for line in f"{entry.names}\n{entry.aliases}".split("\n") if line]


def suggestion(text: str) -> str:
    """The name or other name closest to ``text`` (or ``text`` with each unknown word
    replaced by the closest word of such names); "" if none is close."""
    typed = normal(text).strip().lower()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)")
            cursor.execute(
                "SELECT names || E'\\n' || aliases FROM initiatives_searchentry "
                "WHERE %s <%% (names || E'\\n' || aliases) "
                "ORDER BY %s <<-> (names || E'\\n' || aliases) LIMIT 20",
                [typed, typed],
            )
            lines = [line for (text_,) in cursor.fetchall() for line in text_.split("\n") if line]
    else:
        lines = [
            line
            for entry in SearchEntry.objects.only("names", "aliases").iterator(chunk_size=2000)
            for line in name_lines(entry)
        ]
    if not lines:
        return ""
    by_lower = {line.lower(): line for line in lines}
    whole = difflib.get_close_matches(typed, list(by_lower), n=1, cutoff=0.75)
    if whole:
        return by_lower[whole[0]]
    vocabulary = {word for line in by_lower for word in tokens(line)}
    corrected = []
    changed = False
    for word in tokens(typed):
        if word in vocabulary or HANGUL.fullmatch(word):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, list(vocabulary), n=1, cutoff=0.7)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else ""


# Ranking and showing ---------------------------------------------------------------------


@dataclass
class Hit:
    entry: SearchEntry
    score: float
    record: object = None
    alias: str = ""  # the other name that matched, when the name did not
    snippet: str = ""

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def model(self):
        return KINDS[self.entry.kind]

    @property
    def date(self) -> PartialDate | None:
        if self.entry.date is None:
            return None
        return PartialDate(self.entry.date, self.entry.date_precision, self.entry.date_inferred)

    @property
    def place(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("ko") and self.entry.place_ko:
            return self.entry.place_ko
        return self.entry.place


@dataclass
class Results:
    text: str
    hits: list[Hit] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # matches of each kind (up to the cap)
    capped: bool = False
    kind: str = ""
    suggestion: str = ""  # "did you mean", shown when nothing matched what was typed
    partial: bool = False  # no record has every word: these have some

    @property
    def total(self) -> int:
        """The matches counted, or the cap when more match ("more than 1,000")."""
        counted = sum(self.counts.values())
        return min(counted, SEARCH_COUNT_CAP) if self.capped else counted

    def kinds(self):
        """(model, count) of each kind that matched, the weightiest kind first."""
        return [
            (model, self.counts[model._meta.model_name])
            for model in SEARCHED
            if self.counts.get(model._meta.model_name)
        ]


def simple(text: str) -> str:
    """Text compared loosely: lower case, words joined by single spaces."""
    return " ".join(tokens(text))


def has_words(line: str, words: list[str]) -> bool:
    """Every word of ``words`` is in ``line``: a Korean word anywhere, others as the start of
    a word."""
    line = simple(line)
    for word in words:
        if HANGUL.fullmatch(word):
            if word not in line.replace(" ", ""):
                return False
        elif not re.search(rf"(?:^|\s){re.escape(word)}", line):
            return False
    return True


def query_words(text: str) -> list[str]:
    words = [stem_korean(w) if HANGUL.fullmatch(w) else w for w in tokens(normal(text))]
    kept = [w for w in words if w not in STOP_WORDS]
    return kept or words


def rescore(entry, base: float, text: str) -> tuple[float, str]:
    """The final score of a candidate whose database score, relative to the best one,
    is ``base``; and the other name that matched, when its names did not."""
    typed = simple(text.replace('"', " "))
    words = query_words(text)
    names = [line for line in entry.names.split("\n") if line]
    aliases = [line for line in entry.aliases.split("\n") if line]
    score = base
    alias = ""
    if any(simple(line) == typed for line in names):
        score += 3.0
    elif any(simple(line) == typed for line in aliases):
        score += 2.5
        alias = next(line for line in aliases if simple(line) == typed)
    if any(has_words(f"{line} {entry.labels}", words) for line in names):
        score += 1.5
        if any(simple(line).startswith(typed) for line in names):
            score += 0.5
    elif matched := [line for line in aliases if has_words(line, words)]:
        score += 1.2
        alias = alias or matched[0]
    # A word naming the kind of record ("MOU", "양해각서") asks for records of that kind.
    labels = set(tokens(entry.labels))
    if labels and any(word in labels for word in words):
        score += 0.6
        # ... and the other words in the records it links ("EU MOU", "유럽 협약": an MOU
        # with a party in the EU) ask for this record more than for one that only
        # mentions them.
        rest = [word for word in words if word not in labels]
        if rest and has_words(" ".join(entry.linked.split("\n")), rest):
            score += 0.6
    # A name covering more of what was typed ranks higher; a short name is a closer one.
    shortest = min((len(simple(line)) for line in names), default=0) or 1
    score += 0.3 * min(1.0, len(typed) / shortest)
    score *= 0.75 + 0.25 * WEIGHTS.get(entry.kind, 1.0)
    return score, alias


def snippet(entry, text: str) -> str:
    """A line of the record's text or linked records around the first word that matched,
    the words marked; "" if none holds one."""
    words = query_words(text)
    if not words:
        return ""
    pattern = re.compile(
        "|".join(
            re.escape(w) if HANGUL.fullmatch(w) else rf"(?<!\w){re.escape(w)}\w*"
            for w in sorted(words, key=len, reverse=True)
        ),
        re.IGNORECASE,
    )
    for source in (entry.body, entry.linked):
        for line in source.split("\n"):
            found = pattern.search(normal(line))
            if not found:
                continue
            line = normal(line)
            start = max(0, found.start() - SNIPPET_WIDTH // 3)
            if start:  # from the start of a word
                start = line.find(" ", start, found.start()) + 1 or found.start()
            end = min(len(line), start + SNIPPET_WIDTH)
            piece = line[start:end]
            marked = pattern.sub(lambda m: f"\x00{m[0]}\x01", piece)
            escaped = html.escape(marked).replace("\x00", "<mark>").replace("\x01", "</mark>")
            before = "… " if start else ""
            after = " …" if end < len(line) else ""
            return mark_safe(f"{before}{escaped}{after}")  # noqa: S308 (escaped above)
    return ""


def search(text: str, kind: str = "", limit: int = PAGE_SIZE) -> Results:
    """The published records matching ``text``, best first (of ``kind`` only, if given)."""
    text = text.strip()
    kind = kind if kind in KINDS else ""
    results = Results(text=text, kind=kind)
    ranked, counts, capped = matches(terms(text), kind)
    shown_text = text
    if not ranked:
        results.suggestion = suggestion(text)
        if results.suggestion:
            shown_text = results.suggestion
            ranked, counts, capped = matches(terms(shown_text), kind)
    if not ranked and len(terms(text)) > 1:
        # No record has every word: those with some of them, the most first.
        results.suggestion, shown_text = "", text
        results.partial = True
        ranked, counts, capped = matches(terms(text), kind, any_term=True)
    results.counts, results.capped = counts, capped
    if not ranked:
        return results
    best = max(score for _pk, score in ranked) or 1.0
    entries = SearchEntry.objects.defer("document", "body").in_bulk([pk for pk, _score in ranked])
    hits = []
    for pk, score in ranked:
        if pk in entries:
            final, alias = rescore(entries[pk], (score or 0) / best, shown_text)
            hits.append(Hit(entries[pk], final, alias=alias))
    hits.sort(key=lambda hit: -hit.score)
    hits = hits[:limit]
    attach(hits, shown_text)
    results.hits = [hit for hit in hits if hit.record is not None]
    return results


def attach(hits: list[Hit], text: str) -> None:
    """Give each hit its record (published; one query per kind) and its snippet."""
    texts = SearchEntry.objects.only("body", "linked").in_bulk([hit.entry.pk for hit in hits])
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
        hit.snippet = snippet(texts[hit.entry.pk], text) if hit.entry.pk in texts else ""
    for kind, group in by_kind.items():
        model = KINDS[kind]
        records = model.objects.published().in_bulk([hit.entry.record_id for hit in group])
        for hit in group:
            hit.record = records.get(hit.entry.record_id)
