from django.urls import include, path

from localdigital.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="list"),
    path("new/", views.create, name="new"),
    # Membership management for an organisation's admins lives with accounts.
    path("<str:code>/members/", include("localdigital.accounts.member_urls")),
    path("<str:code>/manage/", views.manage, name="manage"),
    path("<str:code>/manage/details/", views.details_update, name="details_update"),
    path("<str:code>/manage/domains/", views.domain_add, name="domain_add"),
    path(
        "<str:code>/manage/domains/<int:pk>/remove/",
        views.domain_remove,
        name="domain_remove",
    ),
    path("<str:code>/", views.detail, name="detail"),
]
