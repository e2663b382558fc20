"""What a source's text appears to state, read by rules: dates at the precision the
words give, the ministries, organizations, people and countries the portal already
knows (by any name or alias, in English or Korean), names it does not know yet,
figures with their units, and the agreements and meetings the text reports. Each
proposal carries its sentence, ready to be cited word for word.

No model, no network: regular expressions, the portal's own names as a gazetteer and
a short list of Korean surnames and titles. The rules were written against the five
documents in fixtures/sources/; ``manage.py measure_proposals`` says how well they do.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from . import dates
from .dates import MAX_YEAR, MIN_YEAR, PartialDate, Precision, partial_date_of
from .quotes import PLAIN_FORMS, SENTENCE_END, WHITESPACE

# Kinds of proposal, in the order the admin lists them.
AGREEMENT = "agreement"
MEETING = "meeting"
MINISTRY = "ministry"
ORGANIZATION = "organization"
PERSON = "person"
COUNTRY = "country"
FIGURE = "figure"
DATE = "date"
KINDS = (AGREEMENT, MEETING, MINISTRY, ORGANIZATION, PERSON, COUNTRY, FIGURE, DATE)
# The kinds an editor can start a draft from.
DRAFTABLE = (AGREEMENT, MEETING, MINISTRY, ORGANIZATION, PERSON, FIGURE)


@dataclass
class Known:
    """A record the portal already holds, found in the text by one of its names."""

    kind: str
    pk: object
    name: str
    matched: str


@dataclass
class Proposal:
    kind: str
    name: str
    quote: str
    start: int = 0
    known: Known | None = None
    date: PartialDate | None = None
    # A date whose day (and perhaps month) is stated but not its year: (month, day).
    undated: tuple | None = None
    inferred_reason: str = ""
    value: Decimal | None = None
    unit: str = ""
    qualifier: str = ""
    more_quotes: list = field(default_factory=list)
    # Names found in its sentences: Known records, or new names (str) with their kind.
    parties: list = field(default_factory=list)
    people: list = field(default_factory=list)
    city: str = ""
    country: str = ""  # ISO code
    subtype: str = ""  # an agreement's or meeting's kind, a new name's rule
    status: str = ""
    subject: Known | None = None  # what a figure describes

    @property
    def key(self) -> str:
        """Stable for the same text and names: what a "start a draft" button posts."""
        raw = f"{self.kind}|{self.name}|{self.quote}|{self.value}|{self.unit}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @property
    def quotes(self) -> list[str]:
        return [self.quote, *(q for q in self.more_quotes if q != self.quote)]

    @property
    def is_new(self) -> bool:
        return self.known is None

    @property
    def precision_label(self) -> str:
        """The date's precision in the interface's language ("month", "월")."""
        return Precision(self.date.precision).label if self.date is not None else ""

    @property
    def date_text(self) -> str:
        if self.date is not None:
            return self.date.iso
        if self.undated:
            month, day = self.undated
            return f"????-{month:02d}-{day:02d}" if month else f"????-??-{day:02d}"
        return ""


# Text and sentences ------------------------------------------------------------------


def plain(text: str) -> str:
    """``text`` with typographic quotes and dashes plain, each character where it was
    (PLAIN_FORMS maps one character to one), so offsets found in it hold in ``text``."""
    return (text or "").translate(PLAIN_FORMS)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split as quotes.sentences splits them."""
    spans, start = [], 0
    for boundary in SENTENCE_END.finditer(text):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if any(ch.isalnum() for ch in text[s:e])]


class Sentences:
    def __init__(self, text: str):
        self.text = text
        self.spans = sentence_spans(text)

    def around(self, start: int, end: int) -> tuple[int, str]:
        """The sentence (or run of sentences) holding text[start:end], as a quote."""
        first = next((i for i, (s, e) in enumerate(self.spans) if start < e), len(self.spans) - 1)
        last = next((i for i, (s, e) in enumerate(self.spans) if end <= e), len(self.spans) - 1)
        s, e = self.spans[first][0], self.spans[max(first, last)][1]
        return s, WHITESPACE.sub(" ", self.text[s:e]).strip()


# Dates ------------------------------------------------------------------------------

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"  # noqa: E501
ORD = r"(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d{2})"
DATE_RULES = [
    # (pattern, precision, year stated)
    (rf"\b{YEAR}-(?P<mnum>\d{{1,2}})-(?P<day>\d{{1,2}})\b", Precision.DAY, True),
    (rf"\b{YEAR}\.\s?(?P<mnum>\d{{1,2}})\.\s?(?P<day>\d{{1,2}})\b\.?", Precision.DAY, True),
    (rf"{YEAR}\s*년\s*(?P<mnum>\d{{1,2}})\s*월\s*(?P<day>\d{{1,2}})\s*일", Precision.DAY, True),
    (rf"\b{MONTH}\s+(?P<day>\d{{1,2}}){ORD},?\s+{YEAR}\b", Precision.DAY, True),
    (rf"\b(?P<day>\d{{1,2}}){ORD}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b", Precision.DAY, True),
    (rf"{YEAR}\s*년\s*(?P<mnum>\d{{1,2}})\s*월", Precision.MONTH, True),
    (rf"\b{MONTH},?\s+{YEAR}\b", Precision.MONTH, True),
    (rf"\b{YEAR}-(?P<mnum>\d{{2}})\b(?!-)", Precision.MONTH, True),
    (r"(?<!\d)(?P<mnum>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일", Precision.DAY, False),
    (rf"\b{MONTH}\s+(?P<day>\d{{1,2}}){ORD}\b", Precision.DAY, False),
    (rf"\b(?P<day>\d{{1,2}}){ORD}\s+(?:of\s+)?{MONTH}\b", Precision.DAY, False),
    # A month with no year only after a word that makes it a date ("in May", not "may").
    (
        rf"\b(?:in|early|late|mid|by|since|this|last|next|from|until|of)\s+"
        rf"(?:early\s+|late\s+|mid-?)?{MONTH}\b",
        Precision.MONTH,
        False,
    ),
    (r"(?<![\d.])(?P<mnum>\d{1,2})\s*월(?!\s*\d)", Precision.MONTH, False),
    (rf"{YEAR}\s*년", Precision.YEAR, True),
    (rf"(?<![\d+\-./:])\b{YEAR}\b(?![\-./:]?\d)", Precision.YEAR, True),
]
DATE_PATTERNS = [(re.compile(p), precision, stated) for p, precision, stated in DATE_RULES]
# A day of a month the text does not name: "on the 20th", Korean "20일".
DAY_ONLY = re.compile(
    r"\b[Oo]n the (?P<day>\d{1,2})(?:st|nd|rd|th)\b|(?<![\d월])\s(?P<kday>\d{1,2})\s*일(?![\d])"
)
TODAY = re.compile(r"\b(?:today|this morning|오늘)\b")


