from django.apps import AppConfig


class DeclarationConfig(AppConfig):
    name = "localdigital.declaration"
    label = "declaration"
    verbose_name = "Local Digital Declaration"

    def ready(self) -> None:
        from localdigital.core import sections
        from localdigital.declaration.views.public import organisation_section

        # Early on the council page: whether it signed matters to everyone who visits.
        sections.register("declaration", organisation_section, order=10)
