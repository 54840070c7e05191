"""The address a request really comes from, when the app runs behind reverse proxies."""

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address, trusting exactly `TRUSTED_PROXY_COUNT` proxies.

    Each proxy appends the address it was connected from to X-Forwarded-For, so with N trusted
    proxies in front of the app the client is the N-th entry from the right; anything to the
    left of it was written by the client and may be forged. With no trusted proxy the header is
    ignored and the socket's address is the client's.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if len(forwarded) < proxies:
        # The request did not come through every proxy (a direct hit on the app server).
        return remote
    return forwarded[-proxies]
