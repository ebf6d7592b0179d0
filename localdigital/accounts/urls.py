from django.urls import path

from localdigital.accounts.views import auth, people, profile, two_factor

app_name = "accounts"

urlpatterns = [
    path("sign-up/", auth.sign_up, name="sign_up"),
    path("check-your-email/", auth.check_email, name="check_email"),
    path("check-your-email/resend/", auth.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", auth.verify_email, name="verify_email"),
    path("sign-in/", auth.sign_in, name="sign_in"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path("password-reset/", auth.password_reset, name="password_reset"),
    path("password-reset/sent/", auth.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<str:uidb64>/<str:token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/", auth.password_change, name="password_change"),
    path("profile/", profile.profile, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
    path("join/", profile.join, name="join"),
    path("tokens/new/", profile.token_create, name="token_create"),
    path("tokens/created/", profile.token_created, name="token_created"),
    path("tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path("two-factor/", two_factor.two_factor, name="two_factor"),
    path("two-factor/backup-codes/", two_factor.backup_codes, name="backup_codes"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
]
