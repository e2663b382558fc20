"""Regions and groupings of countries: the UN M49 regions and sub-regions, and the
memberships policy staff ask about (EU, ASEAN, OECD, G20, APEC).

They are reference data, like countries: loaded from ``fixtures/regions.json``, which
``build_region_fixture`` writes from the sources each region names. A region has no
publication state; which records are in it is decided by its countries."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import Country, DisplayNameMixin, SlugQuerySet


class RegionQuerySet(SlugQuerySet):
    def for_list(self):
        return self.select_related("parent")

    def for_detail(self):
        return self.select_related("parent").prefetch_related("countries", "children")


class Region(DisplayNameMixin, models.Model):
    """A UN M49 region or sub-region, or a grouping of countries (``eu``, ``asean``)."""

    class Kind(models.TextChoices):
        # In the order the regions page lists them.
        REGION = "region", _("region")
        SUB_REGION = "sub-region", _("sub-region")
        INTERMEDIATE_REGION = "intermediate-region", _("intermediate region")
        GROUPING = "grouping", _("grouping")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ko = models.CharField(_("Korean name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    m49_code = models.CharField(
        _("UN M49 code"), max_length=3, blank=True, help_text=_("Three digits, e.g. 150.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="regions", verbose_name=_("countries")
    )
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where the list of its countries comes from.")
    )
    source_url = models.URLField(_("source address"), blank=True)
    as_of = models.DateField(
        _("as of"), null=True, blank=True, help_text=_("When the source was read.")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(m49_code="") | Q(m49_code__regex=r"^[0-9]{3}$"),
                name="region_m49_code_is_three_digits",
                violation_error_message=_("A UN M49 code is three digits, e.g. '150'."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:region-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)
