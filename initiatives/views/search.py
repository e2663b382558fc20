"""The site search page."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..search import MAX_PER_KIND, search

MAX_QUERY = 200


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
            groups = search(text)
        return super().get_context_data(
            q=text[:MAX_QUERY],
            problem=problem,
            groups=groups,
            total=sum(g.total for g in groups),
            total_capped=any(g.capped for g in groups),
            max_per_kind=MAX_PER_KIND,
            **kwargs,
        )
