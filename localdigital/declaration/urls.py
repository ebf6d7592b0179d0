"""Routes under /declaration/. Public pages and the signatories' own pages live in two modules."""

from localdigital.declaration.views import manage_urls, public_urls

app_name = "declaration"

urlpatterns = [*public_urls.urlpatterns, *manage_urls.urlpatterns]
