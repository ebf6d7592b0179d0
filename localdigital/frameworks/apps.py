from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "localdigital.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"
