from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "localdigital.estate"
    label = "estate"
    verbose_name = "Technology estate"
