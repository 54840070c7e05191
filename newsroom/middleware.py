from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest


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
