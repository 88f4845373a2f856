"""Settings of the server that `import_bench.py` reads from: the development settings plus a trivial view."""

from cms.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "import_server_urls"
