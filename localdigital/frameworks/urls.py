"""Routes under /frameworks/ (the views module holds them)."""

from localdigital.frameworks.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
