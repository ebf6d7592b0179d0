"""Routes under /estate/. Each view module lists its own routes; fixed paths come before the
sector pages, whose last routes take slugs."""

from localdigital.estate.views import imports, pathways, procurement, products, register, sector

app_name = "estate"

urlpatterns = [
    *imports.urlpatterns,
    *procurement.urlpatterns,
    *pathways.urlpatterns,
    *register.urlpatterns,
    *products.urlpatterns,
    *sector.urlpatterns,
]