def month_number(found: re.Match) -> int | None:
    groups = found.groupdict()
    if groups.get("mnum"):
        return int(groups["mnum"])
    word = (groups.get("month") or "").rstrip(".").lower()
    return dates.MONTHS.get(word)


def make_date(year, month, day) -> PartialDate | None:
    """A date in the years the portal takes (dates.MIN_YEAR..MAX_YEAR), or None."""
    return partial_date_of(year, month, day) if MIN_YEAR <= year <= MAX_YEAR else None


@dataclass
class Reference:
    """The date a year (or a month) missing from the text is worked out from."""

    date: datetime.date
    precision: str
    why: str


def reference_date(text: str, published: PartialDate | None) -> Reference | None:
    """The source's own date, else a full date standing on its own line near the top
    of the text (a press release's date line)."""
    if published is not None and published.precision == Precision.DAY:
        return Reference(published.value, Precision.DAY, sources_date(published))
    head = plain(text)[:400]
    for line in head.splitlines():
        line = line.strip()
        for pattern, precision, stated in DATE_PATTERNS[:5]:
            found = pattern.match(line)
            if found and precision == Precision.DAY and stated:
                date = make_date(int(found["year"]), month_number(found), int(found["day"]))
                if date and len(line) - found.end() < 20:
                    return Reference(
                        date.value,
                        Precision.DAY,
                        _("the text's date line (%(date)s)") % {"date": date.iso},
                    )
    if published is not None:
        return Reference(published.value, published.precision, sources_date(published))
    return None


def sources_date(published: PartialDate) -> str:
    return _("the source's date (%(date)s)") % {"date": published.iso}


def find_dates(text: str, reference: Reference | None) -> list[tuple[int, int, Proposal]]:
    """(start, end, date proposal) for each date the text writes."""
    found, taken = [], []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for pattern, _precision, stated in DATE_PATTERNS:
        for match in pattern.finditer(text):
            start = match.start()
            if not free(match.start(), match.end()):
                continue
            month = month_number(match)
            day = int(match["day"]) if match.groupdict().get("day") else None
            proposal = Proposal(DATE, "", "", start=start)
            if stated:
                proposal.date = make_date(int(match["year"]), month, day)
                if proposal.date is None:
                    continue
                proposal.name = proposal.date.iso
            else:
                if day is not None and not 1 <= day <= 31 or month is None or not 1 <= month <= 12:
                    continue
                proposal.undated = (month, day or 0)
                proposal.name = infer_year(proposal, reference, month, day)
            taken.append((match.start(), match.end()))
            found.append((start, match.end(), proposal))
    for match in DAY_ONLY.finditer(text):
        day = int(match["day"] or match["kday"])
        if not 1 <= day <= 31 or not free(match.start(), match.end()):
            continue
        proposal = Proposal(DATE, "", "", start=match.start(), undated=(None, day))
        proposal.name = infer_month(proposal, reference, day)
        taken.append((match.start(), match.end()))
        found.append((match.start(), match.end(), proposal))
    for match in TODAY.finditer(text):
        proposal = Proposal(DATE, "", "", start=match.start())
        if reference is not None and reference.precision == Precision.DAY:
            proposal.date = PartialDate(reference.date, Precision.DAY, True)
            proposal.inferred_reason = _("“%(words)s” read as %(reference)s") % {
                "words": match[0],
                "reference": reference.why,
            }
            proposal.name = proposal.date.iso
        else:
            proposal.name = match[0]
        found.append((match.start(), match.end(), proposal))
    return sorted(found, key=lambda item: item[0])


def infer_year(proposal: Proposal, reference: Reference | None, month: int, day: int | None) -> str:
    label = (
        _("%(month)s %(day)s") % {"month": MONTHS[month], "day": day} if day else str(MONTHS[month])
    )
    if reference is None:
        return _("%(date)s (year not stated)") % {"date": label}
    # The document's own year: what a press release most often speaks of.
    year = reference.date.year
    date = make_date(year, month, day)
    if date is None:
        return label
    proposal.date = PartialDate(date.value, date.precision, True)
    proposal.inferred_reason = _(
        "year not stated; taken as %(year)s, the year of %(reference)s"
    ) % {"year": year, "reference": reference.why}
    return date.iso


def infer_month(proposal: Proposal, reference: Reference | None, day: int) -> str:
    label = _("day %(day)s of a month not stated") % {"day": day}
    if reference is None or reference.precision == Precision.YEAR:
        return label
    ref = reference.date
    year, month = ref.year, ref.month
    if reference.precision == Precision.DAY and day > ref.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    date = make_date(year, month, day)
    if date is None:
        return label
    proposal.date = PartialDate(date.value, Precision.DAY, True)
    proposal.inferred_reason = _(
        "only the day (%(day)s) is stated; month and year taken from %(reference)s"
    ) % {"day": day, "reference": reference.why}
    return date.iso


# Names the portal knows ---------------------------------------------------------------

# Short forms of country names the ISO names do not cover.
COUNTRY_SHORT_NAMES = {
    "kr": ["Korea", "Republic of Korea", "한국"],
    "us": ["United States", "U.S.", "USA", "미국"],
    "gb": ["United Kingdom", "UK", "Britain"],
    "vn": ["Vietnam", "Viet Nam"],
    "cn": ["China", "PRC"],
}


