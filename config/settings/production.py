"""Production: refuses to start without a secret key and a database; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

for required in ("DJANGO_SECRET_KEY", "DATABASE_URL"):
    if not env(required):
        raise ImproperlyConfigured(f"Set the {required} environment variable to run in production.")

DEBUG = False

# TLS ends at the proxy in front (nginx or a load balancer), which sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe the health check over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Persistent connections are re-checked before use, so a database fail-over is survived.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

LOGGING["root"]["level"] = env("LOG_LEVEL", "INFO")
LOGGING["loggers"]["django.security"] = {"level": "WARNING"}
