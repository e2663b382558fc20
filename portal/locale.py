"""The request's language: the address's prefix for pages and feeds (/en/…, /ko/…);
``?lang=`` and then Django's choice (the language cookie, else Accept-Language) for the
addresses without one (the API, the admin)."""

from django.middleware import locale
from django.utils import translation

from initiatives.cache import chosen_language


class LocaleMiddleware(locale.LocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        asked = chosen_language(request)
        if asked:
            translation.activate(asked)
            request.LANGUAGE_CODE = translation.get_language()
