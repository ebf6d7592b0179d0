from django.urls import include, path

from localdigital.accounts.views import placeholder

app_name = "organisations"

urlpatterns = [
    path("", placeholder, name="list"),
    # Membership management for an organisation's admins lives with accounts.
    path("<str:code>/members/", include("localdigital.accounts.member_urls")),
    path("<str:code>/", placeholder, name="detail"),
]
