import os

from .base import *  # noqa: F403

DEBUG = True
PATTERN_LIBRARY = True
SERVE_MEDIA = True
SECRET_KEY = "dev-only-not-secret-zukunftsprofil"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# Mails (workflow notices, reminders) land as files in var/mail/ so they do not drown the server's
# output; EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend prints them instead.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
