"""Email to editors and readers, sent once the change that asks for it has committed."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger(__name__)


def send_after_commit(message: EmailMessage) -> None:
    """Send ``message`` once the current transaction commits (at once outside one).

    Never raises: what asked for the email is done already, and nobody must be told
    otherwise because of a mail server.
    """
    transaction.on_commit(lambda: _send(message))


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:  # SMTPException, a refused or timed-out connection, a broken backend
        logger.exception("An email to %s was not sent.", ", ".join(message.to))
