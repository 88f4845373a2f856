"""gunicorn settings of an app server (`make prod`, the Containerfile). Values come from the environment."""

import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8081")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
# Exports stream up to a few megabytes; a sync worker is killed when one request takes longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Workers are replaced now and then, so no slow growth of memory outlives a few thousand requests.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app is loaded once and forked: the workers share its memory pages.
preload_app = True
# The proxy in front says whether the visitor came over HTTPS (Django reads X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
proc_name = os.environ.get("GUNICORN_NAME", "zukunftsprofil")
