"""The WSGI application bench/portal.py serves under gunicorn: the project, plus one trivial
view (``/bench/trivial/``, "ok" through the whole middleware stack) to measure against."""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.portal_app"


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("approval_center.urls")),
]
