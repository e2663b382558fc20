"""A collection's list page: filters, facets, pagination, and the same list as CSV."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView

from ..exports import CSVExportMixin
from ..templatetags.i18n_names import display_name

# A list counts its records up to this many; beyond, it says "10,000+" (counting
# hundreds of thousands of rows on every page would cost more than the page itself).
COUNT_CAP = 10_000
DATE_LABELS = {"date_from": gettext_lazy("Dates from"), "date_to": gettext_lazy("Dates up to")}


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``COUNT_CAP + 1`` records, and pages no deeper.

    ``capped`` says there are more than ``COUNT_CAP``. Pages past the first
    ``COUNT_CAP`` records do not exist: reading them would make the database skip over
    all the records before (deep OFFSETs cost seconds on large lists), and narrowing
    the filters, or the CSV, finds them better.
    """

    capped = False

    @cached_property
    def count(self):
        cap = COUNT_CAP
        try:
            n = self.object_list.order_by()[: cap + 1].count()
        except (AttributeError, TypeError):
            return super().count
        self.capped = n > cap
        return cap if self.capped else n


@dataclass
class ActiveFilter:
    param: str
    value: str
    label: str
    remove_url: str


class ListPageMixin:
    """Pagination, facets, active filters and problems for a FilterView list.

    An invalid filter value is reported and ignored (``strict = False``), and a page
    number that is not one, or is past the end, shows the first or last page with a
    note: a bad address never gives a server error.
    """

    paginate_by = 25
    paginator_class = CappedPaginator
    strict = False

    def page_queryset(self, queryset):
        return queryset

    def get_template_names(self):
        name = self.filterset.queryset.model._meta.model_name
        return [f"initiatives/{name}_list.html", "initiatives/record_list.html"]

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(self.page_queryset(queryset), page_size)
        raw = self.request.GET.get("page", "1")
        self.page_problems = []
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            self.page_problems.append(
                _("Page %(page)s is not a page number; showing the first page.")
                % {"page": repr(raw[:20])}
            )
            number = 1
        elif number > paginator.num_pages and getattr(paginator, "capped", False):
            self.page_problems.append(
                _(
                    "Pages go no deeper than the first %(n)s results; showing the last of "
                    "them. Narrow the filters, or download every result as CSV."
                )
                % {"n": f"{COUNT_CAP:,}"}
            )
            number = paginator.num_pages
        elif number > paginator.num_pages:
            self.page_problems.append(
                _("There is no page %(page)s; showing the last page, %(last)s.")
                % {"page": number, "last": paginator.num_pages}
            )
            number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["problems"]:
            # A page about a bad address is not kept: junk would fill the cache.
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        facets = filterset.shown_facets() if hasattr(filterset, "shown_facets") else []
        context.update(
            opts=filterset.queryset.model._meta,
            facets=facets,
            active_filters=self.active_filters({f.param: f.choices for f in facets}),
            problems=[self.problem(name, errors) for name, errors in filterset.form.errors.items()]
            + self.page_problems,
            default_sort=self.default_sort_label(),
        )
        return context

    def field_label(self, name: str) -> str:
        # "From" alone does not say what a problem with it is about.
        return DATE_LABELS.get(name) or str(self.filterset.filters[name].label)

    def problem(self, name: str, errors) -> str:
        """What was wrong, naming the filter and the value given: 'Country, "xx":
        Unknown country code'."""
        message = " ".join(errors)
        values = [v for v in self.request.GET.getlist(name) if v.strip() and v not in message]
        given = ", ".join(f"“{v[:40]}”" for v in values)
        return f"{self.field_label(name)}{', ' + given if given else ''}: {message}"

    def default_sort_label(self) -> str:
        """What the list's usual order is, in the words of its sort choices."""
        sort = self.filterset.filters.get("sort")
        ordering = self.filterset.queryset.model._meta.ordering
        if not sort or not ordering:
            return _("usual order")
        first = ordering[0]
        key = getattr(getattr(first, "expression", None), "name", None)
        key = f"-{key}" if key and getattr(first, "descending", False) else key or str(first)
        return dict(sort.extra.get("choices") or sort.field.choices).get(key, _("usual order"))

    def active_filters(self, facets) -> list[ActiveFilter]:
        """Each value in the address, with a link that removes just that value."""
        params = [
            (k, v)
            for k, vs in self.request.GET.lists()
            if k != "page" and k in self.filterset.filters
            for v in vs
            if v.strip()
        ]
        active = []
        for param, value in params:
            # A facet's choice names the value; else the filter's own choices (a sort).
            field = self.filterset.form.fields[param]
            fixed = () if hasattr(field, "queryset") else getattr(field, "choices", ())
            labels = {c.value: c.label for c in facets.get(param, [])} or dict(fixed)
            rest = [pair for pair in params if pair != (param, value)]
            key = value.strip().lower() if param == "country" else value
            shown = labels.get(key)
            if (not shown or shown == key) and param not in self.filterset.form.errors:
                # A choice the facet could not name (a refused value names nothing).
                shown = self.record_name(field, key) or value
            shown = shown or value
            label = f"{self.field_label(param)}: {shown}"
            if param in self.filterset.form.errors:
                label += " " + _("(ignored)")
            active.append(ActiveFilter(param, value, label, "?" + urlencode(rest)))
        return active

    @staticmethod
    def record_name(field, key: str) -> str | None:
        """The name of the record a linked filter's key stands for (a country that is not
        among the facet's listed choices is still named, not shown as its code)."""
        queryset = getattr(field, "queryset", None)
        if queryset is None or "\x00" in key or len(key) > 100:
            return None  # PostgreSQL takes no NUL in text, and no key is that long
        record = queryset.filter(**{field.to_field_name or "pk": key}).first()
        return display_name(record) if record else None


class RecordListView(CSVExportMixin, ListPageMixin, FilterView):
    """A collection's published records (``collection`` is a registry entry)."""

    collection = None

    def get_filterset_class(self):
        return self.collection.filterset

    def get_queryset(self):
        return self.collection.model.objects.published()

    def page_queryset(self, queryset):
        return queryset.for_list()
