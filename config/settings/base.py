"""Settings shared by every environment. Everything configurable comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "localdigital"


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
SERVICE_NAME = "Local Digital Hub"
# Where people write to the team that runs this Hub (shown on the privacy and accessibility pages).
HUB_CONTACT_EMAIL = env("HUB_CONTACT_EMAIL", "programme-team@localdigital.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "localdigital.core",
    "localdigital.accounts",
    "localdigital.organisations",
    "localdigital.audit",
    "localdigital.notifications",
    "localdigital.declaration",
    "localdigital.pipeline",
    "localdigital.frameworks",
    "localdigital.catalogue",
    "localdigital.estate",
    "localdigital.cyber",
    "localdigital.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "localdigital.core.middleware.SQLiteReadTransactionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "localdigital.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "localdigital.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "localdigital.core.jinja2.environment",
            "autoescape": True,
            "context_processors": [
                "localdigital.notifications.context_processors.unread_notifications",
            ],
        },
    },
    {
        # Django admin and DRF's browsable API keep their own Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while the worker writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Keep the file open between requests: reopening would rerun the PRAGMAs every time.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own cache of public pages; keys carry a data version, so processes and
# servers never disagree about what is current (localdigital/core/cache.py, ADR 0007).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hub",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
HUB_PAGE_CACHE = env_bool("HUB_PAGE_CACHE", True)

# Private uploads (cyber evidence files): never under a public address; served only by views
# that check access.
HUB_PRIVATE_MEDIA_ROOT = env("HUB_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))
# Rebuild the Pipeline's in-memory matching index in a background thread after a change, serving
# the previous one meanwhile (ADR 0008). Off in tests, which expect changes to show at once.
PIPELINE_INDEX_BACKGROUND_REFRESH = env_bool("PIPELINE_INDEX_BACKGROUND_REFRESH", True)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content security policy: nonces for the few script tags we own, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): lock an email address + IP after repeated failures.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "localdigital.accounts.views.lockout_response"

OTP_TOTP_ISSUER = "Local Digital Hub"

# Email: console in development; SMTP via EMAIL_URL-style settings; GOV.UK Notify with a key.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Local Digital Hub <noreply@localdigital.example>")
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = env("NOTIFY_EMAIL_TEMPLATE_ID", "")
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "localdigital.notifications.email_backends.NotifyEmailBackend"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "localdigital.accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "localdigital.api.pagination.HubPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Local Digital Hub API",
    "DESCRIPTION": "The Hub's REST API, version 1. Every record the pages show is here too.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`: name each enum after its model so none is renamed later.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "localdigital.organisations.models.Organisation.Kind",
        "StatusEnum": "localdigital.organisations.models.Membership.Status",
        "PipelineItemStatusEnum": "localdigital.pipeline.models.Item.Status",
        "PipelineInterestKindEnum": "localdigital.pipeline.models.Interest.Kind",
        "PipelineInterestStatusEnum": "localdigital.pipeline.models.Interest.Status",
        "PipelineItemKindEnum": "localdigital.pipeline.models.Item.Kind",
        "PipelineItemPhaseEnum": "localdigital.pipeline.models.Item.Phase",
        "PipelineItemVisibilityEnum": "localdigital.pipeline.models.Item.Visibility",
        "CatalogueAssetKindEnum": "localdigital.catalogue.models.Asset.Kind",
        "CatalogueAdoptionStatusEnum": "localdigital.catalogue.models.Adoption.Status",
        "CatalogueDevelopmentStatusEnum": "localdigital.catalogue.models.Asset.DevelopmentStatus",
        "CatalogueMaintenanceEnum": "localdigital.catalogue.models.Asset.Maintenance",
        "EstateHostingEnum": "localdigital.estate.models.Hosting",
        "EstateSupportStatusEnum": "localdigital.estate.models.Product.SupportStatus",
        "EstateCostBandEnum": "localdigital.estate.models.System.CostBand",
        "EstateUserBandEnum": "localdigital.estate.models.System.UserBand",
        "EstateOpenApisEnum": "localdigital.estate.models.System.OpenApis",
        "EstatePlanEnum": "localdigital.estate.models.System.Plan",
        "CyberAssessmentKindEnum": "localdigital.cyber.models.Assessment.Kind",
        "CyberAssessmentStatusEnum": "localdigital.cyber.models.Assessment.Status",
        "CyberAnswerStatusEnum": "localdigital.cyber.models.OutcomeAnswer.Status",
        "CyberActionPriorityEnum": "localdigital.cyber.models.PlanAction.Priority",
        "CyberActionStatusEnum": "localdigital.cyber.models.PlanAction.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# How long unverified sign-ups and read notifications are kept (data minimisation).
HUB_EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3
HUB_UNVERIFIED_ACCOUNT_RETENTION_DAYS = 30
CSRF_FAILURE_VIEW = "localdigital.core.views.csrf_failure"
