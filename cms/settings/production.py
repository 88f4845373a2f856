"""Production settings: every secret and host comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS (comma separated), DATABASE_URL, REDIS_URL (the shared cache
every worker and app server must see: the data version lives there).
Optional: CSRF_TRUSTED_ORIGINS, EMAIL_URL-style parts (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL), SECURE_SSL_REDIRECT (default on),
SECURE_COOKIES (default on), DB_CONN_MAX_AGE (default 600 s), WAGTAILADMIN_BASE_URL,
FRONTEND_CACHE_PURGE_URL and RESPONSE_CACHE_PURGE_TOKEN (the proxy that receives Wagtail's purges),
DERIVED_DATA_IN_BACKGROUND (default on: a task worker, ``manage.py db_worker``, must run).
See docs/deployment.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def env_bool(name, default):
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
PATTERN_LIBRARY = False
SECRET_KEY = env("SECRET_KEY", required=True)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", required=True).split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("The environment variable DATABASE_URL must be set in production.")
# Per-process caches show other workers' visitors stale data: production runs on the shared one.
env("REDIS_URL", required=True)
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "600"))  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True

# The reverse proxy serves MEDIA_ROOT under /media/ (docs/media.md); a single server without
# one lets Django do it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Imports, digests and the rebuild of derived catalogue data run in the task worker
# (`manage.py db_worker`), not in the request that asked for them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DERIVED_DATA_IN_BACKGROUND = env_bool("DERIVED_DATA_IN_BACKGROUND", True)

# Wagtail purges published pages at the proxy; the proxy forwards the PURGE with this token.
if env("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
        }
    }

WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "https://" + ALLOWED_HOSTS[0])

# The demo county (load_demo, seed_catalogue) only where a showcase installation asks for it.
if env_bool("DEMO_CONTENT", False):
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
