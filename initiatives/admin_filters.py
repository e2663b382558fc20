"""List filters of the editors' admin.

A country filter is a search box, not a list of links: ISO 3166 has 249 countries, too
many to scroll through in a sidebar. The editor types a code (``kr``) or a name in
either language (``Poland``, ``폴란드``, ``korea``); the list is filtered by the codes
of the countries that match, and when several match, each is offered as a link that
narrows the list to that one. The box is a plain GET form that carries the list's
other parameters (search, other filters, ordering), so it works without JavaScript.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import models

# Links offered when a typed name matches several countries ("guinea" matches four).
MOST_MATCHES_SHOWN = 12


class CountrySearchFilter(admin.FieldListFilter):
    """A country filter typed as a code or a name in English or Korean; the list is
    filtered by country code (``?country=kr``)."""

    template = "admin/initiatives/country_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.parameter_name = field_path
        super().__init__(field, request, params, model, model_admin, field_path)
        values = self.used_parameters.get(self.parameter_name) or []
        self.typed = str(values[-1] if isinstance(values, list) and values else values or "")
        self.typed = self.typed.strip()[:100]
        self.matches = self.countries_matching(self.typed) if self.typed else []
        self.kept_parameters: list[tuple[str, str]] = []

    def expected_parameters(self):
        return [self.parameter_name]

    @staticmethod
    def countries_matching(typed: str) -> list[models.Country]:
        """The one country whose code or whole name is ``typed``, else every country whose
        name in either language contains it."""
        if "\x00" in typed:
            return []
        exact = list(
            models.Country.objects.filter(
                Q(code=typed.lower()) | Q(name__iexact=typed) | Q(name_ko=typed)
            ).order_by("code")
        )
        if exact:
            # A code is the editor's precise choice ("ge" is Georgia, not Germany).
            by_code = [country for country in exact if country.code == typed.lower()]
            return by_code or exact
        return list(
            models.Country.objects.filter(Q(name__icontains=typed) | Q(name_ko__icontains=typed))
        )

    def queryset(self, request, queryset):
        if not self.typed:
            return queryset
        try:
            return queryset.filter(
                **{f"{self.field_path}__in": [country.code for country in self.matches]}
            )
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error

    def choices(self, changelist):
        self.kept_parameters = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield {
            "selected": not self.typed,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        for country in self.matches[:MOST_MATCHES_SHOWN]:
            yield {
                "selected": len(self.matches) == 1,
                "query_string": changelist.get_query_string({self.parameter_name: country.code}),
                "display": f"{country.display_name} ({country.code})",
            }

    @property
    def more_matches(self) -> int:
        return max(0, len(self.matches) - MOST_MATCHES_SHOWN)

    @property
    def input_id(self) -> str:
        return f"filter-{self.parameter_name}"
