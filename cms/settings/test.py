import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PATTERN_LIBRARY = True
SECRET_KEY = "test-only-not-secret-zukunftsprofil"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads of a test run go to a directory of their own (media/ and private/ inside it), removed at
# the end (tests/conftest.py). Servers and commands the tests start as processes inherit it through
# the environment; each pytest-xdist worker (which inherits the controller's environment) has its own.
_MEDIA_VARIABLE = "_".join(filter(None, ["ZUKUNFTSPROFIL_TEST_MEDIA", os.environ.get("PYTEST_XDIST_WORKER")]))
if _MEDIA_VARIABLE not in os.environ:
    os.environ[_MEDIA_VARIABLE] = tempfile.mkdtemp(prefix="zukunftsprofil-test-")
MEDIA_ROOT = Path(os.environ[_MEDIA_VARIABLE]) / "media"
PRIVATE_MEDIA_ROOT = Path(os.environ[_MEDIA_VARIABLE]) / "private"
WAGTAILADMIN_BASE_URL = "http://testserver"

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# App servers that tests start themselves (tests/test_shared_cache.py) run as in production: the
# shared cache comes from REDIS_URL (base.py), derived data is rebuilt by a task worker.
if os.environ.get("TEST_TASK_WORKER") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DERIVED_DATA_IN_BACKGROUND = True
