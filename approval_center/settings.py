"""Settings for Approval Center, read from the environment.

With nothing set this is the embedded default: SQLite in the project folder, Celery tasks run
eagerly in-process, DEBUG on, media on local disk. Production sets ``DEBUG=0``, a real
``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``CELERY_BROKER_URL``; every variable
is listed with a comment in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import EnvError, env_bool, env_count, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_INSECURE_KEY = "django-insecure-approval-center-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY if DEBUG else "")
if not SECRET_KEY:
    raise EnvError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "catalog",
    "workflow",
    "supervision",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Log-in attempts are counted per user name and address (django-axes): after
# LOGIN_FAILURE_LIMIT failures that pair is locked out for LOGIN_LOCKOUT_MINUTES. Counting the
# pair, not the account alone, keeps a stranger from locking a clerk out of the workbench.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The hall names how an applicant's phone finds their account, for the API's token log-in.
APPLICANT_USERNAME_FOR_PHONE = "portal.accounts.username_for_phone"
# Panels other apps add to the staff start page: each callable takes the request and returns
# None or the panel's context with the template that draws it (workflow.views.start_panels).
STAFF_START_PANELS = [
    "supervision.panels.leader_alerts",
    "supervision.panels.leader_rectifications",
    "supervision.panels.leader_complaints",
    "supervision.panels.officer_room",
    "portal.panels.consultations_to_answer",
]
# Panels other apps put on the hall's page of one case ("my cases"): callables taking the
# request and the case, returning None or the panel's context with its ``template``.
HALL_CASE_PANELS = [
    "supervision.panels.hall_rating_panel",
    "supervision.panels.hall_complaint_panel",
]
# The hall's "my cases" list asks these callables (the user, the listed case ids) for a set of
# ids to mark "to rate"; one query per list, not one per row.
HALL_CASE_LIST_MARKS = ["supervision.panels.hall_cases_to_rate"]
# The rating link the completion message ends with (a callable taking the case, returning an
# absolute URL or ""); empty: the message has no link.
CASE_RATING_LINK = "supervision.hall_rating_links.rating_link_for"
# The address the site is reached at, for links in SMS and e-mails.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
# The rating link of the completion message expires after this many days.
RATING_LINK_MAX_AGE_DAYS = env_int("RATING_LINK_MAX_AGE_DAYS", 30, minimum=1)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "approval_center.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "approval_center.client.client_address"

# How many reverse proxies stand in front of the site, each appending to X-Forwarded-For. The
# client's address is read through them by one rule (approval_center/client.py) for every throttle
# and for the log-in lockout; 0 (no proxy) ignores the header, which anyone can forge.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)

# Rate limits of the public forms (approval_center/throttling.py), per client address and, where
# there is an account, per account as well; DRF's syntax: a count per second, minute, hour or day.
RATE_LIMITS = {
    "login": env_rate("RATE_LIMIT_LOGIN", "10/minute"),
    "tracking": env_rate("RATE_LIMIT_TRACKING", "30/minute"),
    "token": env_rate("RATE_LIMIT_TOKEN", "10/minute"),
    "registration": env_rate("RATE_LIMIT_REGISTRATION", "5/hour"),
    "verification-code": env_rate("RATE_LIMIT_VERIFICATION_CODE", "5/hour"),
    "consultation": env_rate("RATE_LIMIT_CONSULTATION", "10/hour"),
    "kiosk-binding": env_rate("RATE_LIMIT_KIOSK_BINDING", "10/hour"),
    "complaint": env_rate("RATE_LIMIT_COMPLAINT", "10/hour"),
}

# The window's rating kiosk (supervision.kiosks): it offers the case its window's clerks handed
# over within the last KIOSK_CASE_MINUTES; after a rating (or the comment asked after a poor one)
# it goes back to its idle screen after KIOSK_RESET_SECONDS without input, and the idle screen
# asks for the next completed case every KIOSK_POLL_SECONDS.
KIOSK_CASE_MINUTES = env_int("KIOSK_CASE_MINUTES", 15, minimum=1)
KIOSK_RESET_SECONDS = 60
KIOSK_POLL_SECONDS = 5

ROOT_URLCONF = "approval_center.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.context_processors.staff",
                "workflow.context_processors.calendar_warning",
                "approval_center.navigation.navigation",
            ],
            # {% site_chrome %}: base.html's chrome, drawn once per process for signed-out visitors.
            "libraries": {"chrome": "approval_center.chrome"},
        },
    },
]

# Forms are rendered by django-crispy-forms in Bootstrap 5's markup.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

WSGI_APPLICATION = "approval_center.wsgi.application"
ASGI_APPLICATION = "approval_center.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A connection kept for a minute saves the set-up of a new one on every request;
        # the health check replaces one the server closed in the meantime.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The covering indexes (INCLUDE) are PostgreSQL's; SQLite, the embedded default, builds them
# without their extra columns, which is all it needs at its size.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)
# The reads every action makes are prepared once per database session on PostgreSQL
# (workflow.prepared). Turn off behind a pooler that shares sessions (PgBouncer in transaction
# mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "staff-login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploads are private: nothing is served under MEDIA_URL. Every file goes out through a view that
# checks who asks (catalog.downloads); MEDIA_URL only names where FieldFile.url would point.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Empty: the permission-checked view streams the file itself. Set to the prefix of an nginx
# `internal` location that aliases MEDIA_ROOT (e.g. /protected-files/): the view then answers with
# X-Accel-Redirect and nginx sends the bytes, so a gunicorn worker is not held by a download.
PRIVATE_FILES_ACCEL_REDIRECT = env_str("PRIVATE_FILES_ACCEL_REDIRECT", "")
if PRIVATE_FILES_ACCEL_REDIRECT and not (
    PRIVATE_FILES_ACCEL_REDIRECT.startswith("/") and PRIVATE_FILES_ACCEL_REDIRECT.endswith("/")
):
    raise EnvError(
        f"PRIVATE_FILES_ACCEL_REDIRECT={PRIVATE_FILES_ACCEL_REDIRECT!r} must start and end with /"
    )
# Largest template or sample file an administrator may attach to a material, in bytes.
CATALOG_MAX_UPLOAD_BYTES = env_int("CATALOG_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Largest file an applicant or clerk may upload for a case material, in bytes.
CASE_MAX_UPLOAD_BYTES = env_int("CASE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Django refuses bigger request bodies outright; keep it above the largest upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = CASE_MAX_UPLOAD_BYTES + 1024 * 1024
# Hours the files of a refused window intake are kept for the clerk's next try before the sweep
# deletes them (workflow.staging).
STAGED_UPLOAD_HOURS = env_int("STAGED_UPLOAD_HOURS", 24, minimum=1)
# Working days a department has to answer a question asked in the online hall (网上咨询); the
# day it was asked is not counted.
CONSULTATION_ANSWER_WORKDAYS = env_int("CONSULTATION_ANSWER_WORKDAYS", 3, minimum=1)

# A shared cache (throttle counters, once-a-day claims of periodic tasks) in Redis when REDIS_URL is
# set; a per-process memory cache otherwise, which is enough for one development process.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: with no broker configured every task runs eagerly in-process, so `make run`
# needs no Redis. Production points CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TIMEZONE = TIME_ZONE
# A request publishes its tasks after commit and must never wait on a broker that is down: one
# attempt, a short connection timeout. What could not be sent stays recoverable (pending
# notifications are swept every minute; a calendar change is re-projected in the process).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECT_TIMEOUT_MS", 250) / 1000
# Without this the channel is re-tried for about two seconds before the publish gives up.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The one place where periodic work is scheduled.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "workflow.tasks.notifications_sweep",
        "schedule": 60.0,
    },
    "calendar-coverage-check": {
        "task": "workflow.tasks.calendar_coverage_check",
        "schedule": crontab(hour=6, minute=0),
    },
    "staged-uploads-sweep": {
        "task": "workflow.tasks.staged_uploads_sweep_task",
        "schedule": crontab(minute=17),
    },
    "supervision-exports-sweep": {
        "task": "supervision.tasks.exports_sweep",
        "schedule": 300.0,
    },
    # The supervision scan: every five minutes, and at the start of the working day (08:30 in
    # CELERY_TIMEZONE) so that the morning's reminders are out when the windows open. Beat
    # cannot tell a make-up Saturday from a rest day; a scan on a rest day is harmless.
    "supervision-scan": {
        "task": "supervision.tasks.supervise_task",
        "schedule": 300.0,
    },
    "supervision-scan-day-start": {
        "task": "supervision.tasks.supervise_task",
        "schedule": crontab(hour=8, minute=30),
    },
    # Cases whose time to rate closed without a rating get the rule set's default level.
    "supervision-ratings-default": {
        "task": "supervision.tasks.ratings_default_task",
        "schedule": crontab(hour=1, minute=30),
    },
    # The performance summary: every fifteen minutes, and at 01:00 once the day is over (it
    # also closes last month on the rule set's closing day).
    "supervision-summary": {
        "task": "supervision.tasks.summarize_task",
        "schedule": 900.0,
    },
    "supervision-summary-night": {
        "task": "supervision.tasks.summarize_task",
        "schedule": crontab(hour=1, minute=0),
    },
}

REST_FRAMEWORK = {
    # The token first: a request without valid credentials is then a 401 that names the token
    # scheme (WWW-Authenticate), not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workflow.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Refused input answers {"detail", "fields"} everywhere, as the cases API does.
    "EXCEPTION_HANDLER": "approval_center.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["approval_center.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_ANON_RATE", "120/minute")},
    # Our throttles read the client's address through approval_center/client.py; DRF's own
    # reading is told the same number of proxies, for any throttle that still uses it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox): stored as SHA-512 digests, each expiring API_TOKEN_TTL_HOURS
# after it was issued (a working day by default), never extended by use; the owner revokes one
# or all at /api/v1/auth/logout/ and /api/v1/auth/logout-all/.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 8, minimum=1)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Approval Center API",
    "DESCRIPTION": "Municipal administrative-approval service center: catalog, calendar and cases.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components, so that a field the service refuses blank is
    # documented as such (minLength 1) without claiming it of the answers, which may be blank.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several resources have a "status"; each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "workflow.models.CaseStatus",
        "JointCaseStatusEnum": "workflow.models.JointCaseStatus",
        "AlertLevelEnum": "supervision.models.AlertLevel",
        "AlertRuleEnum": "supervision.models.AlertRule",
        "ChannelEnum": "workflow.models.cases.Channel",
        "CorrectionActionsEnum": "supervision.corrections.ACTIONS",
        "DecisionEnum": "workflow.models.cases.Decision",
        "AppealDecisionEnum": "supervision.models.AppealDecision",
        "RatingChannelEnum": "supervision.models.RatingChannel",
        "RectificationActionEnum": "supervision.rectifications.RECTIFICATION_ACTIONS",
        "ComplaintStatusEnum": "supervision.models.ComplaintStatus",
        "ComplaintChannelEnum": "supervision.models.ComplaintChannel",
        "ComplaintCategoryEnum": "supervision.models.ComplaintCategory",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start; its failures and lockouts are warnings.
    # WeasyPrint logs each step of every notice PDF, and a warning for each screen-only rule of
    # the notice's stylesheet it skips: only its errors matter.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}

# Production hardening: on whenever DEBUG is off, each switch overridable from the environment
# (for example SECURE_SSL_REDIRECT=0 behind a proxy that already redirects).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# A staff session ends after a working day without a request (SESSION_COOKIE_AGE seconds,
# 8 hours by default) and when the browser closes: a workbench left open on a shared counter
# computer overnight is logged out. Saving the session on every request moves its end with each
# request, so the age counts inactivity, not time since log-in; the cost is one session write
# per logged-in request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): every script, style, font and image comes from this
# site, nothing runs inline and nothing is evaluated, so an injected <script> or onclick=… does
# not run. data: images are the favicon placeholder of base.html and the icons Swagger UI's
# stylesheet embeds. CSP_REPORT_ONLY=1 sends the same policy as
# Content-Security-Policy-Report-Only instead: the browser reports what it would block, to the
# console and to CSP_REPORT_URI if set, and blocks nothing (for trying a change of policy out).
_csp_directives = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}
if _csp_report_uri := env_str("CSP_REPORT_URI", ""):
    _csp_directives["report-uri"] = [_csp_report_uri]
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Permissions-Policy (django-permissions-policy): no page of this site uses a device or a
# browser power, so none is granted, to this site or to anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Class that sends text messages (workflow/sms.py); the default only logs them.
SMS_GATEWAY = env_str("SMS_GATEWAY", "workflow.sms.LogSmsGateway")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@approval-center.local")

# Demo data (demo city, demo staff with printed passwords) loads only in development: never with
# DEBUG off, whatever DEMO_DATA_ALLOWED says.
DEMO_DATA_ALLOWED = DEBUG and env_bool("DEMO_DATA_ALLOWED", True)
