"""Starting a cycle offers the newest CAF version (4.0, the default from 2026/27) and this
financial year's cycle."""

import datetime as dt
import re

from django.urls import reverse

from localdigital.cyber.forms.cycles import CycleStartForm
from localdigital.frameworks.models import Framework


def test_the_newest_caf_version_and_this_year_are_chosen_to_start_with(
    caf, council, people, verified_client
):
    response = verified_client(people["lead"]).get(
        reverse("cyber:cycle_start", kwargs={"code": council.code})
    )
    page = response.content.decode()
    checked = re.search(r'<input[^>]*value="(\d+)"[^>]*checked[^>]*>', page) or re.search(
        r'<input[^>]*checked[^>]*value="(\d+)"[^>]*>', page
    )
    assert checked is not None
    assert int(checked.group(1)) == caf.pk
    assert caf.version == "4.0"


def test_the_cycle_year_follows_the_financial_year(caf, monkeypatch):
    from django.utils import timezone

    frameworks = list(Framework.objects.filter(framework_id="caf").order_by("-version_order"))
    for today, year in ((dt.date(2027, 3, 31), 2026), (dt.date(2027, 4, 1), 2027)):
        monkeypatch.setattr(timezone, "localdate", lambda today=today: today)
        form = CycleStartForm(frameworks=frameworks, profiles=[])
        assert form.fields["year"].initial == year
