"""Quotes checked against the text a source holds.

A quote is "in" a text when it appears there word for word, reading every run of
whitespace as one space and the typographic variants of quotes, apostrophes and dashes
as their plain forms (an editor types ' for ’ and - for –). Markup the documents carry
(``**bold**``, ``<sup>th</sup>``) is not ignored: a quote copies the text as held.
"""

import difflib
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Typographic characters an editor may type in their plain form, or the other way round.
PLAIN_FORMS = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "`": "'",
        "\u00b4": "'",  # ´
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2010": "-",  # ‐
        "\u2011": "-",  # ‑
        "\u2012": "-",  # ‒
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u2015": "-",  # ―
        "\u2212": "-",  # −
        "\u00a0": " ",  # no-break space
    }
)
WHITESPACE = re.compile(r"\s+")
# A sentence ends at . ! ? (or a Korean 다.) followed by a space, or at a line break.
SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9가-힣*<])|\n\s*\n|\n(?=[-*#>])"
)
# The longest passage shown as the closest one to a refused quote.
PASSAGE_CHARS = 400


def normalised(text: str) -> str:
    """``text`` with whitespace runs as one space and typographic variants made plain."""
    text = unicodedata.normalize("NFC", text or "").translate(PLAIN_FORMS)
    return WHITESPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    quote = normalised(quote)
    return bool(quote) and quote in normalised(text)


def sentences(text: str) -> list[str]:
    """The text's sentences (and headings, list items), each on one line, in order."""
    parts = (WHITESPACE.sub(" ", part).strip() for part in SENTENCE_END.split(text or ""))
    return [part for part in parts if part and any(ch.isalnum() for ch in part)]


def closest_passage(quote: str, text: str) -> str:
    """The passage of ``text`` most like ``quote``: the run of as many sentences as the
    quote spans that shares most of its characters (difflib), the closer match first."""
    found = sentences(text)
    if not found:
        return ""
    target = normalised(quote)
    width = max(1, len(sentences(quote)))
    candidates = {" ".join(found[i : i + width]) for i in range(max(1, len(found) - width + 1))}
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)

    def likeness(passage: str) -> tuple[float, float]:
        matcher.set_seq1(normalised(passage))
        shared = sum(block.size for block in matcher.get_matching_blocks())
        return shared / max(1, len(target)), matcher.ratio()

    best = max(candidates, key=likeness)
    return best if len(best) <= PASSAGE_CHARS else best[:PASSAGE_CHARS] + "…"


def quote_problem(quote: str, text: str):
    """A message saying why ``quote`` cannot be cited from ``text``, or None when it can."""
    if not normalised(text):
        return _(
            "This source holds no text yet, so the quote cannot be checked: add the source's "
            "text (paste it or upload the document) first."
        )
    if quote_in_text(quote, text):
        return None
    passage = closest_passage(quote, text)
    return _(
        "This quote is not in the source's text, word for word. The closest passage is: "
        "“%(passage)s”"
    ) % {"passage": passage}


def check_quote(quote: str, text: str) -> None:
    """Raise ValidationError (on ``quote``) unless the quote is in the text."""
    if problem := quote_problem(quote, text):
        raise ValidationError({"quote": problem}, code="quote_not_in_source")
