from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("SME globalization initiatives")

    def ready(self):
        from . import cache, places, search_index, versions

        cache.connect_signals()
        versions.connect_signals()
        search_index.connect()
        places.connect()
