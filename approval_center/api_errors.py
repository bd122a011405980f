"""How the API answers a request it cannot serve: in JSON, as ``{"detail": message}``.

DRF answers the refusals of its own views; Django answers a path that no route matches and an
error no view caught, with the site's HTML pages. Under ``/api/`` those answer in JSON too, so a
client never has to parse a web page (the messages are DRF's, in the user's language). Input refused by a serializer or a filter comes back as
the cases API answers it: every message in ``detail`` and the messages per field in ``fields``.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_lazy
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from workflow.api.cases import CaseErrorSerializer, invalid_input

API_PREFIX = "/api/"


def exception_handler(exc, context):
    """DRF's answer, with a refused input in the one shape of the API's 400s."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = invalid_input(exc.detail).data
    if response is not None and isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF formats the wait into its message before translating it, so the sentence never
        # matches its catalog and stays English; translated first, it reads in the user's language.
        # DRF's catalog holds the two forms as separate messages, not as one plural entry.
        if exc.wait == 1:
            wait = gettext("Expected available in {wait} second.").format(wait=exc.wait)
        else:
            wait = gettext("Expected available in {wait} seconds.").format(wait=exc.wait)
        response.data = {"detail": f"{exceptions.Throttled.default_detail} {wait}"}
    return response


def _in_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception, **kwargs) -> HttpResponse:
    if _in_api(request):
        return JsonResponse({"detail": str(exceptions.ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception, **kwargs)


def permission_denied(request: HttpRequest, exception, **kwargs) -> HttpResponse:
    if _in_api(request):
        return JsonResponse({"detail": str(exceptions.PermissionDenied.default_detail)}, status=403)
    return defaults.permission_denied(request, exception, **kwargs)


def page_not_found(request: HttpRequest, exception, **kwargs) -> HttpResponse:
    if _in_api(request):
        # Not the exception's text: for an unmatched path it lists the routes tried.
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception, **kwargs)


def server_error(request: HttpRequest, **kwargs) -> HttpResponse:
    if _in_api(request):
        return JsonResponse({"detail": str(exceptions.APIException.default_detail)}, status=500)
    return defaults.server_error(request, **kwargs)


def error_response(description) -> OpenApiResponse:
    """An error answer for the schema: ``{"detail": …}``, and ``fields`` for refused input."""
    return OpenApiResponse(CaseErrorSerializer, description=description)


# The answers that many operations share, for their ``extend_schema(responses=…)``.
BAD_QUERY = error_response(gettext_lazy("A query parameter has a value it does not take."))
NO_SUCH_PAGE = error_response(gettext_lazy("The page number is past the last page."))
THROTTLED = error_response(gettext_lazy("Too many requests from this address; wait and retry."))
