"""What a locked-out log-in is told: the page (django-axes calls ``locked_out``) and the message
the API token endpoint answers with."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_message() -> str:
    """Too many failed log-ins of this user name from this address, and how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed log-ins with this user name from your address. "
        "Try again in %(minutes)s minute.",
        "Too many failed log-ins with this user name from your address. "
        "Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page, with the answer status django-axes is configured for."""
    return render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
