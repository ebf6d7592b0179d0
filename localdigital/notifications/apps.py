from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "localdigital.notifications"
    label = "notifications"
