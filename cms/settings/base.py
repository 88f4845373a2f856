"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "cms",
    "home",
    "catalogue",
    "budget",
    "participation",
    "accessibility",
    "reporting",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    # API v3 (django-ninja): pages, the catalogue's read and write routers, API tokens in the admin.
    "wagtail.api.v3",
    # Serves the API docs' Swagger UI from our own static files instead of a CDN.
    "ninja",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's database search backend needs it on PostgreSQL (system check fails otherwise).
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Ahead of sessions, CSRF and CSP: it stores the finished response and a hit skips them.
    "cms.response_cache.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.SecurityHeadersMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.OpenDataMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
            # The catalogue's tags live in its public wing, not at the app's top level.
            "libraries": {"catalogue_tags": "catalogue.public.templatetags.catalogue_tags"},
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite file by default so that a first run needs nothing; PostgreSQL in production, where
# connections persist (DB_CONN_MAX_AGE) and are checked before each request reuses them.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Readers must never wait for a writer, and writers must queue rather than fail with
# "database is locked" while an import writes (docs/import.md, "Concurrent readers"): WAL
# journal, a busy timeout, and the write lock taken at BEGIN so that two writers never
# deadlock when a read transaction upgrades.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

# Django's task framework (the django-tasks backport). Wagtail's own small jobs (search and
# reference index, focal points) keep running at once in the request ("default"), so nothing
# waits for a worker on a first look; long jobs such as catalogue imports are queued in the
# database ("background") and run by `manage.py db_worker`, which `make run` starts.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: German first and without URL prefix, English under /en/.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cms.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Whether Django itself serves uploaded images under MEDIA_URL (cms.views.media): on in
# development; in production the reverse proxy does, or SERVE_MEDIA=1 on a single server.
SERVE_MEDIA = False
# Files that must never be served by URL (uploaded import files): outside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Landkreis Zukunftsprofil"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

# On PostgreSQL the database backend uses PostgreSQL full text search; German stemming
# because the primary content is German. Every word of a query matches as a word beginning
# (cms/search_backend.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "cms.search_backend",
        "SEARCH_CONFIG": "german",
    }
}

# mp4, webm and vtt: the sign-language video of the Leichte Sprache page and its captions.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "mp4", "odt", "pdf", "pptx", "rtf", "txt", "vtt", "webm", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: a county does not send its staff's e-mail hashes to a third party (GDPR), and the
# admin's CSP blocked the plain-http avatar anyway (console errors on every admin page).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
# Autosave off: it creates pages nobody saved and logs one history row per autosave of an
# entry (docs/decisions/0006-staff-journeys.md). Editing sessions still warn about others.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# A new translation starts as a draft: only who may publish (docs/roles.md) makes it live.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Security headers that hold in every environment; production adds HSTS and secure cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail marks its preview views SAMEORIGIN itself, so everything else can refuse framing.
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# A strict policy for public pages. The admin gets its own, looser one (see cms.middleware)
# because Wagtail's editor needs inline styles and data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The nonce admits the one <style> element that sets the county colour from settings.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# One process needs no more than memory; several (gunicorn workers, app servers) share Redis,
# where the data and site versions live (`cms.cache`). Production requires REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": alias,
            "TIMEOUT": 3600,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
        for alias in ("default", "renditions")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "zukunftsprofil",
        },
        # Wagtail looks renditions up here before asking the database.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "zukunftsprofil-renditions",
            "TIMEOUT": 3600,
        },
    }

# Derived catalogue data (facet bit sets, options, aggregates) is rebuilt by the task worker
# after each change where one runs (production); otherwise the first request builds it.
DERIVED_DATA_IN_BACKGROUND = False

# Whole anonymous responses (cms.response_cache): how long an unchanged page stays cached, and a
# shared max-age for a CDN in front (0: every cache revalidates, answered with 304).
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "3600"))
RESPONSE_CACHE_SHARED_MAX_AGE = int(os.environ.get("RESPONSE_CACHE_SHARED_MAX_AGE", "0"))
RESPONSE_CACHE_PURGE_TOKEN = os.environ.get("RESPONSE_CACHE_PURGE_TOKEN", "")

# Exports written at the same time across all app servers (cached ones are streamed from the cache
# without a place), how long a request waits for a place, how long for a file another request is
# writing, and how long a place is held at most (gunicorn's timeout: a killed worker cannot give it back).
EXPORT_CONCURRENCY = int(os.environ.get("EXPORT_CONCURRENCY", "2"))
EXPORT_WAIT_SECONDS = int(os.environ.get("EXPORT_WAIT_SECONDS", "60"))
EXPORT_SAME_FILE_WAIT_SECONDS = 5
EXPORT_SLOT_SECONDS = int(os.environ.get("GUNICORN_TIMEOUT", "120"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own default config gives "django" a console handler of its own; replacing it here
    # keeps every line once (it would otherwise also reach the root's handler).
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"), "propagate": False}
    },
}

# Words county spreadsheets use for a status, and the status (by its slug) they mean. A word
# counts only where a status with that slug exists; any other word is a row error until the
# coordinator maps it in the import preview.
CATALOGUE_IMPORT_STATUS_SYNONYMS = {
    "in Bearbeitung": "in-umsetzung",
    "in Arbeit": "in-umsetzung",
    "laufend": "in-umsetzung",
    "begonnen": "in-umsetzung",
    "geplant": "in-planung",
    "in Vorbereitung": "in-planung",
    "erledigt": "abgeschlossen",
    "fertig": "abgeschlossen",
    "umgesetzt": "abgeschlossen",
    "pausiert": "zurueckgestellt",
    "ruht": "zurueckgestellt",
    "gestrichen": "entfallen",
    "verworfen": "entfallen",
}
# API v3: interactive docs and the OpenAPI schema at /api/v3/docs/ and /api/v3/openapi.json.
WAGTAILAPI_DOCS_ENABLED = True
WAGTAILAPI_LIMIT_MAX = 100
# Calls per API token and window in seconds, counted in the shared cache.
CATALOGUE_API_RATE = (int(os.environ.get("CATALOGUE_API_CALLS", "60")), 60)

# Names of the goal levels (level 1 = top goal). Shown in admin and on public pages.
GOAL_LEVEL_NAMES = [_("Leitziel"), _("Teilziel"), _("Unterziel")]

# The design system's pattern library at /muster/ (cms/patterns.py): for development only.
PATTERN_LIBRARY = False
