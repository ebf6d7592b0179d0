"""URL patterns for this group of Declaration pages (joined in localdigital/declaration/urls.py).

Signing and managing commitments: organisation admins, partner admins and programme staff.
"""

from django.urls import path

from localdigital.declaration.views import manage

urlpatterns: list = [
    path("organisations/<str:code>/sign/", manage.sign, name="sign"),
    path("organisations/<str:code>/sign/check/", manage.sign_check, name="sign_check"),
    path("organisations/<str:code>/sign/confirmation/", manage.sign_done, name="sign_done"),
    path("organisations/<str:code>/withdraw/", manage.withdraw, name="withdraw"),
    path(
        "organisations/<str:code>/commitments/new/",
        manage.commitment_new,
        name="commitment_new",
    ),
    path("signings/record/", manage.signing_record, name="signing_record"),
    path("signings/<int:pk>/correct/", manage.signing_correct, name="signing_correct"),
    path("commitments/<int:pk>/", manage.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", manage.commitment_edit, name="commitment_edit"),
    path(
        "commitments/<int:pk>/progress/",
        manage.commitment_progress,
        name="commitment_progress",
    ),
    path(
        "commitment-partners/<int:pk>/respond/",
        manage.partner_respond,
        name="partner_respond",
    ),
]
