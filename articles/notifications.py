"""The review email: an article a contributor submits is mailed to those who may publish it.

Queued once the change commits, through the site's one mail queue (``comments/mailing.py``),
so a mail server never delays or fails the contributor's save.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from comments import mailing
from comments.notifications import one_line

logger = logging.getLogger(__name__)


def publisher_emails() -> list[str]:
    """Every active account that may publish articles (the Editors), each address once."""
    # What ModelBackend.with_perm() asks, which needs naming one of the site's two backends.
    publish = Q(content_type__app_label="articles", codename="publish_article")
    users = get_user_model().objects.filter(
        Q(groups__permissions__in=Permission.objects.filter(publish))
        | Q(user_permissions__in=Permission.objects.filter(publish)),
        is_active=True,
    )
    unique = {}
    addresses = users.exclude(email="").order_by("pk").values_list("email", flat=True)
    for address in addresses.distinct():
        unique.setdefault(address.strip().casefold(), address.strip())
    return list(unique.values())


def submitted_for_review(article: Article, submitter) -> None:
    """Queue the email to the editors. Never raises: the article is saved either way."""
    try:
        message = review_email(article, submitter)
    except Exception:
        logger.exception("Could not write the review email for article %s.", article.pk)
        return
    if message is not None:
        mailing.send_after_commit(message)


def review_email(article: Article, submitter) -> EmailMessage | None:
    recipients = publisher_emails()
    if not recipients:
        return None
    headline = one_line(article.headline)
    subject = _('[%(site)s] Ready for review: "%(headline)s"') % {
        "site": one_line(settings.NEWSROOM_SITE_NAME),
        "headline": headline,
    }
    admin_url = reverse("admin:articles_article_change", args=[article.pk])
    queue_url = reverse("admin:articles_article_changelist") + "?state=review"
    context = {
        "headline": headline,
        "byline": one_line(article.byline.name),
        "submitter": one_line(submitter.get_username()) if submitter else "",
        "preview_url": settings.NEWSROOM_SITE_URL + article.get_absolute_url(),
        "admin_url": settings.NEWSROOM_SITE_URL + admin_url,
        "queue_url": settings.NEWSROOM_SITE_URL + queue_url,
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("articles/email/review_requested.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
