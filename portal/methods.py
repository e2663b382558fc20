"""The HTTP methods the site answers at all.

Every page reads (GET, HEAD, OPTIONS); the admin's forms and the language switcher
post, and the views decide where POST makes sense (elsewhere it gets a 403 from the
CSRF check or a 405). Anything else (TRACE, PUT, PATCH, DELETE, WebDAV's verbs, a made
-up one) is refused here with a 405, before any view, cache or static file handler
sees it: none of them needs it, and TRACE in particular echoes a request back.
"""

from django.http import HttpResponseNotAllowed

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS", "POST")


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)
