"""The moderator email: a held comment is mailed to the editors (WordPress's
``wp_notify_moderator()``), with links to approve, spam or trash it from the admin.

The email is written once the comment's transaction commits (never for a comment that was
rolled back) and queued for the worker (``comments/mailing.py``), so a slow or broken mail
server never delays the reader's response, fails it, or loses the comment or the email.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from comments import mailing
from comments.models import Comment

logger = logging.getLogger(__name__)

EDITORS = "Editors"
# Line breaks and other control characters: never part of a header, nor of a one-line field.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def comment_posted(comment: Comment) -> None:
    """Called by ``submit_comment`` after the comment is saved: a held comment is mailed to the
    moderators once its transaction commits."""
    if comment.status == Comment.Status.PENDING:
        transaction.on_commit(lambda: notify_moderators(comment))


def comment_reported(comment: Comment, reports: int) -> None:
    """Called by ``hold_reported``: the comment readers reported is mailed to the moderators,
    with how many times, once its transaction commits."""
    transaction.on_commit(lambda: notify_moderators(comment, reports=reports))


def notify_moderators(comment: Comment, reports: int = 0) -> None:
    """Write the moderation email now and queue it for the worker. Never raises: the comment
    is saved already, and a reader must not be told otherwise because of an email."""
    try:
        message = moderation_email(comment, reports=reports)
    except Exception:
        logger.exception("Could not write the moderation email for comment %s.", comment.pk)
        return
    if message is not None:
        # Called after the comment's commit: outside a transaction, queued at once.
        mailing.send_after_commit(message)


def moderator_emails() -> list[str]:
    """``NEWSROOM_MODERATOR_EMAILS`` if set, else every active Editor's address; each once."""
    addresses = settings.NEWSROOM_MODERATOR_EMAILS or (
        get_user_model()
        .objects.filter(is_active=True, groups__name=EDITORS)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    unique = {}
    for address in addresses:
        address = address.strip()
        if address:
            unique.setdefault(address.casefold(), address)
    return list(unique.values())


def moderation_email(comment: Comment, reports: int = 0) -> EmailMessage | None:
    """The plain-text email asking the moderators to decide on ``comment``; None if nobody
    is to be asked. ``reports``: held because readers reported it that many times.

    Nothing the commenter typed goes into a header: their name, email and text are only in
    the body, and the headline in the subject is cut to one line.
    """
    recipients = moderator_emails()
    if not recipients:
        return None
    article = comment.article
    headline = one_line(article.headline)
    subject = _('[%(site)s] Please moderate: "%(headline)s"') % {
        "site": one_line(settings.NEWSROOM_SITE_NAME),
        "headline": headline,
    }
    pending = Comment.objects.pending().count()
    context = {
        "headline": headline,
        "permalink": absolute(comment.get_absolute_url()),
        "author_name": one_line(comment.author_name),
        "author_email": one_line(comment.author_email),
        "author_url": one_line(comment.author_url),
        "ip_address": comment.ip_address,
        "parent_url": absolute(comment.parent.get_admin_url()) if comment.parent_id else "",
        "text": quoted(comment.text),
        "approve_url": moderate_url(comment, "approve"),
        "spam_url": moderate_url(comment, "spam"),
        "trash_url": moderate_url(comment, "trash"),
        "admin_url": absolute(comment.get_admin_url()),
        "pending_count": pending,
        "reports": reports,
        "queue_url": absolute(reverse("admin:comments_comment_changelist") + "?status=pending"),
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("comments/email/moderate_comment.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )


def moderate_url(comment: Comment, action: str) -> str:
    """The admin page that asks an editor to confirm ``action`` (approve, spam or trash)."""
    return absolute(reverse("admin:comments_comment_moderate", args=[comment.pk, action]))


def absolute(path: str) -> str:
    return settings.NEWSROOM_SITE_URL + path


def quoted(text: str) -> str:
    """The comment as an email quotation ("> " before each line), so that nothing in it can
    pass for the email's own lines, such as a fake "Approve it:" link."""
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def one_line(value: str) -> str:
    """``value`` with line breaks and control characters turned into single spaces."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())
