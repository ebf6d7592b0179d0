"""Email through GOV.UK Notify, as a Django email backend.

Used when `NOTIFY_API_KEY` is set (see config/settings/base.py). Notify sends email only from
templates, so the service needs one email template whose subject is `((subject))` and whose body
is `((body))`; its id goes in `NOTIFY_EMAIL_TEMPLATE_ID`. Each recipient gets its own request.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

NOT_CONFIGURED = (
    "Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID to send email through GOV.UK Notify"
)


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message to each recipient with `send_email_notification`."""

    def __init__(
        self,
        fail_silently: bool = False,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or settings.NOTIFY_API_KEY
        self.template_id = template_id or settings.NOTIFY_EMAIL_TEMPLATE_ID
        if not (self.api_key and self.template_id):
            raise ImproperlyConfigured(NOT_CONFIGURED)
        self.client: NotificationsAPIClient | None = None

    def open(self) -> bool:
        if self.client is None:
            self.client = NotificationsAPIClient(self.api_key)
            return True
        return False

    def close(self) -> None:
        self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        created = self.open()
        sent = 0
        try:
            for message in email_messages:
                if self._send(message):
                    sent += 1
        finally:
            if created:
                self.close()
        return sent

    def _send(self, message: EmailMessage) -> bool:
        recipients = message.recipients()
        if not recipients:
            return False
        assert self.client is not None  # noqa: S101 - open() has just run
        try:
            for address in recipients:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=self.template_id,
                    personalisation={"subject": str(message.subject), "body": str(message.body)},
                )
        except Exception:
            # Notify raises its own HTTP and token errors. Raising lets the task fail, so the
            # notification is not marked as emailed and can be sent again.
            if not self.fail_silently:
                raise
            logger.exception("GOV.UK Notify did not accept an email")
            return False
        return True
