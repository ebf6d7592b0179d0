import factory

from localdigital.organisations.models import Membership, Organisation, OrganisationDomain


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    gss_code = factory.Sequence(lambda n: f"E0{n:07d}")
    kind = Organisation.Kind.COUNCIL
    name = factory.Sequence(lambda n: f"Testshire {n} Borough Council")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    nation = Organisation.Nation.ENGLAND
    region = "London"
    la_type = "LBO"
    la_type_name = "London borough"
    is_current = True
    alt_names = ""
    search_text = factory.LazyAttribute(
        lambda o: Organisation(
            code=o.code,
            name=o.name,
            short_name=o.short_name,
            gss_code=o.gss_code,
            alt_names=o.alt_names,
        ).build_search_text()
    )


class OrganisationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"testshire{n}.gov.uk")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("localdigital.accounts.tests.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
