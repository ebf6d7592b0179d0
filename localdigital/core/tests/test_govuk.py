"""The form adapter: Django fields become the official GOV.UK macros with errors linked."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.template import engines
from django.utils import timezone

from localdigital.core.forms import GovukDateField


class ExampleForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)
    nation = forms.ChoiceField(
        label="Nation", choices=[("", "Any"), ("england", "England"), ("wales", "Wales")]
    )
    phase = forms.ChoiceField(
        label="Phase", widget=forms.RadioSelect, choices=[("alpha", "Alpha"), ("beta", "Beta")]
    )
    types = forms.MultipleChoiceField(
        label="Council types",
        widget=forms.CheckboxSelectMultiple,
        choices=[("UA", "Unitary"), ("NMD", "District")],
        required=False,
    )
    agree = forms.BooleanField(label="I agree to the principles")
    signed_on = GovukDateField(label="Date signed", allow_future=False)


def render(form: forms.Form) -> BeautifulSoup:
    template = engines["jinja2"].from_string(
        '{% from "components/forms.html" import fields, error_summary %}'
        "{{ error_summary(form) }}{{ fields(form) }}"
    )
    return BeautifulSoup(template.render({"form": form}), "html.parser")


def test_each_widget_is_drawn_by_its_govuk_macro():
    soup = render(ExampleForm())
    assert soup.select_one("input.govuk-input#id_email")["type"] == "email"
    assert soup.select_one(".govuk-password-input input#id_password")["type"] == "password"
    assert soup.select_one("textarea.govuk-textarea#id_summary") is not None
    assert [o["value"] for o in soup.select("select.govuk-select#id_nation option")] == [
        "",
        "england",
        "wales",
    ]
    assert soup.select_one(".govuk-radios input#id_phase")["value"] == "alpha"
    assert len(soup.select(".govuk-checkboxes input[name=types]")) == 2
    assert soup.select_one(".govuk-checkboxes input[name=agree]")["value"] == "true"
    assert {i["name"] for i in soup.select(".govuk-date-input input")} == {
        "signed_on-day",
        "signed_on-month",
        "signed_on-year",
    }
    assert soup.select_one(".govuk-error-summary") is None


def test_errors_show_in_the_summary_with_links_to_each_field():
    form = ExampleForm(
        data={
            "email": "not-an-email",
            "signed_on-day": "31",
            "signed_on-month": "2",
            "signed_on-year": "2024",
        }
    )
    assert not form.is_valid()
    soup = render(form)
    links = {a["href"]: a.text.strip() for a in soup.select(".govuk-error-summary__list a")}
    assert links["#id_email"] == (
        "Enter an email address in the correct format, like name@example.com"
    )
    assert links["#id_phase"] == "This field is required."
    assert links["#id_signed_on-day"] == "Date signed must be a real date"
    # the anchors exist on the page, so the links land on the field
    for href in links:
        assert soup.select_one(href) is not None, href
    assert "govuk-form-group--error" in soup.select_one("#id_email").find_parent("div")["class"]


def test_entered_values_are_kept_when_the_form_is_shown_again():
    form = ExampleForm(
        data={
            "email": "a@b.gov.uk",
            "nation": "wales",
            "phase": "beta",
            "types": ["NMD"],
            "password": "secret",
        }
    )
    form.is_valid()
    soup = render(form)
    assert soup.select_one("#id_email")["value"] == "a@b.gov.uk"
    assert soup.select_one("#id_nation option[value=wales]").has_attr("selected")
    assert soup.select_one("input[name=phase][value=beta]").has_attr("checked")
    assert soup.select_one("input[name=types][value=NMD]").has_attr("checked")
    assert soup.select_one("#id_password").get("value", "") == "", "passwords are never echoed"


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date signed"),
        ("4", "", "2024", "Date signed must include a month"),
        ("", "", "2024", "Date signed must include a day and a month"),
        ("30", "2", "2024", "Date signed must be a real date"),
        ("1", "1", "24", "Year must include 4 numbers"),
    ],
)
def test_date_field_gives_the_govuk_message_for_each_mistake(day, month, year, message):
    field = GovukDateField(label="Date signed")
    with pytest.raises(forms.ValidationError) as error:
        field.clean([day, month, year])
    assert error.value.messages == [message]


def test_date_field_refuses_a_future_date_when_told_to():
    field = GovukDateField(label="Date signed", allow_future=False)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(forms.ValidationError) as error:
        field.clean([str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)])
    assert error.value.messages == ["Date signed must be today or in the past"]
    assert field.clean(["4", "6", "2024"]) == datetime.date(2024, 6, 4)


def test_a_date_missing_a_part_links_to_and_marks_only_the_missing_box():
    form = ExampleForm(data={"signed_on-day": "4", "signed_on-month": "6", "signed_on-year": ""})
    form.is_valid()
    soup = render(form)
    links = {a.text.strip(): a["href"] for a in soup.select(".govuk-error-summary__list a")}
    assert links["Date signed must include a year"] == "#id_signed_on-year"
    marked = {i["name"] for i in soup.select(".govuk-date-input input.govuk-input--error")}
    assert marked == {"signed_on-year"}


def test_a_date_that_is_not_real_marks_every_box():
    form = ExampleForm(
        data={"signed_on-day": "31", "signed_on-month": "2", "signed_on-year": "2024"}
    )
    form.is_valid()
    soup = render(form)
    marked = {i["name"] for i in soup.select(".govuk-date-input input.govuk-input--error")}
    assert marked == {"signed_on-day", "signed_on-month", "signed_on-year"}
