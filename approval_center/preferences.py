"""The visitor's display preferences, kept in a cookie of the device."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .navigation import ELDERLY_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_POST
def elderly_mode(request: HttpRequest) -> HttpResponse:
    """Switch the elderly-friendly mode (适老化) on or off and go back to the page."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("on") == "1":
        response.set_cookie(
            ELDERLY_COOKIE,
            "1",
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    return response