@dataclass
class Gazetteer:
    """Names to find, each with the record it names: (kind, pk, display name, name)."""

    entries: list = field(default_factory=list)

    @classmethod
    def from_portal(cls, *, countries_only: bool = False) -> "Gazetteer":
        from . import models

        entries = []
        for country in models.Country.objects.only("code", "name", "name_ko"):
            names = {country.name, country.name_ko, *COUNTRY_SHORT_NAMES.get(country.code, [])}
            entries += [(COUNTRY, country.code, country.name, name) for name in names if name]
        if countries_only:
            return cls(entries)
        for kind, model in ((MINISTRY, models.Ministry), (ORGANIZATION, models.Organization),
                            (PERSON, models.Person)):  # fmt: skip
            acronym = hasattr(model, "acronym")
            fields = ["pk", "name", "name_ko", *(["acronym"] if acronym else [])]
            display = {}
            for row in model.objects.values_list(*fields):
                pk, name, *others = row
                display[pk] = name
                entries += [(kind, pk, name, n) for n in (name, *others) if n]
            aliases = models.Alias.objects.filter(**{f"{kind}__isnull": False})
            for pk, name in aliases.values_list(kind, "name"):
                entries.append((kind, pk, display.get(pk, name), name))
        return cls(entries)

    def pattern(self):
        names = sorted({e[3] for e in self.entries}, key=len, reverse=True)
        if not names:
            return None
        parts = []
        for name in names:
            words = [re.escape(w) for w in re.split(r"[\s\-]+", plain(name)) if w]
            body = r"[\s\-]+".join(words)
            if re.search(r"[가-힣]", name):
                parts.append(body)  # Korean: particles follow the name directly
            else:
                parts.append(rf"(?<![\w]){body}(?![\w])")
        return re.compile("|".join(parts))

    def lookup(self):
        table = {}
        for kind, pk, display, name in self.entries:
            table.setdefault(fold(name), []).append((kind, pk, display, name))
        return table

    def find(self, text: str) -> list[tuple[int, int, Known]]:
        pattern = self.pattern()
        if pattern is None:
            return []
        table = self.lookup()
        found = []
        for match in pattern.finditer(text):
            candidates = table.get(fold(match[0]), [])
            # An acronym must be written as it is (MSS, not "mss"); a name in any case.
            exact = [c for c in candidates if plain(c[3]) == match[0] or not c[3].isupper()]
            for kind, pk, display, _name in exact[:1]:
                found.append((match.start(), match.end(), Known(kind, pk, display, match[0])))
        return found


def fold(name: str) -> str:
    return re.sub(r"[\s\-]+", " ", plain(name)).strip().lower()


# New names ------------------------------------------------------------------------

SP = r"[ \t]+"  # names do not run across lines
CAP = r"[A-Z][\w&'\-]*"
JOIN = rf"(?:{SP}(?:of|and|for|the|on)\b|{SP}&)*"
# Title-case headlines: a name stops before a verb or before another ministry.
NOT_IN_NAME = r"(?!(?:Ministry|Convene|Convenes|Sign|Signs|Launch|Launches|Hold|Holds|Meet|Meets|Agree|Agrees|Host|Hosts|Open|Opens)\b)"  # noqa: E501
WORD = rf"{NOT_IN_NAME}{CAP}"
TAIL = rf"(?:{SP}(?:of|for){SP}(?:the{SP})?{WORD}(?:{JOIN}{SP}{WORD})*)?"
ORG_HEADS = (
    "Agency|Institute|Association|Office|Corporation|Foundation|Bank|Federation|Chamber|"
    "Authority|Administration|Service|Center|Centre|University|Company|Group|Firm|Fund"
)
COUNCIL_HEADS = "Council|Committee|Commission|Alliance|Body"
NEW_NAME_RULES = [
    # (kind, pattern)
    (
        MINISTRY,
        rf"\bMinistry{SP}of{SP}(?:the{SP})?{WORD}(?:(?:,{SP}|{SP})(?:(?:and|of|for|the|&){SP})*{WORD})*",  # noqa: E501
    ),  # noqa: E501
    (
        ORGANIZATION,
        rf"\b(?:Embassy|Consulate General|Consulate){SP}(?:in|of){SP}(?:the{SP})?[A-Z][a-z]+(?:{SP}[A-Z][a-z]+){{0,3}}",  # noqa: E501
    ),  # noqa: E501
    (ORGANIZATION, rf"\bLaw Firm{SP}{CAP}"),
    (ORGANIZATION, rf"(?:\b{WORD}{JOIN}{SP}){{1,6}}(?:{ORG_HEADS})\b{TAIL}"),
    ("council", rf"(?:\b{WORD}{JOIN}{SP}){{1,6}}(?:{COUNCIL_HEADS})\b{TAIL}"),
    # Korean: 중소벤처기업부, 조달청, 창업진흥원, 중소벤처기업진흥공단.
    (ORGANIZATION, r"[가-힣]{2,}(?:진흥원|공단|공사|협회|재단|위원회|센터|연구원)"),
    (MINISTRY, r"[가-힣]{2,}(?:부|처)(?=[\s은는이가을를의와과에도,.]|$)"),
    (ORGANIZATION, r"[가-힣]{2,}(?:청|원)(?=[\s은는이가을를의와과에도,.]|$)"),
    # Any other run of two or more capitalised words (checked in find_new_names).
    ("name", rf"(?:\b{WORD}{JOIN}{SP})+{WORD}"),
]
NEW_NAME_PATTERNS = [(kind, re.compile(p)) for kind, p in NEW_NAME_RULES]
# Korean words ending like an office's name that are not names.
KOREAN_NOT_NAMES = {
    "정부", "일부", "전부", "내부", "외부", "본부", "지원", "회원", "직원", "인원", "기원",
    "수원", "자원", "차원", "병원", "대부", "세부", "여부", "학원", "공원", "근원", "요청",
    "신청", "대처", "관계부처", "부처",
}  # fmt: skip
# Capitalised words that start many non-names.
NOT_NAME_WORDS = {
    "The", "This", "That", "These", "Those", "A", "An", "In", "On", "At", "By", "For", "With",
    "From", "During", "Following", "Under", "Over", "Its", "Their", "Our", "It", "Both",
    "Korean", "Belgian", "Chinese", "Asian", "European", "Global", "New", "First", "Minister",
    "Vice", "Deputy", "President", "Ambassador", "Photo", "Reading", "Time", "Leave", "All",
    "Notably", "Moreover", "However", "Earlier", "Get", "Follow", "Stay",
}  # fmt: skip
LEADING_JOINERS = {"of", "and", "for", "the", "on", "&"}
# Words that make a run of capitals something other than an organization's name.
NOT_AN_ORGANIZATION = re.compile(
    r"\b(?:Memorandum|MOU|Agreement|Initiative|Declaration|Meeting|Project|Program|Programme|"
    r"Forum|Summit|Conference|Roundtable|Understanding)\b"
)
PLACE_WORDS = re.compile(r"\b(?:in|at|to|from|near|across|of)\s+(?:the\s+)?$")

