"""What every record shares: a slug, a name, publication state, history, partial
dates; countries; and the queries that decide what the public may see.

Visibility is decided here once. ``published()`` on any QuerySet keeps the rows the
public may see: a record that is published, and a row that links records (a party, a
citation, an alias) only when the records at both ends are. Pages, the API, exports
and feeds read linked records through ``Prefetch(..., queryset=published rows)``
(``RecordQuerySet.linked``), so a draft never reaches a template or a serializer.
"""

import datetime
import functools
import operator
import re

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, Q
from django.db.models.lookups import IContains
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..dates import validate_partial_date, year_out_of_range

# Text matching --------------------------------------------------------------------

# Names join words with spaces, hyphens and dashes ("Korea–Belgium", "Oh Young-joo");
# a visitor types a hyphen for any dash, or a space.
SEPARATED = re.compile(r"[\s\u2010-\u2015\u2212-]+")
DASH = re.compile(r"[\u2010-\u2015\u2212-]")


class ContainsWords(IContains):
    """``icontains`` of words in order, each pair joined by any one character: a space,
    a hyphen or a dash (LIKE's ``_``). Being a LIKE, PostgreSQL's trigram indexes on
    upper-cased names (migrations 0004 and 0006) serve it as they serve ``icontains``."""

    prepare_rhs = False

    def process_rhs(self, compiler, connection):
        escaped = (connection.ops.prep_for_like_query(word) for word in self.rhs)
        return "%s", [f"%{'_'.join(escaped)}%"]


def contains(field: str, text: str, *, any_separator: bool = False) -> Q:
    """``field`` contains ``text`` in any case, where a hyphen or dash in ``text`` stands
    for a space or any dash ("Korea-Belgium" finds "Korea–Belgium"); with
    ``any_separator``, a space does too ("oh young joo" finds "Oh Young-joo").

    A space alone stays a plain ``icontains``: a LIKE with ``_`` compares character by
    character, six times slower where the index cannot narrow the rows (a word of one
    or two letters), and on PostgreSQL, search matches the words of names anyway.
    """
    words = [word for word in SEPARATED.split(text) if word]
    if len(words) < 2 or not (any_separator or DASH.search(text)):
        return Q(**{f"{field}__icontains": text})
    return Q(ContainsWords(F(field), words))


def name_contains(text: str) -> Q:
    """The name or the Korean name contains ``text``, in any case (see ``contains``).

    Most records have no Korean name; PostgreSQL's trigram index on Korean names leaves
    the empty ones out (migration 0006), and the ``name_ko <> ''`` here lets it be used.
    """
    return contains("name", text) | (contains("name_ko", text) & ~Q(name_ko=""))


# Visibility -----------------------------------------------------------------------


def related_field(model, name: str):
    return model._meta.get_field(name)


def visibility(model, prefix: str = "", *, back: str = "") -> Q:
    """The condition under which a row of ``model`` (reached through ``prefix``) is public.

    A record is public when it is published; a row that links records when every record
    it links (``public_through``; an optional link may be empty) is public, and the one
    its exclusive arc points at (``arc``) is. ``back`` names a link not to check: the
    one a path came in by, whose record is already known to be public.
    """
    names = {f.name for f in model._meta.concrete_fields}
    condition = Q(**{f"{prefix}is_published": True}) if "is_published" in names else Q()
    for name in getattr(model, "public_through", ()):
        if name != back:
            field = related_field(model, name)
            linked = visibility(field.related_model, f"{prefix}{name}__")
            # An optional link counts when it is made: none, or a public record.
            condition &= Q(**{f"{prefix}{name}__isnull": True}) | linked if field.null else linked
    arc = [name for name in getattr(model, "arc", ()) if name != back]
    if back in getattr(model, "arc", ()):
        arc = []  # reached through the arc: the row points at the record we came from
    if arc:
        condition &= functools.reduce(
            operator.or_,
            (
                Q(**{f"{prefix}{name}__isnull": False})
                & visibility(related_field(model, name).related_model, f"{prefix}{name}__")
                for name in arc
            ),
        )
    return condition


