from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "localdigital.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"

    def ready(self) -> None:
        from localdigital.pipeline import signals_registry  # noqa: F401  (sections and feeds)
