"""Operations: the health check, the GOV.UK error pages and the production settings."""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as hub_urlpatterns


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Something went wrong in a view")


def _accepts_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Sent")


# The Hub's own routes plus views that fail on purpose; the error handlers are the Hub's.
urlpatterns = [
    path("_test/forbidden/", _forbidden),
    path("_test/broken/", _broken),
    path("_test/form/", _accepts_post),
    *hub_urlpatterns,
]
handler403 = "localdigital.core.views.error_403"
handler404 = "localdigital.core.views.error_404"
handler500 = "localdigital.core.views.error_500"

DATABASE_DOWN = "could not connect to server: Connection refused"


@contextmanager
def database_down(error: type[Exception] = OperationalError) -> Iterator[None]:
    """Every query fails as it would when the database server is unreachable."""

    def refuse(execute, sql, params, many, context):  # noqa: ANN001 - Django's wrapper signature
        raise error(DATABASE_DOWN)

    with connection.execute_wrapper(refuse):
        yield


def page(response: HttpResponse) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def heading_and_title(response: HttpResponse) -> tuple[str, str]:
    soup = page(response)
    return soup.select_one("main#main-content h1.govuk-heading-l").text.strip(), soup.title.text


def test_health_check_answers_503_in_json_when_the_database_is_unavailable(client, db):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_check_is_not_cached_when_the_database_is_fine(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_missing_page_shows_the_govuk_page_not_found_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    heading, title = heading_and_title(response)
    assert heading == "Page not found"
    assert title == "Page not found - Local Digital Hub"
    assert page(response).select_one(".govuk-footer") is not None


@pytest.mark.urls(__name__)
def test_a_forbidden_page_shows_the_govuk_permission_page(client, db):
    response = client.get("/_test/forbidden/")

    assert response.status_code == 403
    heading, _ = heading_and_title(response)
    assert heading == "You do not have permission to see this page"


@pytest.mark.urls(__name__)
def test_a_form_without_a_valid_csrf_token_shows_the_permission_page_with_advice(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/_test/form/", {"name": "Hackney"})

    assert response.status_code == 403
    assert "The form you sent had expired" in page(response).select_one("main").text


@pytest.mark.urls(__name__)
def test_an_unexpected_error_shows_the_govuk_problem_with_the_service_page(db):
    client = Client(raise_request_exception=False)

    response = client.get("/_test/broken/")

    assert response.status_code == 500
    heading, title = heading_and_title(response)
    assert heading == "Sorry, there is a problem with the service"
    assert title == "Sorry, there is a problem with the service - Local Digital Hub"
    assert "Something went wrong" not in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_outage_shows_the_govuk_service_unavailable_page(db, error):
    client = Client(raise_request_exception=False)

    with database_down(error):
        response = client.get("/")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    heading, title = heading_and_title(response)
    assert heading == "Sorry, the service is unavailable"
    assert title == "Sorry, the service is unavailable - Local Digital Hub"
    assert "We have not lost any of your information." in page(response).text
    assert DATABASE_DOWN not in response.content.decode()


def test_the_service_unavailable_page_keeps_the_content_security_policy(db):
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.get("/")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for script in page(response).find_all("script"):
        assert script.get("src")


def production_environment(**overrides: str) -> dict[str, str]:
    """A clean environment for a subprocess running the production settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_", "NOTIFY_"))
    }
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    environment.update(overrides)
    return environment


def run_manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("missing", "present"),
    [
        ("DJANGO_SECRET_KEY", {"DATABASE_URL": "postgres://hub:hub@127.0.0.1:5432/hub"}),
        ("DATABASE_URL", {"DJANGO_SECRET_KEY": "x" * 60}),
    ],
)
def test_production_settings_refuse_to_start_without_a_required_variable(missing, present):
    result = run_manage("check", environment=production_environment(**present))

    assert result.returncode != 0
    assert f"Set the {missing} environment variable to run in production." in result.stderr


def test_production_settings_pass_djangos_deployment_checks_with_no_warnings(tmp_path):
    environment = production_environment(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="hub.example.gov.uk",
    )

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", environment=environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transaction modes only")
@pytest.mark.parametrize(("method", "expected"), [("get", "DEFERRED"), ("post", "IMMEDIATE")])
def test_sqlite_reads_start_deferred_transactions_and_writes_immediate_ones(
    rf, db, method, expected
):
    from localdigital.core.middleware import SQLiteReadTransactionMiddleware

    seen = {}

    def view(request):
        seen["mode"] = connection.transaction_mode
        return HttpResponse("ok")

    SQLiteReadTransactionMiddleware(view)(getattr(rf, method)("/"))
    assert seen["mode"] == expected
    assert connection.transaction_mode == "IMMEDIATE", "the configured mode is restored"


def test_a_database_outage_before_any_view_still_gets_the_503_page(rf, db):
    from localdigital.core.views import error_500

    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = error_500(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Sorry, the service is unavailable" in response.content


def test_other_failures_get_the_500_page(rf, db):
    from localdigital.core.views import error_500

    try:
        raise ValueError("a bug")
    except ValueError:
        response = error_500(rf.get("/"))
    assert response.status_code == 500
