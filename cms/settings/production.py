"""Production settings: every secret and host comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS (comma separated), DATABASE_URL.
Optional: CSRF_TRUSTED_ORIGINS, EMAIL_URL-style parts (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL), REDIS_URL (shared cache),
SECURE_SSL_REDIRECT (default on), WAGTAILADMIN_BASE_URL.
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
SECRET_KEY = env("SECRET_KEY", required=True)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", required=True).split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("The environment variable DATABASE_URL must be set in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
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

if env("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": alias,
        }
        for alias in ("default", "renditions")
    }

WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "https://" + ALLOWED_HOSTS[0])

# The demo county (load_demo, seed_catalogue) only where a showcase installation asks for it.
if env_bool("DEMO_CONTENT", False):
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
