from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "localdigital.organisations"
    label = "organisations"
