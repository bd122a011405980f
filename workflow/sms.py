"""Sending text messages through a pluggable gateway.

``settings.SMS_GATEWAY`` names a class with a ``send(phone, text)`` method; the default writes
the message to the log, which is what development and tests need. A real gateway (a carrier's
or a cloud SMS service) is a small class of the same shape.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message; the notification is retried later."""


class LogSmsGateway:
    """Writes each message to the ``workflow.sms`` log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_gateway():
    """The configured gateway."""
    return import_string(settings.SMS_GATEWAY)()
