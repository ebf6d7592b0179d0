import datetime as dt

import factory
from django.utils import timezone

from localdigital.organisations.tests.factories import OrganisationFactory
from localdigital.pipeline.models import Item, Partnership, ServiceArea, StatusUpdate, Tag


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Service area {n}")
    position = factory.Sequence(lambda n: n + 1)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " "))


class ItemFactory(factory.django.DjangoModelFactory):
    """A public, active project last updated now (so its review-by date is 90 days away)."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"item-{n}")
    kind = Item.Kind.PROJECT
    title = factory.Sequence(lambda n: f"Shared project {n}")
    summary = "A short summary of the work."
    organisation = factory.SubFactory(OrganisationFactory)
    visibility = Item.Visibility.PUBLIC
    status = Item.Status.ACTIVE
    last_activity_at = factory.LazyFunction(timezone.now)
    last_reviewed_at = factory.LazyAttribute(lambda o: o.last_activity_at)
    review_by = factory.LazyAttribute(lambda o: o.last_reviewed_at.date() + dt.timedelta(days=90))
    published_at = factory.LazyAttribute(
        lambda o: None if o.visibility == Item.Visibility.DRAFT else o.last_activity_at
    )
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.summary}".lower())

    @factory.post_generation
    def match_document(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's hook
        """Items made by services get their matching features at once; so do these."""
        if create:
            from localdigital.pipeline.matching.engine import build_document

            build_document(obj)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    item = factory.SubFactory(ItemFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    item = factory.SubFactory(ItemFactory)
    organisation = factory.LazyAttribute(lambda o: o.item.organisation)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "We finished the discovery."
