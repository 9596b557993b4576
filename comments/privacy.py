"""A commenter's personal data: export it, erase it, and let it age out.

Like WordPress's personal-data exporter and eraser (``wp_comments_personal_data_*``), but
covering every status: spam and trash carry the same name, email and IP as any comment.
Erasing anonymises in place, so a thread keeps its shape and its words.
"""

import ipaddress
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from comments.models import Comment, CommentQuerySet, Subscription

ANONYMOUS = "Anonymous"
BATCH_SIZE = 500
# Everything erasing writes; text, dates, status, article and parent stay as they were.
ERASED_FIELDS = ["author_name", "author_email", "author_url", "ip_address", "user_agent"]
# An address that anonymise_ip() leaves as it is: IPv4 ending in .0 (also when mapped into
# IPv6), or IPv6 written with at most four groups before a final "::", i.e. whose last 64
# bits are zero. Only narrows down the rows to look at; Python has the last word.
ANONYMISED_IP_REGEX = r"(\.0|^([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,3})?::)$"


def anonymise_ip(ip: str | None) -> str | None:
    """The network an address belongs to: IPv4 to its /24, IPv6 to its /64.

    ``"192.0.2.77"`` → ``"192.0.2.0"``; ``"2001:db8:1:2:3:4:5:6"`` → ``"2001:db8:1:2::"``;
    an IPv4 address mapped into IPv6 keeps that form (``"::ffff:192.0.2.0"``). Anything that
    is not an address (including None) → None.
    """
    if ip is None:
        return None
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        return None
    if address.version == 4:
        return str(ipaddress.IPv4Address(int(address) & ~0xFF))
    if address.ipv4_mapped is not None:
        return f"::ffff:{anonymise_ip(str(address.ipv4_mapped))}"
    return str(ipaddress.IPv6Address(int(address) & ~(2**64 - 1)))


def comments_of(email: str) -> CommentQuerySet:
    """Every comment carrying ``email`` in any case, whatever its status; oldest first.

    A blank address matches nothing (erased comments have a blank one).
    """
    email = (email or "").strip()
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(author_email__iexact=email).order_by("submitted_at", "pk")


def export_comments(email: str) -> list[dict]:
    """What the site holds about ``email``'s comments, one dict per comment, oldest first."""
    comments = comments_of(email).select_related("article")
    return [
        {
            "id": comment.pk,
            "article": comment.article.headline,
            "article_url": settings.NEWSROOM_SITE_URL + comment.article.get_absolute_url(),
            "in_reply_to": comment.parent_id,
            "status": comment.status,
            "name": comment.author_name,
            "email": comment.author_email,
            "website": comment.author_url,
            "text": comment.text,
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "submitted_at": comment.submitted_at.isoformat(),
            "status_changed_at": comment.status_changed_at.isoformat(),
        }
        for comment in comments
    ]


def export_subscriptions(email: str) -> list[dict]:
    """``email``'s follow-up email subscriptions, confirmed or not, oldest first."""
    subscriptions = Subscription.objects.of(email).select_related("article").order_by("pk")
    return [
        {
            "article": subscription.article.headline,
            "article_url": settings.NEWSROOM_SITE_URL + subscription.article.get_absolute_url(),
            "email": subscription.email,
            "emails_about": subscription.scope,
            "asked_at": subscription.created_at.isoformat(),
            "confirmation_sent_at": subscription.confirmation_sent_at.isoformat(),
            "confirmed_at": subscription.confirmed_at and subscription.confirmed_at.isoformat(),
        }
        for subscription in subscriptions
    ]


def delete_subscriptions(email: str) -> int:
    """Forget ``email``'s follow-up email subscriptions; how many there were."""
    deleted, _by_model = Subscription.objects.of(email).delete()
    return deleted