# Korean surnames as they are romanised: a capitalised surname then a hyphenated given
# name ("Roh Yong-Seok", "LEE Dae-hee") reads as a person.
SURNAMES = [
    "Kim", "Lee", "Yi", "Rhee", "Park", "Pak", "Choi", "Choe", "Jung", "Jeong", "Chung", "Kang",
    "Cho", "Jo", "Yoon", "Yun", "Jang", "Chang", "Lim", "Im", "Han", "Oh", "Seo", "Suh", "Shin",
    "Kwon", "Hwang", "Ahn", "An", "Song", "Hong", "Yoo", "Yu", "Ko", "Go", "Moon", "Mun", "Yang",
    "Son", "Bae", "Baek", "Paik", "Heo", "Huh", "Nam", "Noh", "Roh", "Ha", "Kwak", "Sung", "Cha",
    "Joo", "Ju", "Woo", "Min", "Ryu", "Na", "Jin", "Ji", "Um", "Chae", "Won", "Chun", "Jeon",
    "Bang", "Gong", "Hyun", "Ham", "Byun", "Yeom", "Yeo", "Chu", "Do", "So", "Seok", "Seol", "Ma",
    "Gil", "Yeon", "Wi", "Pyo", "Myung", "Ki", "Ban", "Wang", "Geum", "Ok", "Yook", "Maeng", "Je",
    "Mo", "Tak", "Kook", "Eun", "Pyeon", "Ye", "Kyung", "Bong", "Sa", "Boo",
]  # fmt: skip
TITLES = (
    r"(?:Vice |Deputy |Prime |Foreign )?(?:Minister|President|Ambassador|Director|Chairman|"
    r"Chairwoman|Chair|CEO|Mayor|Governor|Secretary|Commissioner|Administrator|Premier)"
)
PERSON_RULES = [
    re.compile(
        rf"\b(?:{'|'.join(SURNAMES)}|{'|'.join(s.upper() for s in SURNAMES)})\s+[A-Z][a-z]+-[A-Za-z][a-z]+\b"  # noqa: E501
    ),  # noqa: E501
    re.compile(rf"\b{TITLES}\s+(?P<name>[A-Z][a-z]+(?:[\s\-][A-Z][a-z]+){{1,2}})\b"),
    re.compile(r"(?P<name>[가-힣]{2,4})\s*(?:장관|차관|대통령|대사|청장|원장|이사장|위원장|총리)"),
]


