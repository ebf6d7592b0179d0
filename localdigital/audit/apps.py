from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "localdigital.audit"
    label = "audit"
