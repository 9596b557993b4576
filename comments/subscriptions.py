"""Follow-up emails: WordPress's "Notify me of follow-up comments by email", done properly.

- **Asking.** A comment posted with the box ticked makes an unconfirmed ``Subscription``
  (replies to the reader's comments on that article, or every new comment on it) and emails
  the address a link to confirm it: nobody is mailed about comments on the say-so of whoever
  typed their address (double opt-in). One confirmation email at a time per address and
  article; an address that confirmed already is not asked again. A comment the policy sent
  to spam asks for nothing. Unconfirmed subscriptions are forgotten after ``CONFIRM_DAYS``.
- **Telling.** When a comment becomes approved (``comments/services.py`` calls
  ``comment_approved`` wherever that happens), the author of the comment it answers and every
  "every new comment" subscriber of the article get one plain-text email each, once the
  change commits; never its own author, and never twice about one comment.
- **Leaving.** Every email carries RFC 8058's one-click unsubscribe (``List-Unsubscribe`` and
  ``List-Unsubscribe-Post``) and the same link in its body.

Links are signed (``django.core.signing``) with the address in the salt: a link works for the
one subscription it was made for, and says nothing about the address in the URL.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from comments.mailing import send_after_commit
from comments.models import Comment, SubscribersNotified, Subscription
from comments.notifications import absolute, one_line, quoted

# How long a confirmation link works, and how long an unconfirmed subscription is kept.
CONFIRM_DAYS = 3
CONFIRM_SALT = "comments.subscriptions.confirm"
UNSUBSCRIBE_SALT = "comments.subscriptions.unsubscribe"
EXCERPT_CHARS = 300
# What the token signs: "<subscription id>-<scope>" (confirm) or "<subscription id>" (leave).
SCOPE_SEPARATOR = "-"


class BadLink(Exception):
    """A link that was damaged, altered, or made for another subscription."""


class ExpiredLink(Exception):
    """A confirmation link older than CONFIRM_DAYS."""


# Asking


def covers(have: str, want: str) -> bool:
    """Does a subscription to ``have`` already bring what ``want`` asks for?"""
    return have == Subscription.Scope.ALL or want == Subscription.Scope.REPLIES


def comment_posted(comment: Comment, scope: str) -> Subscription | None:
    """The reader posted ``comment`` asking for follow-up emails about ``scope``.

    Called by ``submit_comment`` in the comment's transaction. Emails a confirmation link
    unless the address confirmed this already, or one is waiting to be answered. Returns the
    subscription (None when nothing was asked: a comment in spam, an erased address).
    """
    if comment.status == Comment.Status.SPAM or not comment.author_email:
        return None
    now = timezone.now()
    mine = Subscription.objects.of(comment.author_email).filter(article_id=comment.article_id)
    subscription = mine.select_for_update().first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    article_id=comment.article_id,
                    email=comment.author_email,
                    scope=scope,
                    created_at=now,
                    confirmation_sent_at=now,
                )
        except IntegrityError:  # the same address asked at the same moment: that one asks
            return mine.first()
        _ask_to_confirm(subscription, scope)
        return subscription
    if subscription.is_confirmed and covers(subscription.scope, scope):
        return subscription  # asked and answered before
    if _awaiting_answer(subscription, now):
        return subscription  # a confirmation email is waiting for an answer: no second one
    if not subscription.is_confirmed:
        subscription.scope = scope
        subscription.created_at = now
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["scope", "created_at", "confirmation_sent_at"])
    _ask_to_confirm(subscription, scope)
    return subscription


def awaits_confirmation(email: str, article_id: int) -> bool:
    """Has ``email`` been asked to confirm follow-up emails on the article, not yet answered?"""
    return Subscription.objects.of(email).filter(article_id=article_id, confirmed_at=None).exists()


def _awaiting_answer(subscription: Subscription, now) -> bool:
    """Was a confirmation email sent lately and not answered since?"""
    sent = subscription.confirmation_sent_at
    answered = subscription.confirmed_at is not None and subscription.confirmed_at >= sent
    return sent > now - timedelta(days=CONFIRM_DAYS) and not answered


def _ask_to_confirm(subscription: Subscription, scope: str) -> None:
    article = subscription.article
    headline = one_line(article.headline)
    context = {
        "site": one_line(settings.NEWSROOM_SITE_NAME),
        "headline": headline,
        "article_url": absolute(article.get_absolute_url()),
        "every_comment": scope == Subscription.Scope.ALL,
        "confirm_url": absolute(
            reverse("comments:subscription_confirm", args=[confirm_token(subscription, scope)])
        ),
        "days": CONFIRM_DAYS,
    }
    subject = _('[%(site)s] Please confirm: email me follow-up comments on "%(headline)s"') % {
        "site": context["site"],
        "headline": headline,
    }
    send_after_commit(
        EmailMessage(
            subject=subject,
            body=render_to_string("comments/email/subscription_confirm.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscription.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    )


def confirm(subscription: Subscription, scope: str) -> None:
    """The address's owner said yes (a POST from the confirmation page)."""
    subscription.scope = scope
    subscription.confirmed_at = timezone.now()  # the latest answer
    subscription.save(update_fields=["scope", "confirmed_at"])


def unsubscribe(subscription: Subscription, *, everywhere: bool = False) -> int:
    """Stop the follow-up emails of ``subscription`` or, ``everywhere``, of every
    subscription of its address (the link proves the reader reads that address's mail).
    Returns how many subscriptions ended."""
    if everywhere:
        ended, _by_model = Subscription.objects.of(subscription.email).delete()
        return ended
    subscription.delete()
    return 1


