"""The site search page: one ranked list across every kind, with a filter by kind."""

import logging

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..search import PAGE_SIZE, Results, search
from ..search_index import KINDS

MAX_QUERY = 200

logger = logging.getLogger(__name__)


def read_query(params) -> tuple[str, str, str]:
    """(text, kind, problem) of a search request's parameters."""
    text = params.get("q", "").strip()
    kind = params.get("kind", "")
    kind = kind if kind in KINDS else ""
    if len(text) > MAX_QUERY:
        return text, kind, _("Search for at most %(n)s characters.") % {"n": MAX_QUERY}
    if "\x00" in text:
        return text, kind, _("The search contains a character that cannot be searched for.")
    return text, kind, ""


def run_search(text: str, kind: str, limit: int = PAGE_SIZE) -> tuple[Results, str]:
    try:
        # A savepoint, so that a failed query leaves the request's transaction usable.
        with transaction.atomic():
            return search(text, kind, limit), ""
    except DatabaseError:
        # search() writes every query so that the database reads it; should one still be
        # refused, the visitor gets a message, not a server error.
        logger.warning("Search for %r failed", text, exc_info=True)
        return Results(text), _("This search could not be run; try other or fewer words.")


class SearchView(TemplateView):
    template_name = "initiatives/search.html"

    def get_context_data(self, **kwargs):
        text, kind, problem = read_query(self.request.GET)
        results = Results(text)
        if text and not problem:
            results, problem = run_search(text, kind)
        return super().get_context_data(
            q=text[:MAX_QUERY],
            kind=kind,
            problem=problem,
            results=results,
            page_size=PAGE_SIZE,
            **kwargs,
        )
