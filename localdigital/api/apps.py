from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "localdigital.api"
    label = "api"
