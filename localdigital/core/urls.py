from django.urls import path

from localdigital.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.static_page("core/accessibility.html"), name="accessibility"),
    path("privacy/", views.static_page("core/privacy.html"), name="privacy"),
    path("cookies/", views.static_page("core/cookies.html"), name="cookies"),
    path(
        "open-data-licence/",
        views.static_page("core/open_data_licence.html"),
        name="open_data_licence",
    ),
    path("attribution/", views.static_page("core/attribution.html"), name="attribution"),
]
