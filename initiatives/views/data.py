"""``/data/``: the whole published dataset as one download (a Data Package, zip)."""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.views.generic import TemplateView

from .. import datapackage
from ..exports import attachment_header


class DataView(TemplateView):
    """What the download holds: every file with its title and rows."""

    template_name = "initiatives/data.html"

    def get_context_data(self, **kwargs):
        content = datapackage.package(self.request)
        return super().get_context_data(
            files=datapackage.summary(content), size=len(content), **kwargs
        )


def data_package(request):
    """The zip, rebuilt after the data change (see ``datapackage.py``)."""
    content = datapackage.package(request)
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(content, content_type="application/zip")
    response["ETag"] = etag
    response["Content-Disposition"] = attachment_header(datapackage.FILE_NAME)
    return response
