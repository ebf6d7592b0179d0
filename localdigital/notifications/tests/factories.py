import factory

from localdigital.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory("localdigital.accounts.tests.factories.UserFactory")
    kind = "test"
    title = factory.Sequence(lambda n: f"Something happened {n}")
    body = "Here is what happened."
    url = "/organisations/HCK/"