def forget_unconfirmed(now=None, *, dry_run: bool = False) -> int:
    """Drop subscriptions nobody confirmed within CONFIRM_DAYS (by the daily clean-up)."""
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True,
        confirmation_sent_at__lt=(now or timezone.now()) - timedelta(days=CONFIRM_DAYS),
    )
    if dry_run:
        return stale.count()
    deleted, _by_model = stale.delete()
    return deleted


# Telling


def comment_approved(comment: Comment) -> None:
    """``comment`` has just become approved: tell its subscribers, once, after commit.

    Called by ``comments/services.py`` in the transaction that approves it, whichever way
    (posted approved, approved from the queue or the moderator email, restored).
    """
    subscribers = _subscribers(comment.article_id)
    if not subscribers or not comment.article.is_public:
        return
    parent_email = _parent_author_email(comment)
    to_tell = [
        subscription
        for subscription in subscribers
        if subscription.email.casefold() != comment.author_email.casefold()
        and (
            subscription.scope == Subscription.Scope.ALL
            or subscription.email.casefold() == parent_email
        )
    ]
    if not to_tell:
        return
    _marker, first_time = SubscribersNotified.objects.get_or_create(comment_id=comment.pk)
    if not first_time:
        return
    for subscription in to_tell:
        is_reply = subscription.email.casefold() == parent_email
        send_after_commit(follow_up_email(comment, subscription, reply=is_reply))


def _subscribers(article_id: int) -> list[Subscription]:
    # One row per address and article (a constraint): nobody is on this list twice.
    return list(Subscription.objects.confirmed().filter(article_id=article_id).order_by("pk"))


def _parent_author_email(comment: Comment) -> str:
    """The address of the approved comment ``comment`` answers, case-folded; "" if none."""
    if comment.parent_id is None:
        return ""
    email = (
        Comment.objects.approved()
        .filter(pk=comment.parent_id)
        .values_list("author_email", flat=True)
        .first()
    )
    return (email or "").casefold()


def follow_up_email(comment: Comment, subscription: Subscription, *, reply: bool) -> EmailMessage:
    """The plain-text email telling ``subscription``'s reader about ``comment``.

    Nothing the commenter typed goes into a header: their name and words are only in the
    body, the words quoted so that no line of them can pass for one of the email's own.
    """
    article = comment.article
    headline = one_line(article.headline)
    site = one_line(settings.NEWSROOM_SITE_NAME)
    leave_url = unsubscribe_url(subscription)
    if reply:
        subject = _('[%(site)s] New reply to your comment on "%(headline)s"')
    else:
        subject = _('[%(site)s] New comment on "%(headline)s"')
    context = {
        "site": site,
        "headline": headline,
        "reply": reply,
        "every_comment": subscription.scope == Subscription.Scope.ALL,
        "author_name": one_line(comment.author_name),
        "by_staff": comment.by_staff,
        "excerpt": quoted(Truncator(comment.text).chars(EXCERPT_CHARS)),
        "comment_url": absolute(comment.get_absolute_url()),
        "unsubscribe_url": leave_url,
    }
    return EmailMessage(
        subject=subject % {"site": site, "headline": headline},
        body=render_to_string("comments/email/reply_notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            # RFC 8058: mail providers offer an unsubscribe button that POSTs to this.
            "List-Unsubscribe": f"<{leave_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


# Links


def _salt(purpose: str, email: str) -> str:
    # The address in the salt: a link made for one address is no good for another.
    return f"{purpose}:{email.strip().casefold()}"


def confirm_token(subscription: Subscription, scope: str) -> str:
    signer = signing.TimestampSigner(salt=_salt(CONFIRM_SALT, subscription.email))
    return signer.sign(f"{subscription.pk}{SCOPE_SEPARATOR}{scope}")


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.Signer(salt=_salt(UNSUBSCRIBE_SALT, subscription.email)).sign(
        str(subscription.pk)
    )
    return absolute(reverse("comments:subscription_unsubscribe", args=[token]))


def _subscription_named_by(token: str) -> Subscription | None:
    """The subscription whose id the token starts with (not yet checked); None if gone."""
    head = token.split(signing.Signer().sep, 1)[0]
    pk = head.split(SCOPE_SEPARATOR, 1)[0]
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        raise BadLink
    return Subscription.objects.select_related("article").filter(pk=int(pk)).first()


def subscription_to_confirm(token: str) -> tuple[Subscription | None, str]:
    """The subscription and scope a confirmation link asks for; (None, "") if the
    subscription is gone (forgotten unconfirmed, or unsubscribed since).

    Raises BadLink for a damaged or altered link, ExpiredLink for an old one.
    """
    subscription = _subscription_named_by(token)
    if subscription is None:
        return None, ""
    signer = signing.TimestampSigner(salt=_salt(CONFIRM_SALT, subscription.email))
    try:
        value = signer.unsign(token, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise BadLink from None
    scope = value.split(SCOPE_SEPARATOR, 1)[1]
    if scope not in Subscription.Scope.values:
        raise BadLink
    return subscription, scope


def subscription_to_leave(token: str) -> Subscription | None:
    """The subscription an unsubscribe link is for; None if it is gone already.

    Raises BadLink for a damaged or altered link, or one made for another address.
    """
    subscription = _subscription_named_by(token)
    if subscription is None:
        return None
    signer = signing.Signer(salt=_salt(UNSUBSCRIBE_SALT, subscription.email))
    try:
        signer.unsign(token)
    except signing.BadSignature:
        raise BadLink from None
    return subscription
