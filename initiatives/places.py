"""A city's name in the interface's language: the one place that decides it.

Records hold cities as the documents write them, in English. On a Korean page a city
with a Korean name of record (``CityName``) is shown by that name; any other city is
shown as written. The names are read as one small mapping, kept in the cache until the
table changes, and held for the rest of a request once read, so a list of a hundred
meetings costs no query and one cache read for its cities.
"""

from asgiref.local import Local
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from .cache import kept_until_tables_change

KEY = "korean-city-names"
KEPT_SECONDS = 24 * 60 * 60
# The mapping read during the current request, if any: None outside a request, where
# nothing clears it, so every call reads the (cached) mapping afresh.
_request = Local()


def korean_interface() -> bool:
    return (get_language() or "").startswith("ko")


def read_names() -> dict[tuple[str, str], str]:
    """{(city, country code or ""): Korean name} for every city with one."""
    from .models import CityName

    return {
        (name, country or ""): name_ko
        for name, country, name_ko in CityName.objects.values_list("name", "country", "name_ko")
    }


def korean_city_names() -> dict[tuple[str, str], str]:
    """The mapping, read once per request (and from the cache while the table is unchanged)."""
    names = getattr(_request, "names", None)
    if names is None:
        names = kept_until_tables_change(KEY, read_names, KEPT_SECONDS, may_lag=False)
        if getattr(_request, "active", False):
            _request.names = names
    return names


def korean_city_name(city: str, country: str | None = None, names=None) -> str:
    """The Korean name of record of ``city`` (in ``country``, a code), or "" if none.
    A name entered without a country serves the city in any country. ``names``: the
    mapping, when the caller has read it already."""
    if not city:
        return ""
    names = korean_city_names() if names is None else names
    return names.get((city, country or ""), "") or names.get((city, ""), "")


def city_name(city: str, country: str | None = None) -> str:
    """``city`` as a page in the interface's language shows it."""
    if city and korean_interface():
        return korean_city_name(city, country) or city
    return city


def request_began(**kwargs) -> None:
    _request.active = True
    _request.names = None


def request_ended(**kwargs) -> None:
    _request.active = False
    _request.names = None


def names_changed(sender, **kwargs) -> None:
    """An editor's change to a city's name shows on the rest of the same request too."""
    _request.names = None


def connect() -> None:
    """Called from the app's ready()."""
    from .models import CityName

    request_started.connect(request_began, dispatch_uid="city-names-request-began")
    request_finished.connect(request_ended, dispatch_uid="city-names-request-ended")
    post_save.connect(names_changed, sender=CityName, dispatch_uid="city-names-saved")
    post_delete.connect(names_changed, sender=CityName, dispatch_uid="city-names-deleted")
