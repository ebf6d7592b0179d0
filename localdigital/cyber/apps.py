from django.apps import AppConfig


class CyberConfig(AppConfig):
    name = "localdigital.cyber"
    label = "cyber"
    verbose_name = "Cyber health"
