import datetime

import factory

from localdigital.declaration.models import Commitment, CommitmentPartner, Principle, Signing
from localdigital.organisations.tests.factories import OrganisationFactory


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"principle-{n}")
    title = factory.Sequence(lambda n: f"Principle {n}")
    explanation = "What this principle asks of a council."
    position = factory.Sequence(lambda n: n)


class SigningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signing

    organisation = factory.SubFactory(OrganisationFactory)
    status = Signing.Status.ACTIVE
    method = Signing.Method.ONLINE
    signed_on = datetime.date(2024, 3, 14)
    signed_on_precision = Signing.DatePrecision.DAY
    senior_officer_name = "Sam Patel"
    senior_officer_role = "Chief Executive"
    political_lead_name = "Councillor Jo Evans"
    political_lead_role = "Leader of the Council"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"Shared booking service {n}")
    mission = "Launch an open booking service for bulky waste collections."
    impact = "Residents book in minutes; staff take fewer calls."
    progress_due_on = datetime.date(2026, 12, 31)


class CommitmentPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentPartner

    commitment = factory.SubFactory(CommitmentFactory)
    organisation = factory.SubFactory(OrganisationFactory)
