"""Compressed answers for the public, never for staff.

Django's GZipMiddleware pads each compressed answer with random bytes (the "Heal the
Breach" mitigation), but BREACH reads secrets out of compressed pages that also echo
what an attacker sends; the public's pages hold no secret (no session, no CSRF token:
the page cache keeps no response that sets a cookie), while staff pages carry CSRF
tokens and drafts. So only answers to requests without a session are compressed (the
admin has none without one: it redirects to its login form, which sets no session).
"""

from django.middleware.gzip import GZipMiddleware

from initiatives.cache import signed_in


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if signed_in(request) or (user is not None and user.is_authenticated):
            return response
        return super().process_response(request, response)
