from django.urls import path

from localdigital.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.placeholder, name="sign_up"),
    path("sign-in/", views.placeholder, name="sign_in"),
    path("sign-out/", views.placeholder, name="sign_out"),
    path("profile/", views.placeholder, name="profile"),
    path("two-factor/", views.placeholder, name="two_factor"),
]
