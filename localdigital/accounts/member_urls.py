"""Routes under /organisations/<code>/members/ (the organisation admin's member pages).

Included by organisations/urls.py, so names are `organisations:members:<name>`.
"""

from django.urls import path

from localdigital.accounts.views import members

app_name = "members"

urlpatterns = [
    path("", members.member_list, name="list"),
    path("<int:pk>/approve/", members.member_approve, name="approve"),
    path("<int:pk>/decline/", members.member_decline, name="decline"),
    path("<int:pk>/role/", members.member_role, name="role"),
    path("<int:pk>/remove/", members.member_remove, name="remove"),
]
