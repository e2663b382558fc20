"""The site search page."""

import logging

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..search import MAX_PER_KIND, search

MAX_QUERY = 200

logger = logging.getLogger(__name__)


class SearchView(TemplateView):
    template_name = "initiatives/search.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()
        problem = ""
        groups = []
        if len(text) > MAX_QUERY:
            problem = _("Search for at most %(n)s characters.") % {"n": MAX_QUERY}
        elif "\x00" in text:
            problem = _("The search contains a character that cannot be searched for.")
        elif text:
            try:
                # A savepoint, so that a failed query leaves the request's transaction usable.
                with transaction.atomic():
                    groups = search(text)
            except DatabaseError:
                # search() writes every query so that the database reads it; should one
                # still be refused, the visitor gets a message, not a server error.
                logger.warning("Search for %r failed", text, exc_info=True)
                problem = _("This search could not be run; try other or fewer words.")
        return super().get_context_data(
            q=text[:MAX_QUERY],
            problem=problem,
            groups=groups,
            total=sum(g.total for g in groups),
            total_capped=any(g.capped for g in groups),
            max_per_kind=MAX_PER_KIND,
            **kwargs,
        )
