from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from localdigital.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("localdigital.core.urls")),
    path("accounts/", include("localdigital.accounts.urls")),
    path("organisations/", include("localdigital.organisations.urls")),
    path("declaration/", include("localdigital.declaration.urls")),
    path("pipeline/", include("localdigital.pipeline.urls")),
    path("catalogue/", include("localdigital.catalogue.urls")),
    path("estate/", include("localdigital.estate.urls")),
    path("cyber/", include("localdigital.cyber.urls")),
    path("frameworks/", include("localdigital.frameworks.urls")),
    path("audit/", include("localdigital.audit.urls")),
    path("notifications/", include("localdigital.notifications.urls")),
    path("api/", include("localdigital.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "localdigital.core.views.error_400"
handler403 = "localdigital.core.views.error_403"
handler404 = "localdigital.core.views.error_404"
handler500 = "localdigital.core.views.error_500"

if settings.DEBUG:
    # Let developers see the error pages as visitors do.
    urlpatterns += [
        path("_errors/404/", core_views.error_404),
        path("_errors/500/", core_views.error_500),
    ]
