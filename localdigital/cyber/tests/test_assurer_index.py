"""The cyber start page lists the cycles a person assures, so an assurer need not rely on the
notification's link."""

from django.urls import reverse

from localdigital.cyber.selectors.cycles import cycles_assured_by
from localdigital.organisations.models import Membership


def test_the_assurer_sees_the_cycles_they_assure_and_nobody_else_does(
    cycle, other_cycle, people, verified_client
):
    response = verified_client(people["assurer"]).get(reverse("cyber:index"))
    page = response.content.decode()
    assert "Cycles you assure" in page
    assert reverse("cyber:cycle", kwargs={"pk": cycle.pk}) in page
    assert reverse("cyber:cycle", kwargs={"pk": other_cycle.pk}) not in page
    lead_page = verified_client(people["lead"]).get(reverse("cyber:index")).content.decode()
    assert "Cycles you assure" not in lead_page


def test_an_assurer_who_joins_the_council_no_longer_lists_its_cycle(cycle, people):
    assert list(cycles_assured_by(people["assurer"])) == [cycle]
    Membership.objects.create(
        user=people["assurer"], organisation=cycle.organisation, status=Membership.Status.ACTIVE
    )
    assert list(cycles_assured_by(people["assurer"])) == []


def test_nobody_signed_out_assures_anything(db):
    from django.contrib.auth.models import AnonymousUser

    assert list(cycles_assured_by(AnonymousUser())) == []