def path_visibility(model, path: str) -> Q:
    """The condition under which every row along ``path`` from ``model`` is public, to be
    used in the same ``filter()`` call as the lookup on ``path`` so both share its joins.

    ``parties__ministry__country`` from Agreement: the party's ministry is published."""
    condition = Q()
    prefix = ""
    for name in path.split("__"):
        field = related_field(model, name)
        if not field.is_relation:
            break
        prefix = f"{prefix}{name}__"
        back = field.remote_field.name if field.one_to_many else ""
        model = field.related_model
        condition &= visibility(model, prefix, back=back)
    return condition


def crosses_to_many(model, path: str) -> bool:
    """Whether ``path`` from ``model`` passes through a relation to several records."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class VisibleQuerySet(models.QuerySet):
    """Rows the public may see are ``published()``; see ``visibility``."""

    def published(self):
        return self.filter(visibility(self.model))

    def hidden(self):
        """The rows the public may not see: drafts, and links to them."""
        return self.exclude(visibility(self.model))

    def linked(self, relation: str, *, select=(), then=None, to_attr=None):
        """``relation`` prefetched through its public rows only: a draft at the other
        end reads as absent (a foreign key as None, a list without it).

        ``select`` joins what the linked rows' own visibility vouches for (a party's
        ministry) or what has no publication state (a country); ``then`` is given the
        linked rows' queryset to read further links from them; ``to_attr`` keeps them in
        a list of that name, apart from another prefetch of the same relation."""
        field = related_field(self.model, relation)
        target = field.related_model
        back = field.remote_field.name if field.one_to_many else ""
        rows = target._default_manager.filter(visibility(target, back=back))
        rows = rows.select_related(*select)
        return models.Prefetch(relation, queryset=then(rows) if then else rows, to_attr=to_attr)


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class RecordQuerySet(VisibleQuerySet, SlugQuerySet):
    def visible_to(self, user):
        """What ``user`` may open on the public pages: staff who may view drafts preview
        a draft record (its links still read as the public will see them); everyone
        else gets published records."""
        opts = self.model._meta
        may_preview = (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        )
        return self if may_preview else self.published()

    def matching(self, text: str):
        """Records whose name, Korean name or any public alias contains ``text``."""
        text = (text or "").strip()
        if not text:
            return self
        condition = name_contains(text)
        if not hasattr(self.model, "aliases"):
            return self.filter(condition)
        aliases = self.model._meta.get_field("aliases")
        # Few aliases against many records: any separator can stand for another here.
        aliased = aliases.related_model.objects.filter(contains("name", text, any_separator=True))
        return self.filter(condition | Q(pk__in=aliased.values(aliases.field.name)))

    def for_list(self):
        return self

    def for_rows(self):
        """What a row of ``includes/_rows.html`` shows, for pages of rows of several
        kinds (a country's): ``for_list()`` unless a kind reads less."""
        return self.for_list()

    def for_detail(self):
        return self.for_list()

    def for_export(self):
        """What the collection's serializer reads: the API and every tabular export."""
        return self.for_list()

    def cited(self):
        """With the public citations and their sources."""
        return self.prefetch_related(self.linked("citations", select=["source"]))

    def named(self):
        """With the public citations and the aliases."""
        return self.cited().prefetch_related(self.linked("aliases"))

    def figures(self):
        """The public figures reported about each record, with their citations."""
        return self.linked("metrics", then=lambda figures: figures.cited())

    def figured(self):
        """Named, and with the figures reported about each record."""
        return self.named().prefetch_related(self.figures())


# Exclusive arcs -------------------------------------------------------------------


def exactly_one(fields, name: str, message) -> models.CheckConstraint:
    """A row points at exactly one of several targets."""
    condition = Q()
    for chosen in fields:
        branch = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


class ExclusiveArc(models.Model):
    """A row that points at exactly one record of several kinds: one nullable foreign
    key per kind, declared in the class, named in ``arc`` (citations, aliases, figures,
    meeting participants)."""

    arc: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def arc_targets(cls) -> list[tuple[str, type]]:
        """(field name, model) of each kind of record the row may point at."""
        return [(name, cls._meta.get_field(name).remote_field.model) for name in cls.arc]

    @property
    def arc_field(self) -> str:
        return next(name for name in self.arc if getattr(self, f"{name}_id") is not None)

    @property
    def arc_target(self):
        return getattr(self, self.arc_field)


def in_interface_language(name: str, name_ko: str) -> str:
    """The Korean name when the interface is Korean and a source gives one; else the name."""
    if name_ko and (get_language() or "").startswith("ko"):
        return name_ko
    return name


class DisplayNameMixin:
    """``display_name``: the record's name in the interface's language where known."""

    @property
    def display_name(self) -> str:
        return in_interface_language(self.name, self.name_ko)


class CountryQuerySet(VisibleQuerySet):
    def for_export(self):
        """With the public figures about each country, as the API shows them."""
        return self.prefetch_related(self.linked("metrics", then=lambda figures: figures.cited()))


class Country(DisplayNameMixin, models.Model):
    """An ISO 3166-1 country, keyed by its lower-case alpha-2 code (``be``, ``kr``)."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_ko = models.CharField(_("Korean name"), max_length=100, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z]{2}$"),
                name="country_code_is_two_lower_case_letters",
                violation_error_message=_("A country code is two lower-case letters, e.g. 'be'."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiatives:country-detail", args=[self.code])


class PartialDatesValidated(models.Model):
    """Plain-words errors when a partial date's value does not fit its precision, or
    any date (partial or not) names a year outside ``dates.MIN_YEAR``..``MAX_YEAR``."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for field in self.partial_date_field_names():
            errors.update(validate_partial_date(self, field))
        for field in self._meta.concrete_fields:
            if field.name in errors or isinstance(field, models.DateTimeField):
                continue
            value = getattr(self, field.attname)
            dated = isinstance(field, models.DateField) and isinstance(value, datetime.date)
            if dated and (problem := year_out_of_range(value)):
                errors[field.name] = problem
        if errors:
            raise ValidationError(errors)

    @classmethod
    def partial_date_field_names(cls) -> list[str]:
        suffix = "_precision"
        return [
            f.name[: -len(suffix)] for f in cls._meta.concrete_fields if f.name.endswith(suffix)
        ]


SLUG_MARK = "slug-mark"


@functools.cache
def detail_url_parts(
    route_name: str, script_prefix: str, urlconf, language: str | None
) -> tuple[str, str]:
    """A detail page's address before and after the slug, reversed once per kind of
    record and language (the address's prefix, /ko/…): pages link hundreds of records,
    and a slug needs no quoting in a path."""
    url = reverse(f"initiatives:{route_name}-detail", args=[SLUG_MARK], urlconf=urlconf)
    before, after = url.split(SLUG_MARK)
    return before, after


class Record(DisplayNameMixin, PartialDatesValidated):
    """What every public record has: a slug, a name, publication state and history."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_ko = models.CharField(
        _("Korean name"),
        max_length=300,
        blank=True,
        help_text=_("Only as a source gives it; left empty, the English name is shown."),
    )
    note = models.TextField(
        _("public note"),
        blank=True,
        help_text=_("What the sources leave unclear, and why a field was left empty."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published records are shown to the public."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)
    # Raised by every save (and by a change to the record's inline rows), so that an
    # editor who opened version 3 cannot save over version 4 unseen (optimistic locking).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # The search document is derived from the record's own fields; history keeps those.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_document"])

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]
        # Reviewers hold "publish_<model>"; editors only add and change drafts.
        default_permissions = ("add", "change", "delete", "view", "publish")
        # Lists sort by name; indexes for each collection's filters are in its own Meta.
        # Drafts are few: a partial index finds them at once (counting what they hide).
        indexes = [
            models.Index(fields=["name"], name="%(app_label)s_%(class)s_name"),
            models.Index(
                fields=["id"], condition=Q(is_published=False), name="%(app_label)s_%(class)s_draft"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if self.is_published and self.published_at is None:
            self.published_at = self.updated_at
        expected = self.__dict__.pop("_expected_version", None)
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            # The row stays locked (PostgreSQL) until the surrounding transaction ends,
            # so no other save can slip in between this check and the write.
            current = (
                type(self)
                ._base_manager.using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if expected is not None and current is not None and current != expected:
                raise RecordChanged(self, saved_version=current, expected_version=expected)
            self.version = (current or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        before, after = detail_url_parts(
            self.route_name, get_script_prefix(), get_urlconf(), get_language()
        )
        return f"{before}{self.slug}{after}"

    def natural_key(self):
        return (self.slug,)

    def expect_version(self, version: int | None) -> None:
        """Make the next save refuse (RecordChanged) unless the saved row is at ``version``:
        the version an editor's form was opened at."""
        self._expected_version = version

    # e.g. "support-case"; URL names and templates are derived from it.
    route_name = ""


class RecordChanged(Exception):
    """A save refused because someone else saved the record since it was read."""

    def __init__(self, record, *, saved_version: int, expected_version: int):
        super().__init__(
            f"{type(record).__name__} {record.pk} is at version {saved_version}, "
            f"not {expected_version}"
        )
        self.record = record
        self.saved_version = saved_version
        self.expected_version = expected_version


def bump_version(model, pk) -> None:
    """Count a change to one of a record's own rows (a citation, a party) as a change to
    the record, so an editor holding an older form of it is told."""
    if pk is not None:
        model._base_manager.filter(pk=pk).update(version=F("version") + 1)


class Searchable(Record):
    """A record the site search finds (initiatives/search.py).

    On PostgreSQL a trigger (migration 0006) keeps ``search_document`` up to date from
    ``document_fields`` whenever a row is written, by the ORM, the admin, a fixture load
    or a bulk COPY: the name and Korean name weigh most, the other fields less. A GIN
    index on it lets search match and rank without parsing the text at query time. Other
    databases leave it empty and search by plain matching.
    """

    # Derived, so left out of forms and of dumps (loaddata has the trigger fill it again).
    search_document = SearchVectorField(
        _("search document"), null=True, editable=False, serialize=False
    )

    # The fields the search document holds, the weightiest first (name and Korean name).
    # The trigger is written from them: changing them needs a migration that replaces
    # it, as 0006 made it (tests/test_search.py checks the database's trigger).
    document_fields: tuple[str, ...] = ("name", "name_ko")

    class Meta(Record.Meta):
        abstract = True


class CooperationArea(DisplayNameMixin, models.Model):
    """An area two parties agree to cooperate in ("technology cooperation")."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class LoadedFixtureRowQuerySet(models.QuerySet):
    def get_by_natural_key(self, model, row_hash):
        return self.get(model=model, row_hash=row_hash)


class LoadedFixtureRow(models.Model):
    """A fixture row that ``load_portal_data`` has loaded once.

    Later loads leave such rows to the editors: a record they renamed or deleted is not
    added back, so a reload never duplicates or resurrects anything.
    """

    model = models.CharField(_("model"), max_length=100)
    row = models.TextField(_("fixture row"), help_text=_("The row as it stood in the fixture."))
    row_hash = models.CharField(_("SHA-256 of the row"), max_length=64)
    loaded_at = models.DateTimeField(_("first loaded at"), default=timezone.now)

    objects = LoadedFixtureRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("loaded fixture row")
        verbose_name_plural = _("loaded fixture rows")
        constraints = [
            models.UniqueConstraint(fields=["model", "row_hash"], name="loaded_fixture_row_once")
        ]

    def __str__(self):
        return f"{self.model} {self.row_hash[:12]}"

    def natural_key(self):
        return (self.model, self.row_hash)
