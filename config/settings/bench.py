"""The benchmark (`make bench`): production settings, but over plain HTTP on the loopback.

Only `python -m bench.run` uses these. They add the floor view (bench/urls.py) and point static
files at bench/results, which is never committed.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
# Fixed on purpose: the benchmark serves generated data on 127.0.0.1 only, never real people.
SECRET_KEY = "bench-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1"]
SITE_URL = "http://127.0.0.1:8790"
ROOT_URLCONF = "bench.urls"

# As production (config/settings/production.py) apart from TLS, which a loopback bench lacks.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"

# Per-IP API throttling would turn a one-machine load test into a test of the throttle.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": None, "user": None}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"]["level"] = env("LOG_LEVEL", "WARNING")