def find_new_names(
    text: str, taken: list[tuple[int, int]], countries: list[tuple[int, int, str]] = ()
) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, name) of names that none of the portal's names covers.

    ``taken`` are the spans of names the portal knows (a new name stops before one);
    ``countries`` the spans of country names, which may stand inside a new name
    ("Korea Economic Association", "Embassy in Singapore") but not end it ("… of Korea")."""
    found = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for pattern in PERSON_RULES:
        for match in pattern.finditer(text):
            start, end = match.span("name") if "name" in pattern.groupindex else match.span()
            name = text[start:end]
            if free(start, end) and name.split()[0] not in NOT_NAME_WORDS:
                found.append((start, end, PERSON, name))
                taken.append((start, end))
    for kind, pattern in NEW_NAME_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            # Cut before a name the portal knows.
            for s, _e in sorted(taken):
                if start < s < end:
                    end = s
            cut = trim_name(text, start, end, countries)
            if cut is None:
                continue
            start, end = cut
            name = text[start:end]
            words = name.split()
            if not free(start, end) or name in KOREAN_NOT_NAMES:
                continue
            korean = bool(re.search(r"[가-힣]", name))
            if kind == "name":
                before = text[max(0, start - 30) : start]
                if (
                    len(words) < 2
                    or any(w in NOT_NAME_WORDS for w in words)
                    or any(m in words for m in MONTH_NAMES)
                    or not re.search(r"[a-z,;:(]\s$", before)  # not a sentence's first words
                    or PLACE_WORDS.search(before)
                    or any(s <= start and end <= e for s, e, _c in countries)
                    or re.fullmatch(r"\S+ and \S+", name)  # "Korea and China", "KOICA and KISED"
                    or text[end : end + 1] == ":"  # a label: "PHONE NUMBER:"
                ):
                    continue
            elif len(words) < 2 and not korean:
                continue
            if kind != MINISTRY and NOT_AN_ORGANIZATION.search(name):
                continue
            found.append((start, end, kind, name))
            taken.append((start, end))
    return sorted(found)


def trim_name(text, start, end, countries):
    """(start, end) of a candidate name without the words around it that are not part of
    it, or None when nothing is left."""
    while True:
        name = text[start:end]
        words = name.split(" ")
        if words and (words[0] in NOT_NAME_WORDS or words[0] in LEADING_JOINERS):
            start += len(words[0]) + 1
            continue
        if words and (words[-1] in LEADING_JOINERS or words[-1].endswith(("'s", "’s"))):
            end -= len(words[-1]) + (1 if len(words) > 1 else 0)
            continue
        tail = re.search(r"[ \t,]+(?:of|in)[ \t]+(?:the[ \t]+)?$", text[start:end])
        if tail:
            end = start + tail.start()
            continue
        # "… of Korea": the country is where it is, not part of the name.
        ending = next((s for s, e, _c in countries if e == end and start < s), None)
        if (
            ending is not None
            and re.search(r"(?:of|in)[ \t]+(?:the[ \t]+)?$", text[start:ending])
            and not re.match(r"(?:Embassy|Consulate)", text[start:end])
        ):
            end = ending
            continue
        stripped = text[start:end].rstrip(" ,&'.\t")
        if len(stripped) != end - start:
            end = start + len(stripped)
            continue
        break
    return (start, end) if end - start > 1 else None


# Figures ------------------------------------------------------------------------------

NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]  # fmt: skip
    )
}
QUALIFIERS = {
    "approximately": "approximately", "about": "approximately", "around": "approximately",
    "nearly": "approximately", "some": "approximately", "roughly": "approximately",
    "more than": "more-than", "over": "more-than", "at least": "more-than",
    "약": "approximately", "이상": "more-than", "여": "more-than",
}  # fmt: skip
SCALES = r"(?:billion|million|trillion|thousand|hundred)"
CURRENCIES = r"(?:KRW|won|USD|US dollars|dollars|euros|EUR|yuan)"
STOP_WORDS = {
    "of", "in", "across", "from", "and", "to", "the", "with", "for", "that", "which", "at", "by",
    "were", "was", "have", "has", "had", "are", "is", "will", "would", "globally", "as", "on",
    "into", "including", "such", "this", "who", "per", "since", "through", "over", "under",
}  # fmt: skip
DURATION_WORDS = {"year", "years", "month", "months", "day", "days", "minute", "minutes",
                  "hour", "hours", "week", "weeks", "min", "time", "times"}  # fmt: skip
VERBS = {"took", "take", "takes", "grew", "rose", "fell", "came", "went", "made", "got", "saw",
         "gave", "met", "won", "joined", "attend", "attended", "participate", "received"}  # fmt: skip  # noqa: E501
NOT_COUNTED = {"other", "more", "major", "local", "new"}  # words kept before a unit's noun
FIGURE_EN = re.compile(
    r"(?P<qual>\b(?:approximately|about|around|nearly|some|roughly|more than|over|at least)\s+)?"
    r"(?<![\w+\-.:/])(?P<num>\d[\d,]*(?:\.\d+)?|"
    + "|".join(NUMBER_WORDS)
    + rf")\b(?![\-/:]\d)(?P<pct>\s?%|\s+percent\b)?(?P<scale>\s+{SCALES}\b)?(?P<cur>\s+{CURRENCIES}\b)?"  # noqa: E501
    r"(?P<rest>(?:\s+[a-z][a-z\-]*){0,3})",
    re.IGNORECASE,
)
FIGURE_KO = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|개사|개국|개소|개|명|건|회|조\s*원|억\s*원|만\s*원|억|조|원|달러)"  # noqa: E501
    r"(?P<qual>\s*(?:이상|여|가량|규모))?"
)
ORDINAL = re.compile(r"(?P<num>\d{1,3})(?:<sup>)?(?:st|nd|rd|th)\b(?:</sup>)?")
RANKING = re.compile(r"\brank(?:s|ed|ing|ings)?\b")


def find_figures(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, Proposal]]:
    found = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for match in ORDINAL.finditer(text):
        # An ordinal in a sentence about rankings ("ranks 23rd globally … and 12th in …").
        sentence = text[text.rfind("\n", 0, match.start()) + 1 : match.end() + 80]
        if RANKING.search(sentence) and not re.match(r"\s+anniversary", text[match.end() :]):
            found.append((match.start(), match.end(), figure(match["num"], "rank", "")))
            taken.append(match.span())
    for match in FIGURE_EN.finditer(text):
        num_start, num_end = match.span("num")
        if not free(num_start, num_end):
            continue
        raw = match["num"].lower()
        if re.fullmatch(r"(?:19|20)\d{2}", raw) and not (
            match["pct"] or match["scale"] or match["cur"]
        ):  # noqa: E501
            continue  # a year
        if raw in NUMBER_WORDS and match.start("num") > 0 and text[match.start("num") - 1] == "-":
            continue
        unit_words = []
        for word in (match["rest"] or "").split():
            if word.lower() in STOP_WORDS or not word.islower():
                break
            if unit_words and (word.endswith("ed") or word in VERBS):
                break  # "30 participants joined": the verb is not the unit
            unit_words.append(word)
        if raw in NUMBER_WORDS and re.search(r"\bthe\s+$", text[max(0, num_start - 5) : num_start]):
            continue  # "the two countries": a reference, not a count
        unit = " ".join(unit_words)
        if match["pct"]:
            unit = "%"
        elif match["scale"] or match["cur"]:
            unit = " ".join(x.strip() for x in (match["scale"], match["cur"]) if x)
        if not unit or unit.split()[-1].lower() in DURATION_WORDS or unit in NOT_COUNTED:
            continue
        if raw in NUMBER_WORDS and (raw in ("one", "zero") or not unit_words):
            continue  # "one of", "one-team": not a count
        qual = (match["qual"] or "").strip().lower()
        found.append((match.start(), match.end(), figure(raw, unit, QUALIFIERS.get(qual, ""))))
        taken.append((match.start(), match.end()))
    for match in FIGURE_KO.finditer(text):
        if not free(*match.span("num")):
            continue
        qual = (match["qual"] or "").strip()
        before = text[max(0, match.start() - 2) : match.start()].strip()
        qualifier = QUALIFIERS.get(qual, "") or QUALIFIERS.get(before, "")
        unit = re.sub(r"\s+", " ", match["unit"])
        found.append((match.start(), match.end(), figure(match["num"], unit, qualifier)))
        taken.append(match.span())
    return found


def figure(raw: str, unit: str, qualifier: str) -> Proposal:
    raw = raw.lower()
    try:
        value = Decimal(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else Decimal(raw.replace(",", ""))
    except InvalidOperation:
        value = None
    shown = f"{value:,}" if value is not None else raw
    name = f"{shown} {unit}" if unit != "%" else f"{shown}%"
    return Proposal(FIGURE, name, "", value=value, unit=unit, qualifier=qualifier)


# Agreements and meetings ------------------------------------------------------------------

AGREEMENT_WORD = re.compile(
    r"\b(?:Memorandum of Understanding|memorandum of understanding|MOU|MoU|[Aa]greement)\b|양해각서|협약|협정"  # noqa: E501
)
SIGNED = re.compile(r"\b(?:sign|signs|signed|signing|conclude[sd]?)\b|체결|서명", re.IGNORECASE)
AGREEMENT_NAME = re.compile(
    r"\b(?P<kind>Memorandum of Understanding|MOU|MoU|Agreement)(?:\s+\(MOU\))?\s+on\s+"
    r"(?P<topic>[A-Z][\w&\-]*(?:\s+(?:[A-Z][\w&\-]*|and|of|for|the|in(?=\s+[A-Z]))){0,8})"
)
DECLARATION = re.compile(
    r"\b(?P<name>(?:[A-Z][\w\-]*\s+){1,4}(?:Initiative|Declaration|Accord|Charter))\b"
    r"(?=[^.]*\b(?:adopted|signed|announced)\b)"
)
MEETING_WORD = re.compile(
    r"\b(?:meeting|meetings|roundtable|round table|forum|conference|summit|session)\b|회의|간담회|포럼",  # noqa: E501
    re.IGNORECASE,
)
MEETING_VERB = re.compile(
    r"\b(?:held|hold|holds|holding|convened|convene|convenes|met|took place|presiding|"
    r"presided|hosted|opened)\b|개최|열린|주재",
    re.IGNORECASE,
)
QUOTED_NAME = re.compile(
    r"['\"](?P<name>[^'\"]{4,160}?(?:Meeting|Forum|Conference|Summit|Roundtable|회의|간담회|포럼))['\"]"
)  # noqa: E501
CAPITAL_MEETING = re.compile(
    r"(?P<name>(?:(?:\d{4}|[A-Z][\w'\-]*)\s+){1,6}(?:Meeting|Forum|Conference|Summit|Roundtable))\b"
)
GENERIC_MEETING = re.compile(
    r"\b(?P<det>the |a |an |this |that |their |its )?(?P<name>(?:(?:inaugural|first|second|"
    r"bilateral|strategy|policy|council|ministerial|regular|annual|joint)\s+){0,3}"
    r"(?:meetings?|roundtable))\b",
    re.IGNORECASE,
)
PLANNED = re.compile(r"\b(?:will|to be held|poised to|plans? to|expected to|upcoming|scheduled)\b")
MEETING_KINDS = [
    ("signing-ceremony", r"\bsigning\b"),
    ("roundtable", r"\broundtable|round table|간담회"),
    ("bilateral-meeting", r"\bbilateral\b"),
    ("ministerial-meeting", r"\bministers'? meeting|ministerial\b"),
    ("strategy-meeting", r"\bstrategy meeting\b"),
    ("council-meeting", r"\bcouncil|consultative|committee\b"),
]
CITY = re.compile(r"\b(?:in|at)\s+(?P<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b")


def meeting_kind(words: str) -> str:
    for kind, pattern in MEETING_KINDS:
        if re.search(pattern, words, re.IGNORECASE):
            return kind
    return ""


# Reading a text ---------------------------------------------------------------------------


@dataclass
class Reading:
    """Everything proposed from one text, in the order of the text within each kind."""

    proposals: list
    reference: Reference | None

    def of_kind(self, kind: str) -> list[Proposal]:
        return [p for p in self.proposals if p.kind == kind]

    def by_key(self, key: str) -> Proposal | None:
        return next((p for p in self.proposals if p.key == key), None)

    def grouped(self) -> list[tuple[str, list[Proposal]]]:
        return [(kind, found) for kind in KINDS if (found := self.of_kind(kind))]


def read_source(source, *, gazetteer: Gazetteer | None = None) -> Reading:
    gazetteer = gazetteer if gazetteer is not None else Gazetteer.from_portal()
    return read_text(source.text, published=source.published, gazetteer=gazetteer)


def read_text(text: str, *, published: PartialDate | None = None, gazetteer: Gazetteer) -> Reading:
    original = text or ""
    text = plain(original)
    sentences = Sentences(original)
    reference = reference_date(original, published)
    proposals = []

    def place(start, end, proposal):
        s_start, proposal.quote = sentences.around(start, end)
        proposal.start = start
        return s_start

    # Names the portal knows, longest first and never two over the same words.
    known, taken = [], []
    for start, end, found in sorted(gazetteer.find(text), key=lambda m: (m[0], m[0] - m[1])):
        if all(end <= s or start >= e for s, e in taken):
            known.append((start, end, found))
            taken.append((start, end))
    seen = set()
    for start, end, found in known:
        key = (found.kind, found.pk)
        if key in seen:
            continue
        seen.add(key)
        proposal = Proposal(found.kind, found.name, "", known=found)
        if found.kind == COUNTRY:
            proposal.country = found.pk
        place(start, end, proposal)
        proposals.append(proposal)

    countries = [(s, e, k.pk) for s, e, k in known if k.kind == COUNTRY]
    named = [(s, e) for s, e, k in known if k.kind != COUNTRY]
    new_names = find_new_names(text, named, countries)
    seen_names = set()
    for start, end, kind, name in new_names:
        if fold(name) in seen_names:
            continue
        seen_names.add(fold(name))
        proposal = Proposal(
            kind if kind in (MINISTRY, ORGANIZATION, PERSON) else ORGANIZATION, name, ""
        )  # noqa: E501
        proposal.subtype = kind
        proposal.country = country_of(text, start, end, known)
        place(start, end, proposal)
        proposals.append(proposal)

    dates = find_dates(text, reference)
    for start, end, proposal in dates:
        place(start, end, proposal)
        proposals.append(proposal)
    date_spans = [(s, e) for s, e, _p in dates]

    figures = find_figures(text, [*date_spans])
    for start, end, proposal in figures:
        place(start, end, proposal)
        dated = next((p for s, _e, p in dates if p.date and p.quote == proposal.quote), None)
        if dated is not None:
            proposal.date, proposal.inferred_reason = dated.date, dated.inferred_reason
        # What the figure describes: the first known ministry, organization or country in
        # its sentence, before the figure if any is.
        in_sentence = [
            (abs(s - start) + (0 if s < start else 1000), k)
            for s, e, k in known
            if sentences.around(s, e)[1] == proposal.quote
            and k.kind in (MINISTRY, ORGANIZATION, COUNTRY)
        ]
        proposal.subject = min(in_sentence, key=lambda item: item[0])[1] if in_sentence else None
        proposals.append(proposal)

    names_by_sentence = {}
    for start, end, found in known:
        names_by_sentence.setdefault(sentences.around(start, end)[1], []).append(found)
    for start, end, kind, name in new_names:
        names_by_sentence.setdefault(sentences.around(start, end)[1], []).append((kind, name))
    dates_by_sentence = {}
    for _s, _e, proposal in dates:
        dates_by_sentence.setdefault(proposal.quote, []).append(proposal)

    proposals += agreements_in(text, sentences, names_by_sentence, dates_by_sentence)
    proposals += meetings_in(text, sentences, names_by_sentence, dates_by_sentence, proposals)
    return Reading(proposals, reference)


def country_of(text: str, start: int, end: int, known) -> str:
    """The country a new name belongs to, when the words say so: "Belgium's Ministry of
    …", "the Ministry of … of Korea"."""
    for s, e, found in known:
        if found.kind != COUNTRY:
            continue
        if e <= start and re.fullmatch(r"['’]s\s+(?:the\s+)?", text[e:start]):
            return found.pk
        if s >= end and re.fullmatch(r"\s+(?:of|in)\s+(?:the\s+)?", text[end:s]):
            return found.pk
    return ""


