from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "localdigital.estate"
    label = "estate"
    verbose_name = "Technology estate"

    def ready(self) -> None:
        from localdigital.estate import registrations  # noqa: F401  (sections on other pages)
