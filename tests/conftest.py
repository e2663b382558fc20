import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture
def portal_data(db):
    """The portal's fixture data, loaded the way a deployment loads it."""
    call_command("load_portal_data", verbosity=0)


@pytest.fixture(scope="module")
def portal_data_for_module(django_db_setup, django_db_blocker):
    """The portal's fixture data, loaded once for a module and rolled back at its end.

    A module opts in by overriding ``portal_data`` with
    ``def portal_data(portal_data_for_module, db): ...``. The load runs in a transaction
    opened before any test's, after migrations (PostgreSQL's search triggers included);
    each test then runs in a savepoint inside it, so what a test writes is still undone
    after it, and the next module starts from an empty database.
    """
    with django_db_blocker.unblock():
        loaded = transaction.atomic()
        loaded.__enter__()
        call_command("load_portal_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        loaded.__exit__(None, None, None)


def pytest_collection_modifyitems(items):
    """In a module that loads the data once, its tests without the data run first,
    before the load, so they still start from an empty database.

    Only the module's places in the run are swapped among themselves: pytest-django's
    own order (transactional tests last, since they flush the database) stays.
    """

    def once(item) -> bool:
        return "portal_data_for_module" in getattr(item, "fixturenames", ())

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        return bool(
            (marker and marker.kwargs.get("transaction"))
            or "transactional_db" in names
            or "live_server" in names
        )

    places = {}
    for index, item in enumerate(items):
        if not transactional(item):
            places.setdefault(getattr(item, "module", None), []).append(index)
    for indexes in places.values():
        group = [items[index] for index in indexes]
        if any(once(item) for item in group):
            for index, item in zip(indexes, sorted(group, key=once), strict=True):
                items[index] = item


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages: a rolled-back database sends no signal."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
