"""Email to editors and readers, sent once the change that asks for it has committed.

An email is not sent from the web process: once the transaction commits it is written to the
database queue of Django's tasks API (``django.tasks`` on Django 6, the ``django-tasks``
backport on 5.2, with ``django-tasks-db``'s ``DatabaseBackend``), and a worker
(``manage.py db_worker``, which ``make run`` and ``make serve`` start) sends it. A worker that
stops or restarts leaves the queue as it was; a send the mail server refuses is tried again
after 1, 2, 4, 8… minutes, ``MAX_ATTEMPTS`` times in all, and then logged as an error.
"""

import logging
from datetime import timedelta

import django
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

if django.VERSION >= (6, 0):
    from django.tasks import task
else:
    from django_tasks import task

logger = logging.getLogger(__name__)

# 1 + 2 + 4 + … + 64 minutes: the last attempt is about two hours after the first, long
# enough for a mail server's restart or a provider's short outage.
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)


def send_after_commit(message: EmailMessage) -> None:
    """Send ``message`` once the current transaction commits (at once outside one).

    Never raises: what asked for the email is done already, and nobody must be told
    otherwise because of a mail server.
    """
    try:
        fields = as_task_arguments(message)
    except Exception:
        logger.exception("An email to %s could not be queued.", recipients_text(message.to))
        return
    transaction.on_commit(lambda: _enqueue(fields))


def _enqueue(fields: dict, attempt: int = 1) -> None:
    """Write the email to the queue; a queue that cannot be written (the database gone since
    the commit) is logged, not raised into the request that asked for the email."""
    try:
        if attempt == 1:
            deliver_email.enqueue(fields)
        else:
            run_after = timezone.now() + retry_delay(attempt - 1)
            deliver_email.using(run_after=run_after).enqueue(fields, attempt=attempt)
    except Exception:
        logger.exception(
            "An email to %s could not be queued (attempt %d).",
            recipients_text(fields["to"]),
            attempt,
        )


@task()
def deliver_email(fields: dict, attempt: int = 1) -> None:
    """The worker's task: send the email; if that fails, queue it again for later."""
    try:
        as_message(fields).send()
    except Exception:  # SMTPException, a refused or timed-out connection, a broken backend
        recipients = recipients_text(fields["to"])
        if attempt >= MAX_ATTEMPTS:
            logger.exception(
                "An email to %s was not sent after %d attempts; giving up.", recipients, attempt
            )
            return
        delay = retry_delay(attempt)
        logger.warning(
            "An email to %s was not sent (attempt %d of %d); trying again in %d minutes.",
            recipients,
            attempt,
            MAX_ATTEMPTS,
            delay // timedelta(minutes=1),
            exc_info=True,
        )
        _enqueue(fields, attempt=attempt + 1)


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after the ``failed_attempts``-th failure: 1, 2, 4, 8… minutes."""
    return FIRST_RETRY * 2 ** (failed_attempts - 1)


def as_task_arguments(message: EmailMessage) -> dict:
    """``message`` as JSON for the queue: its text, addresses and headers (such as
    ``List-Unsubscribe``), and its HTML alternative if it has one. Attachments are refused:
    nothing here sends one."""
    if message.attachments:
        raise ValueError("An email with attachments cannot be queued.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def as_message(fields: dict) -> EmailMessage:
    """The email ``as_task_arguments`` wrote, ready to send."""
    message = EmailMultiAlternatives(
        subject=fields["subject"],
        body=fields["body"],
        from_email=fields["from_email"],
        to=fields["to"],
        cc=fields.get("cc", []),
        bcc=fields.get("bcc", []),
        reply_to=fields.get("reply_to", []),
        headers=fields.get("headers", {}),
    )
    for content, mimetype in fields.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def recipients_text(addresses: list[str]) -> str:
    """For the log: how many recipients, never who (the addresses are readers' own)."""
    count = len(addresses)
    return f"{count} recipient" if count == 1 else f"{count} recipients"
