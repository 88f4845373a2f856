from .base import *  # noqa: F403

DEBUG = True
SERVE_MEDIA = True
SECRET_KEY = "dev-only-not-secret-zukunftsprofil"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
