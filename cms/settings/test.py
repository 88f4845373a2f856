import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-zukunftsprofil"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads of a test run go to a directory of their own, removed at the end (tests/conftest.py).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zukunftsprofil-media-"))
WAGTAILADMIN_BASE_URL = "http://testserver"

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
