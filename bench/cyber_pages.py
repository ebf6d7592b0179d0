"""The signed-in cyber pages the benchmark measures, and sessions to measure them with.

    python -m bench.cyber_pages

Prints {"cookies": {"lead": header, "staff": header}, "sessions": {"lead": key, "staff": key},
"pages": {name: {"url": ..., "as": "lead" | "staff"}}} as JSON: each header is the Cookie a
browser would send, with the session and a CSRF cookie (as every browser that has seen a form
here holds). Run after bench.generate (bench/cyber_data.py),
against the same database. Each session is what a sign-in with password and authenticator
leaves behind: the person, and the device that verified the second factor.
"""

import json
import os


def sessions() -> dict[str, str]:
    """A fresh, two-factor-verified session for the bench CAF lead and for programme staff."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.cyber_data import BENCH_LEAD_EMAIL, BENCH_STAFF_EMAIL
    from localdigital.accounts.models import User

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    keys = {}
    for name, email in (("lead", BENCH_LEAD_EMAIL), ("staff", BENCH_STAFF_EMAIL)):
        user = User.objects.get(email=email)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys[name] = session.session_key
    return keys


def pages() -> dict[str, dict[str, str]]:
    """The task list and one outcome page of the bench council's organisation assessment (a
    draft its CAF lead is answering), and the sector benchmark for programme staff."""
    from django.urls import reverse

    from bench.cyber_data import BENCH_LEAD_EMAIL
    from localdigital.cyber.models import Assessment, CyberRole

    role = CyberRole.objects.get(user__email=BENCH_LEAD_EMAIL)
    assessment = Assessment.objects.get(
        cycle__organisation=role.organisation,
        cycle__year__isnull=False,
        kind=Assessment.Kind.ORGANISATION,
        status=Assessment.Status.DRAFT,
    )
    return {
        "cyber_task_list": {
            "url": reverse("cyber:task_list", kwargs={"pk": assessment.pk}),
            "as": "lead",
        },
        "cyber_outcome": {
            "url": reverse("cyber:outcome", kwargs={"pk": assessment.pk, "node_code": "A1.a"}),
            "as": "lead",
        },
        "cyber_benchmark": {"url": reverse("cyber:benchmark"), "as": "staff"},
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.conf import settings
    from django.utils.crypto import get_random_string

    keys = sessions()
    cookies = {
        name: f"{settings.SESSION_COOKIE_NAME}={key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
        for name, key in keys.items()
    }
    print(json.dumps({"cookies": cookies, "sessions": keys, "pages": pages()}))


if __name__ == "__main__":
    main()
