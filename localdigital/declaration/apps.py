from django.apps import AppConfig


class DeclarationConfig(AppConfig):
    name = "localdigital.declaration"
    label = "declaration"
    verbose_name = "Local Digital Declaration"
