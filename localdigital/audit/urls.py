from django.urls import path

from localdigital.accounts.views import placeholder

app_name = "audit"

urlpatterns = [path("", placeholder, name="list")]
