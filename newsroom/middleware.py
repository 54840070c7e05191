import logging
from urllib.parse import unquote_to_bytes

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseBadRequest
from django.shortcuts import render

logger = logging.getLogger("newsroom.database")


class RejectNulInQueryStringMiddleware:
    """Answers 400 to a query string holding a NUL byte (raw or %00).

    No page takes one, and PostgreSQL refuses NUL in text, so an admin filter, search or
    autocomplete parameter carrying one would otherwise fail as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("The address holds a NUL character.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After when the database cannot be reached (it is restarting, or
    the connection dropped), so that load balancers and browsers retry instead of showing a
    server error; the next request reconnects (CONN_HEALTH_CHECKS)."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
