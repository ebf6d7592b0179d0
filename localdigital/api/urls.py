"""The REST API, version 1. Each app contributes its routes from its own `api.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from localdigital.accounts import api as accounts_api
from localdigital.api import views
from localdigital.catalogue import api as catalogue_api
from localdigital.cyber import api as cyber_api
from localdigital.declaration import api as declaration_api
from localdigital.estate import api as estate_api
from localdigital.frameworks import api as frameworks_api
from localdigital.organisations import api as organisations_api
from localdigital.pipeline import api as pipeline_api

app_name = "api"

router = DefaultRouter()
organisations_api.register(router)
accounts_api.register(router)
declaration_api.register(router)
pipeline_api.register(router)
frameworks_api.register(router)
catalogue_api.register(router)
estate_api.register(router)
cyber_api.register(router)

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", views.docs, name="docs"),
    path("v1/", include(accounts_api.urlpatterns)),
    path("v1/", include(declaration_api.urlpatterns)),
    path("v1/", include(pipeline_api.urlpatterns)),
    path("v1/", include(frameworks_api.urlpatterns)),
    path("v1/", include(catalogue_api.urlpatterns)),
    path("v1/", include(estate_api.urlpatterns)),
    path("v1/", include(cyber_api.urlpatterns)),
    path("v1/", include(router.urls)),
]
