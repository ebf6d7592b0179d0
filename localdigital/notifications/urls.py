from django.urls import path

from localdigital.accounts.views import placeholder

app_name = "notifications"

urlpatterns = [path("", placeholder, name="list")]