def anonymise(comments: Iterable[Comment]) -> list[Comment]:
    """Anonymise ``comments`` in place, in one transaction; return them as they are now.

    Name becomes "Anonymous"; email, website and user agent are blanked; the IP keeps only
    its network (anonymise_ip). Text, dates, status, article and parent stay.
    """
    with transaction.atomic():
        comments = list(comments)
        for comment in comments:
            comment.author_name = ANONYMOUS
            comment.author_email = ""
            comment.author_url = ""
            comment.ip_address = anonymise_ip(comment.ip_address)
            comment.user_agent = ""
            comment.content_hash = comment.compute_content_hash()  # unique once erased
        Comment.objects.bulk_update(
            comments, [*ERASED_FIELDS, "content_hash"], batch_size=BATCH_SIZE
        )
    return comments


# Letting it age out (run daily by `manage.py cleanupcomments`)


def purgeable(before: datetime) -> CommentQuerySet:
    """Spam and trash that have been spam or trash since before ``before``."""
    return Comment.objects.filter(
        status__in=[Comment.Status.SPAM, Comment.Status.TRASH], status_changed_at__lt=before
    )


def delete_keeping_threads(comments: CommentQuerySet) -> tuple[int, list[Comment]]:
    """Delete ``comments``, keeping their threads whole; return how many were deleted and
    the replies that moved up.

    As WordPress does on deleting a comment, its replies first move up to its own parent
    (or further up, when that is deleted too), rather than to the top level where the
    foreign key's SET_NULL would leave them. Moving leaves each reply's content hash as it
    was: recomputing it could make two of one person's replies collide.
    """
    with transaction.atomic():
        rows = list(comments.values_list("pk", "parent_id", "parent__status"))
        doomed = {pk: parent_id for pk, parent_id, _ in rows}
        # A reply moves up to the parent of a deleted comment: whether that is approved is
        # its new parent_approved (as Comment.save() would set it).
        approved = {parent_id for _, parent_id, status in rows if status == Comment.Status.APPROVED}
        ids = list(doomed)
        moved = []
        for chunk in _batches(ids):
            replies = Comment.objects.filter(parent_id__in=chunk).values_list(
                "pk", "parent_id", "article_id", "status"
            )
            for pk, parent_id, article_id, status in replies:
                if pk in doomed:
                    continue
                new_parent = _surviving_ancestor(parent_id, doomed)
                moved.append(
                    Comment(
                        pk=pk,
                        parent_id=new_parent,
                        parent_approved=new_parent in approved,
                        article_id=article_id,
                        status=status,
                    )
                )
        Comment.objects.bulk_update(moved, ["parent", "parent_approved"], batch_size=BATCH_SIZE)
        for chunk in _batches(ids):
            Comment.objects.filter(pk__in=chunk).delete()
    return len(ids), moved


def _surviving_ancestor(pk: int, doomed: dict[int, int | None]) -> int | None:
    """The nearest of ``pk`` and its ancestors that is not being deleted."""
    seen = set()
    while pk in doomed and pk not in seen:
        seen.add(pk)
        pk = doomed[pk]
    return None if pk in doomed else pk


def identifying(before: datetime) -> CommentQuerySet:
    """Comments submitted before ``before`` that still hold a full IP or a user agent."""
    full_ip = Q(ip_address__isnull=False) & ~Q(ip_address__regex=ANONYMISED_IP_REGEX)
    return Comment.objects.filter(Q(submitted_at__lt=before) & (full_ip | ~Q(user_agent="")))


def anonymise_network_data(comments: CommentQuerySet, *, dry_run: bool = False) -> int:
    """Anonymise the IP (anonymise_ip) and blank the user agent of ``comments``.

    Returns how many changed (or, with ``dry_run``, would change); those already
    anonymised are left alone, so running it twice changes nothing the second time.
    """
    comments = comments.order_by("pk").only("pk", "ip_address", "user_agent")
    changed, last = 0, 0
    with transaction.atomic():
        while batch := list(comments.filter(pk__gt=last)[:BATCH_SIZE]):
            last = batch[-1].pk
            to_save = []
            for comment in batch:
                ip = anonymise_ip(comment.ip_address)
                if ip != comment.ip_address or comment.user_agent:
                    comment.ip_address, comment.user_agent = ip, ""
                    to_save.append(comment)
            if not dry_run:
                Comment.objects.bulk_update(to_save, ["ip_address", "user_agent"])
            changed += len(to_save)
    return changed


def _batches(items: list) -> Iterable[list]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
