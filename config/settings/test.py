"""The test suite: fast hashing, tasks run at once, mail kept in memory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
ALLOWED_HOSTS = ["*"]
AXES_ENABLED = True
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": None, "user": None}

# Serve straight from the build folder; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Pages render afresh in tests so query counts are pinned on real work; the cache has its own
# tests, which turn it on.
HUB_PAGE_CACHE = False
PIPELINE_INDEX_BACKGROUND_REFRESH = False

# Evidence uploads go to a throwaway folder, never into the checkout.
HUB_PRIVATE_MEDIA_ROOT = str(Path(tempfile.gettempdir()) / f"hub-test-private-media-{os.getpid()}")
