"""The address a request came from, as django-axes counts failed logins by it.

Behind N proxies the portal trusts (``TRUSTED_PROXY_COUNT``), each proxy appends the
address it was reached from to ``X-Forwarded-For``; the client's is then the Nth entry
from the right. Entries further left were written by the client and are never trusted.
With no trusted proxy (0, the default) the header is ignored and the address is
``REMOTE_ADDR``, as it is when the header has fewer entries than trusted proxies or
an entry that is not an address.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # Fewer entries than trusted proxies: the request did not come the configured
        # way, so no entry can be vouched for; the peer's own address can.
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
