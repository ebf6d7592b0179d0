from django.urls import path

from localdigital.accounts.views import placeholder

app_name = "api"

urlpatterns = [path("v1/docs/", placeholder, name="docs")]
