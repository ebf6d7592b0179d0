from django.urls import path

from localdigital.accounts.views import placeholder

app_name = "organisations"

urlpatterns = [
    path("", placeholder, name="list"),
    path("<str:code>/", placeholder, name="detail"),
]
