"""The address of the client a request comes from: the one rule every throttle and lockout keys on.

``X-Forwarded-For`` is a list any client can start: each proxy appends the address that connected
to it, so only the entries our own proxies appended are true. With ``TRUSTED_PROXY_COUNT`` proxies
in front, the outermost one appended the client's address as the N-th entry from the right;
everything left of it is whatever the client chose to send. With no proxy the connection's own
address is the only one to believe.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR`` with no trusted proxy, else the address the
    outermost trusted proxy saw, read from ``X-Forwarded-For``.

    A header that is missing, shorter than the proxy count or not an address there means the
    request did not come through our proxies as configured (a direct connection, a misconfigured
    proxy); the connection's address is then the one we can vouch for.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