def first_date(quote: str, dates_by_sentence) -> Proposal | None:
    found = dates_by_sentence.get(quote, [])
    return next((p for p in found if p.date or p.undated), None)


def take_date(proposal: Proposal, date: Proposal | None) -> None:
    if date is None or proposal.date or proposal.undated:
        return
    proposal.date, proposal.undated, proposal.inferred_reason = (
        date.date,
        date.undated,
        date.inferred_reason,
    )


def take_names(proposal: Proposal, names) -> None:
    for found in names:
        kind = found.kind if isinstance(found, Known) else found[0]
        target = (
            proposal.parties if kind == MINISTRY else proposal.people if kind == PERSON else None
        )  # noqa: E501
        if target is not None and found not in target:
            target.append(found)


def agreements_in(text, sentences, names_by_sentence, dates_by_sentence) -> list[Proposal]:
    found: list[Proposal] = []
    loose: list[tuple[int, str]] = []  # signing sentences that do not name the agreement
    for s, e in sentences.spans:
        words = text[s:e]
        quote = WHITESPACE.sub(" ", sentences.text[s:e]).strip()
        declared = DECLARATION.search(words)
        if declared:
            name = WHITESPACE.sub(" ", declared["name"]).strip()
            if not any(fold(p.name) == fold(name) for p in found):
                found.append(
                    Proposal(
                        AGREEMENT, name, quote, start=s + declared.start(), subtype="declaration"
                    )  # noqa: E501
                )
            agreement = next(p for p in found if fold(p.name) == fold(name))
            take_date(agreement, first_date(quote, dates_by_sentence))
            continue
        if not (AGREEMENT_WORD.search(words) and SIGNED.search(words)):
            continue
        named = AGREEMENT_NAME.search(words)
        topic = named and named["topic"]
        if topic and (
            topic.split()[0] in MONTH_NAMES or topic.split()[0][:3] in [m[:3] for m in MONTH_NAMES]
        ):  # noqa: E501
            topic = None
        if not topic:
            loose.append((s, quote))
            continue
        kind_words = (
            "Memorandum of Understanding" if "emorandum" in named["kind"] else named["kind"]
        )  # noqa: E501
        countries = [
            n.name
            for n in names_by_sentence.get(quote, [])
            if isinstance(n, Known) and n.kind == COUNTRY  # noqa: E501
        ]
        # "… on SME Cooperation in Warsaw": the place is where it was signed, not its name.
        topic = re.sub(r"\s+in\s+[A-Z][a-z]+$", "", topic.strip())
        name = f"{kind_words} on {topic}"
        if len(countries) == 2:
            name = f"{short_country(countries[0])}–{short_country(countries[1])} {name}"
        agreement = next(
            (p for p in found if fold(p.name).endswith(fold(f"{kind_words} on {topic}"))), None
        )  # noqa: E501
        if agreement is None:
            agreement = Proposal(
                AGREEMENT,
                name,
                quote,
                start=s,
                subtype="mou"
                if "MOU" in kind_words.upper() or "emorandum" in kind_words
                else "agreement",
            )  # noqa: E501
            found.append(agreement)
        else:
            agreement.more_quotes.append(quote)
        fill_agreement(agreement, words, quote, names_by_sentence, dates_by_sentence)
    for s, quote in loose:
        # "The MOU was signed today in Brussels by …": the agreement named nearest before
        # (or, before any is named, the first one named after).
        before = [p for p in found if p.start <= s and p.subtype != "declaration"]
        after = [p for p in found if p.subtype != "declaration"]
        agreement = before[-1] if before else (after[0] if after else None)
        if agreement is None:
            date = first_date(quote, dates_by_sentence)
            label = (
                "Memorandum of Understanding" if re.search(r"MOU|emorandum", quote) else "Agreement"
            )  # noqa: E501
            name = f"{label} signed {date.name}" if date else f"{label} (name not stated)"
            agreement = Proposal(
                AGREEMENT,
                name,
                quote,
                start=s,
                subtype="mou" if label != "Agreement" else "agreement",
            )  # noqa: E501
            found.append(agreement)
        else:
            agreement.more_quotes.append(quote)
        fill_agreement(
            agreement, text[s : s + len(quote) + 200], quote, names_by_sentence, dates_by_sentence
        )  # noqa: E501
    return found


