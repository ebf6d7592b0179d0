"""Routes under /pipeline/. Each area's module lists its own routes; item pages (by slug) last."""

from localdigital.pipeline.views import find, interest, items, portfolio

app_name = "pipeline"

urlpatterns = [
    *find.urlpatterns,
    *portfolio.urlpatterns,
    *interest.urlpatterns,
    *items.urlpatterns,
]
