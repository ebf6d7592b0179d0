"""Background tasks for notifications (run by `make worker`; immediately in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from localdigital.notifications.models import Notification


@task()
def email_notification(notification_id: int) -> None:
    """Email a notification to its recipient, once."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    send_mail(
        subject=notification.title,
        message=f"{notification.body}{link}".strip(),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