def short_country(name: str) -> str:
    return {"South Korea": "Korea"}.get(name, name)


def fill_agreement(agreement, words, quote, names_by_sentence, dates_by_sentence):
    take_date(agreement, first_date(quote, dates_by_sentence))
    take_names(agreement, names_by_sentence.get(quote, []))
    if not agreement.city:
        signed = SIGNED.search(words)
        for match in CITY.finditer(words, signed.start() if signed else 0):
            city = match["city"]
            if city.split()[0] in MONTH_NAMES or city in ("The", "This", "the"):
                continue
            agreement.city = city
            break


def meetings_in(text, sentences, names_by_sentence, dates_by_sentence, so_far) -> list[Proposal]:
    found: list[Proposal] = []
    for s, e in sentences.spans:
        words = text[s:e]
        quote = WHITESPACE.sub(" ", sentences.text[s:e]).strip()
        if not (MEETING_WORD.search(words) and MEETING_VERB.search(words)):
            continue
        named = QUOTED_NAME.search(words) or CAPITAL_MEETING.search(words)
        if named:
            name = WHITESPACE.sub(" ", named["name"]).strip()
            name = re.sub(r"^(?:The|the|inaugural|Inaugural)\s+", "", name)
            meeting = next((p for p in found if fold(p.name) == fold(name)), None)
        else:
            generic = next(
                (m for m in GENERIC_MEETING.finditer(words)
                 if not re.search(r"\d\s*$|\b(?:" + "|".join(NUMBER_WORDS) + r")\s*$", words[: m.start()])),  # noqa: E501
                None,
            )  # fmt: skip
            if generic is None:
                continue
            if (generic["det"] or "").strip().lower() in ("the", "this", "that", "its") and found:
                found[-1].more_quotes.append(quote)
                continue
            name = generic["name"][0].upper() + generic["name"][1:]
            meeting = None
        if meeting is None:
            meeting = Proposal(MEETING, name, quote, start=s)
            meeting.subtype = meeting_kind(name) or meeting_kind(words)
            meeting.status = "planned" if PLANNED.search(words) else "held"
            found.append(meeting)
        else:
            meeting.more_quotes.append(quote)
        take_date(meeting, first_date(quote, dates_by_sentence))
        take_names(meeting, names_by_sentence.get(quote, []))
        if not meeting.city:
            for match in CITY.finditer(words):
                city = match["city"]
                if city.split()[0] not in MONTH_NAMES and city not in ("The", "This"):
                    meeting.city = city
                    break
    # A signing the text dates or places is a signing ceremony.
    for agreement in (p for p in so_far if p.kind == AGREEMENT and p.subtype != "declaration"):
        if agreement.city or agreement.date or agreement.undated:
            signing = Proposal(
                MEETING, f"Signing of the {agreement.name}", agreement.quote, start=agreement.start
            )
            signing.subtype, signing.status = "signing-ceremony", "held"
            signing.city = agreement.city
            placed = [q for q in agreement.quotes if agreement.city and agreement.city in q]
            if placed:
                signing.quote, signing.more_quotes = placed[0], placed[1:]
            signing.date, signing.undated = agreement.date, agreement.undated
            signing.inferred_reason = agreement.inferred_reason
            signing.people = list(agreement.people)
            found.append(signing)
    return found


