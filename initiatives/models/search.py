"""The search index: one entry per published record, with its linked facts.

Each entry holds a record's names (its name, Korean name, acronym), its other names
(aliases), the names of the records it links (parties, country in English and Korean,
council, people and their aliases) and its text (summary, quotes), so one query ranks
every kind of record together. ``initiatives.search_index`` writes the entries (on
every save, by the loader and by ``rebuild_search_index``); ``initiatives.search``
reads them. On PostgreSQL an entry's ``document`` weighs names above linked facts above
text (GIN index) and its ``names`` carry a trigram index for near misses; on SQLite an
FTS5 table (``initiatives_searchentry_fts``, migration 0011) holds the same columns.
Drafts get no entry, and a draft's name is never part of another record's entry.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    record_id = models.BigIntegerField(_("record"))
    name = models.CharField(_("name"), max_length=300)
    name_ko = models.CharField(_("Korean name"), max_length=300, blank=True)
    # One per line: name, Korean name, acronym, then the aliases.
    names = models.TextField(_("names"), blank=True)
    aliases = models.TextField(_("other names"), blank=True)
    # What kind of record it is, in words ("mou, memorandum of understanding, 업무협약").
    labels = models.CharField(_("kind of record"), max_length=300, blank=True)
    linked = models.TextField(_("linked records"), blank=True)
    body = models.TextField(_("text"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    place_ko = models.CharField(_("place (Korean)"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=5, blank=True)
    date_inferred = models.BooleanField(_("date inferred"), default=False)
    # PostgreSQL only: written with the entry (initiatives.search_index.write).
    document = SearchVectorField(_("search document"), null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.record_id}: {self.name}"
