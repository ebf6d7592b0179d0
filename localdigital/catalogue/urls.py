"""Routes under /catalogue/. Fixed paths first, asset pages (by slug) last."""

from localdigital.catalogue.views import adoption, assets, tcop

app_name = "catalogue"

urlpatterns = [
    *adoption.urlpatterns,
    *tcop.urlpatterns,
    *assets.urlpatterns,
]
