"""Account emails, sent by the worker after the transaction that asked for them commits.

Tasks take only the person's id: the links are made here, so no secret sits in the task queue.
"""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from localdigital.accounts import tokens
from localdigital.accounts.models import User


def _days(seconds: int) -> str:
    days = max(1, seconds // 86400)
    return "1 day" if days == 1 else f"{days} days"


@task()
def email_verification_send(user_id: int) -> None:
    """Email a link that confirms the person's email address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.is_email_verified:
        return
    send_mail(
        subject=f"Confirm your email address for the {settings.SERVICE_NAME}",
        message=(
            f"Hello {user.full_name},\n\n"
            f"Use this link to confirm your email address:\n\n"
            f"{tokens.email_verification_url(user)}\n\n"
            f"The link works for {_days(settings.HUB_EMAIL_VERIFICATION_MAX_AGE)}. "
            "If you did not create an account, ignore this email."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@task()
def password_reset_send(user_id: int) -> None:
    """Email a link that lets the person choose a new password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_mail(
        subject=f"Reset your password for the {settings.SERVICE_NAME}",
        message=(
            f"Hello {user.full_name},\n\n"
            f"Use this link to choose a new password:\n\n"
            f"{tokens.password_reset_url(user)}\n\n"
            "If you did not ask to reset your password, ignore this email: your password "
            "has not changed."
        ),
        from_email=None,
        recipient_list=[user.email],
    )
