from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "localdigital.core"
    label = "core"
