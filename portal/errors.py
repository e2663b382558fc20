"""Error pages. A database that cannot be reached is a 503 ("try again shortly"), not a
500: nothing is wrong with the request, and the page says so."""

import sys

from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 30


def handler500(request):
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response.render()
    return server_error(request)
