"""The import, template and export pages: who may use them, what they show, and their queries."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from localdigital.audit.models import AuditEvent
from localdigital.estate.exports import HEADERS
from localdigital.estate.models import CONTRACT_DATES, EstateImport, System
from localdigital.estate.services.imports import import_start
from localdigital.organisations.models import Membership
from localdigital.organisations.tests.factories import MembershipFactory


def csv_file(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return out.getvalue().encode("utf-8")


WASTE = {"Function": "Waste", "Product": "Bartec Collective"}


@pytest.fixture
def bartec(functions, make_product):
    return make_product("Bartec Collective", supplier="Bartec")


@pytest.fixture
def other_member(other_council):
    return MembershipFactory(organisation=other_council, role=Membership.Role.MEMBER).user


@pytest.fixture
def no_council_user(db):
    from localdigital.accounts.tests.factories import UserFactory

    return UserFactory()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def upload(client, council, data: bytes, name: str = "register.csv"):
    return client.post(
        reverse("estate:import", kwargs={"code": council.code}),
        {"file": SimpleUploadedFile(name, data)},
    )


def preview_url(estate_import) -> str:
    return reverse(
        "estate:import_preview",
        kwargs={"code": estate_import.organisation.code, "pk": estate_import.pk},
    )


# Uploading


def test_a_member_sees_the_upload_form_with_the_template_links(client, member, council):
    client.force_login(member)
    response = client.get(reverse("estate:import", kwargs={"code": council.code}))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("input.govuk-file-upload[type=file][name=file]")
    links = [a["href"] for a in page.select("a.govuk-link")]
    assert reverse("estate:import_template", kwargs={"fmt": "xlsx"}) in links
    assert reverse("estate:import_template", kwargs={"fmt": "csv"}) in links


def test_uploading_a_file_shows_its_preview_and_saves_no_systems(client, member, council, bartec):
    client.force_login(member)
    response = upload(client, council, csv_file(WASTE))
    estate_import = EstateImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(estate_import)
    assert not System.objects.exists()
    page = soup(client.get(response["Location"]))
    assert "Check your import" in page.h1.text
    assert page.select_one("form[action$='/apply/'] button").text.strip() == "Import 1 system"


def test_an_xlsx_upload_shows_its_row_errors_before_anything_is_saved(
    client, member, council, bartec
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    sheet.append(["Waste", "Bartec Collective"])
    sheet.append(["Parking", None, None, "Permits", None, None, "Cloud"])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(member)
    response = upload(client, council, out.getvalue(), "register.xlsx")
    page = soup(client.get(response["Location"]))
    cells = [td.text for td in page.select("#row-errors tbody td")]
    assert cells[:2] == ["3", "Hosting"]
    assert not System.objects.exists()


def test_uploading_nothing_shows_an_error_summary(client, member, council):
    client.force_login(member)
    response = client.post(reverse("estate:import", kwargs={"code": council.code}), {})
    page = soup(response)
    link = page.select_one(".govuk-error-summary a[href='#id_file']")
    assert link.text == "Choose a CSV or XLSX file"
    assert page.title.text.startswith("Error:")


def test_an_unreadable_file_is_shown_on_the_form(client, member, council, functions):
    client.force_login(member)
    response = upload(client, council, b"Function,Colour\nWaste,Red\n")
    assert response.status_code == 200
    assert "Colour" in soup(response).select_one(".govuk-error-summary").text
    assert not EstateImport.objects.exists()


# The preview


def test_row_errors_are_listed_with_an_error_summary_and_no_import_button(
    client, member, council, bartec
):
    client.force_login(member)
    upload(
        client,
        council,
        csv_file({**WASTE, "Contract start": "2025-04-01", "Contract end": "2025-03-01"}),
    )
    page = soup(client.get(preview_url(EstateImport.objects.get())))
    assert page.select_one(".govuk-error-summary a[href='#row-errors']")
    cells = [td.text for td in page.select("#row-errors tbody td")]
    assert cells == ["2", "Contract end", CONTRACT_DATES]
    assert not page.select("form[action$='/apply/']")


def test_an_unknown_product_is_mapped_to_a_product_then_imported(client, member, council, bartec):
    client.force_login(member)
    upload(client, council, csv_file({"Function": "Waste", "Product": "Binmaster"}))
    estate_import = EstateImport.objects.get()
    page = soup(client.get(preview_url(estate_import)))
    select = page.select_one("select#id_product_0")
    options = [o["value"] for o in select.select("option")]
    assert "in-house" in options
    assert str(bartec.pk) in options
    assert page.select_one(".govuk-error-summary a[href='#id_product_0']")
    assert not page.select("form[action$='/apply/']")
    response = client.post(preview_url(estate_import), {"product_0": str(bartec.pk)})
    assert response.status_code == 302
    page = soup(client.get(preview_url(estate_import)))
    assert not page.select(".govuk-error-summary")
    apply_url = page.select_one("form[action$='/apply/']")["action"]
    response = client.post(apply_url)
    assert response.status_code == 302
    assert System.objects.get().product == bartec
    page = soup(client.get(preview_url(estate_import)))
    assert "Register imported" in page.select_one(".govuk-panel").text
    register = reverse("estate:register", kwargs={"code": council.code})
    assert page.select_one(f"main a[href='{register}']")


def test_an_unknown_product_marked_in_house_keeps_its_name(client, member, council, bartec):
    client.force_login(member)
    upload(client, council, csv_file({"Function": "Waste", "Product": "Binmaster"}))
    estate_import = EstateImport.objects.get()
    client.post(preview_url(estate_import), {"product_0": "in-house"})
    kwargs = {"code": council.code, "pk": estate_import.pk}
    client.post(reverse("estate:import_apply", kwargs=kwargs))
    assert System.objects.get().other_name == "Binmaster"


def test_a_mapping_left_unanswered_is_shown_in_the_error_summary(client, member, council, bartec):
    client.force_login(member)
    upload(client, council, csv_file({"Function": "Waste", "Product": "Binmaster"}))
    response = client.post(preview_url(EstateImport.objects.get()), {"product_0": ""})
    link = soup(response).select_one(".govuk-error-summary a[href='#id_product_0']")
    assert link.text == "Choose a product for Binmaster, or in-house or other system"


def test_an_applied_import_cannot_be_applied_again(client, member, council, bartec):
    client.force_login(member)
    upload(client, council, csv_file(WASTE))
    estate_import = EstateImport.objects.get()
    apply_url = reverse(
        "estate:import_apply", kwargs={"code": council.code, "pk": estate_import.pk}
    )
    client.post(apply_url)
    client.post(apply_url)
    assert System.objects.count() == 1
    assert AuditEvent.objects.filter(action="estate.import_apply").count() == 1


def test_a_cancelled_import_cannot_be_applied(client, member, council, bartec):
    client.force_login(member)
    upload(client, council, csv_file(WASTE))
    estate_import = EstateImport.objects.get()
    kwargs = {"code": council.code, "pk": estate_import.pk}
    response = client.post(reverse("estate:import_cancel", kwargs=kwargs))
    assert response["Location"] == reverse("estate:import", kwargs={"code": council.code})
    client.post(reverse("estate:import_apply", kwargs=kwargs))
    assert not System.objects.exists()
    estate_import.refresh_from_db()
    assert estate_import.status == EstateImport.Status.CANCELLED


def test_the_preview_makes_the_same_queries_however_many_rows_and_problems(
    client, member, council, bartec
):
    client.force_login(member)

    def queries_for(rows: int) -> int:
        data = csv_file(
            *[{"Function": "Waste", "Product": f"Unknown {n}"} for n in range(rows)],
            *[{"Function": "Waste", "Satisfaction (1 to 5)": "9"} for _ in range(rows)],
        )
        estate_import = import_start(
            actor=member, organisation=council, file_name="r.csv", data=data
        )
        url = preview_url(estate_import)
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries_for(2) == queries_for(40)


# Who may see imports


@pytest.mark.parametrize("who", ["other_member", "no_council_user"])
def test_only_the_councils_members_see_its_import_pages(
    client, request, who, member, council, bartec
):
    estate_import = import_start(
        actor=member, organisation=council, file_name="r.csv", data=csv_file(WASTE)
    )
    client.force_login(request.getfixturevalue(who))
    kwargs = {"code": council.code, "pk": estate_import.pk}
    assert client.get(reverse("estate:import", kwargs={"code": council.code})).status_code == 404
    assert client.get(reverse("estate:import_preview", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("estate:import_apply", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("estate:import_cancel", kwargs=kwargs)).status_code == 404
    export = reverse("estate:export", kwargs={"code": council.code, "fmt": "csv"})
    assert client.get(export).status_code == 404
    assert not System.objects.exists()


def test_an_import_is_not_found_under_another_councils_code(
    client, member, council, other_council, bartec
):
    MembershipFactory(organisation=other_council, user=member)
    estate_import = import_start(
        actor=member, organisation=council, file_name="r.csv", data=csv_file(WASTE)
    )
    client.force_login(member)
    url = reverse(
        "estate:import_preview", kwargs={"code": other_council.code, "pk": estate_import.pk}
    )
    assert client.get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, member, council, bartec):
    estate_import = import_start(
        actor=member, organisation=council, file_name="r.csv", data=csv_file(WASTE)
    )
    kwargs = {"code": council.code, "pk": estate_import.pk}
    for url in (
        reverse("estate:import", kwargs={"code": council.code}),
        reverse("estate:import_preview", kwargs=kwargs),
        reverse("estate:export", kwargs={"code": council.code, "fmt": "xlsx"}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"] or "sign" in response["Location"]
    assert client.post(reverse("estate:import_apply", kwargs=kwargs)).status_code == 302
    assert not System.objects.exists()


# Template and export


def test_anyone_can_download_the_template_in_both_formats(client, functions):
    response = client.get(reverse("estate:import_template", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(header) == HEADERS
    response = client.get(reverse("estate:import_template", kwargs={"fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Systems", "Instructions"]
    assert tuple(c.value for c in workbook["Systems"][1]) == HEADERS
    validations = workbook["Systems"].data_validations.dataValidation
    assert len(validations) >= 10
    instructions = {row[0]: row[2] for row in workbook["Instructions"].iter_rows(values_only=True)}
    assert "Software as a service" in instructions["Hosting"]
    assert "Waste" in instructions["Function"]


def test_an_unknown_template_format_is_not_found(client, db):
    assert client.get("/estate/import/template.pdf").status_code == 404


def test_a_member_exports_the_register_and_the_export_is_audited(
    client, member, council, bartec, functions
):
    System.objects.create(organisation=council, function=functions["waste"], product=bartec)
    client.force_login(member)
    response = client.get(reverse("estate:export", kwargs={"code": council.code, "fmt": "csv"}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["Waste", "Bartec Collective", "Bartec"]
    event = AuditEvent.objects.get(action="estate.register_export")
    assert event.data == {"file_format": "csv"}
