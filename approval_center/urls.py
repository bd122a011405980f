from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.account_forms import StaffAuthenticationForm

from .preferences import elderly_mode
from .throttling import LOGIN, rate_limited

admin.site.site_header = _("Approval Center administration")
admin.site.site_title = _("Approval Center administration")
admin.site.index_title = _("Catalog, calendar and staff")

api_v1 = [
    path("", include("catalog.api.urls")),
    path("", include("workflow.api.urls")),
    path("supervision/", include("supervision.api.urls")),
    path("", include("portal.api.consultation_urls")),
    path("me/", include("portal.api.urls")),
    path("me/", include("supervision.api.hall_urls")),
    path("me/", include("supervision.api.hall_complaint_urls")),
]

# Both log-in forms count their POSTs per address, besides django-axes' lockout of a user name
# at one address after repeated failures. Not per user name: a stranger sending the limit's
# worth of log-ins for a clerk's name would then keep the clerk out.
log_in_limited = rate_limited(LOGIN)

urlpatterns = [
    # Ahead of the admin's own routes, so that its log-in form is the limited one.
    path("admin/login/", log_in_limited(admin.site.login)),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("preferences/elderly/", elderly_mode, name="elderly-mode"),
    path(
        "staff/login/",
        log_in_limited(
            auth_views.LoginView.as_view(
                template_name="registration/login.html",
                authentication_form=StaffAuthenticationForm,
            )
        ),
        name="staff-login",
    ),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
    path("staff/consultations/", include("portal.urls_staff_consultations")),
    path("staff/", include("workflow.urls")),
    path("staff/catalog/", include("catalog.urls_staff")),
    path("staff/supervision/", include("supervision.urls")),
    path("catalog/", include("catalog.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script), which
    # the Content-Security-Policy allows; the plain view inlines it.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("", include("supervision.urls_hall")),
    path("", include("portal.urls")),
]
# No route serves MEDIA_URL, with DEBUG on or off: uploads (ID documents, licences) go out only
# through the permission-checked views (catalog.downloads).

# Under /api/ these answer in JSON; elsewhere they are Django's pages.
handler400 = "approval_center.api_errors.bad_request"
handler403 = "approval_center.api_errors.permission_denied"
handler404 = "approval_center.api_errors.page_not_found"
handler500 = "approval_center.api_errors.server_error"
