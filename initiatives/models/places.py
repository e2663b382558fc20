"""Korean names of cities, as reference data.

Records write a city as free text, in English as the documents give it ("Brussels",
"Ho Chi Minh City"). A city's standard Korean name is a matter of public record (the
National Institute of Korean Language's loanword usage for foreign cities, the
statutes for Korean ones), so it is kept once per city here, with its reference,
rather than typed into every record: ``initiatives.places.city_name`` shows it on
Korean pages wherever a city is shown. ``load_portal_data`` enters the rows of
``fixtures/reference/cities_ko.json``; editors add the next city in the admin.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Country


class CityNameQuerySet(models.QuerySet):
    def get_by_natural_key(self, name, country):
        return self.get(name=name, country=country)


class CityName(models.Model):
    """One city's standard Korean name and where that name is stated."""

    name = models.CharField(
        _("city"),
        max_length=100,
        help_text=_("As the records write it, e.g. Ho Chi Minh City."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where two countries have a city of this name; else may be left empty."),
    )
    name_ko = models.CharField(_("Korean name"), max_length=100)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        help_text=_("Where the Korean name is stated, e.g. 국립국어원 외래어 표기 용례."),
    )

    objects = CityNameQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Korean name of a city")
        verbose_name_plural = _("Korean names of cities")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="city_name_once_per_country"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(country=None), name="city_name_once_without_country"
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.name_ko}"

    def natural_key(self):
        return (self.name, self.country_id)
