import pytest
from django.core.management import call_command


@pytest.fixture
def portal_data(db):
    """The portal's fixture data, loaded the way a deployment loads it."""
    call_command("load_portal_data", verbosity=0)


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
