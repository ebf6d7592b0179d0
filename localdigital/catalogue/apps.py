from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "localdigital.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from localdigital.catalogue import registrations  # noqa: F401  (sections on other pages)