# Starting a draft from a proposal -----------------------------------------------------


class CannotDraft(Exception):
    """The proposal lacks what its record requires (a ministry's country, a figure's
    subject): the editor finishes it in the add form."""

    def __init__(self, message, initial):
        super().__init__(message)
        self.message = message
        self.initial = initial


def unique_slug(model, name: str) -> str:
    from django.utils.text import slugify

    base = (slugify(name) or model._meta.model_name)[:100].strip("-")
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def set_date(record, field: str, proposal: Proposal) -> None:
    if proposal.date is None:
        return
    setattr(record, field, proposal.date.value)
    setattr(record, f"{field}_precision", proposal.date.precision)
    setattr(record, f"{field}_inferred", proposal.date.inferred)
    if proposal.date.inferred and proposal.inferred_reason:
        line = _("Date inferred: %(reason)s") % {"reason": proposal.inferred_reason}
        record.note = f"{record.note}\n{line}".strip()


def start_draft(source, proposal: Proposal):
    """A draft record made from ``proposal``, citing its sentence(s) from ``source``.
    Raises CannotDraft when the record needs what the text does not give."""
    from django.db import transaction

    from . import models

    with transaction.atomic():
        record = build_record(proposal, models)
        record.slug = unique_slug(type(record), record.name)
        record.is_published = False
        record.full_clean(exclude=["slug"])
        record.save()
        target = type(record)._meta.model_name
        target = "support_case" if target == "supportcase" else target
        for quote in proposal.quotes:
            citation = models.Citation(source=source, quote=quote, **{target: record})
            citation.full_clean()
            citation.save()
        if proposal.kind == AGREEMENT:
            # A ministry named twice (by its name and its acronym) is one party.
            ministries = dict.fromkeys(p.pk for p in proposal.parties if isinstance(p, Known))
            for order, pk in enumerate(ministries, start=1):
                models.AgreementParty.objects.create(agreement=record, ministry_id=pk, order=order)
    return record


def build_record(proposal: Proposal, models):
    name = proposal.name[:300]
    if proposal.kind == AGREEMENT:
        kind = {"declaration": "declaration", "agreement": "agreement"}.get(proposal.subtype, "mou")
        record = models.Agreement(name=name, kind=kind, city=proposal.city[:100])
        set_date(record, "signed_on", proposal)
        return record
    if proposal.kind == MEETING:
        kind = proposal.subtype or "council-meeting"
        record = models.Meeting(
            name=name, kind=kind, status=proposal.status or "held", city=proposal.city[:100]
        )
        if not proposal.subtype:
            record.note = str(_("Kind not stated in the text: check it."))
        set_date(record, "held_on", proposal)
        return record
    if proposal.kind == PERSON:
        return models.Person(name=name)
    if proposal.kind == ORGANIZATION:
        record = models.Organization(name=name, country_id=proposal.country or None)
        if re.match(r"(?:Embassy|Consulate)", name):
            record.kind = models.Organization.Kind.MISSION
        return record
    if proposal.kind == MINISTRY:
        if not proposal.country:
            raise CannotDraft(
                _("The text does not say which country this ministry belongs to: choose it."),
                {"name": name},
            )
        return models.Ministry(name=name, country_id=proposal.country)
    if proposal.kind == FIGURE:
        if proposal.value is None:
            raise CannotDraft(_("The figure's value could not be read."), {"name": name})
        record = models.Metric(
            name=name,
            value=proposal.value,
            unit=models.Metric.Unit.code_for(proposal.unit)[:100],
            qualifier=proposal.qualifier,
        )
        set_date(record, "as_of", proposal)
        subject = proposal.subject
        if subject is None:
            raise CannotDraft(
                _("Say which record this figure describes, then cite the sentence."),
                {
                    "name": name,
                    "value": proposal.value,
                    "unit": proposal.unit,
                    "qualifier": proposal.qualifier,
                },
            )
        setattr(record, f"{subject.kind}_id", subject.pk)
        line = _("Describes %(name)s, named in the same sentence: check it.") % {
            "name": subject.name
        }
        record.note = f"{line}\n{record.note}".strip()
        return record
    raise CannotDraft(_("Nothing to start from this proposal."), {})
