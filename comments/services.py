"""The one writer of comments: every change readers can see goes through here.

Taking a comment from a reader, moderating, an editor's edit, erasing on request and the
daily clean-up each change what public pages show; each function here makes its change and
schedules its after-commit effects: the moderator email, and the purge of exactly the cached
pages that showed what changed (``newsroom/http_cache.py``).
"""

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments import moderation, notifications, privacy, session, subscriptions
from comments.models import USER_AGENT_MAX_LENGTH, Comment, DiscussionSettings, Report
from newsroom.http_cache import purge_on_commit

logger = logging.getLogger(__name__)

OUT_OF_SIGHT = {Comment.Status.SPAM, Comment.Status.TRASH}
# An editor who moves a comment to one of these has decided on it: readers' open reports of
# it are resolved, and only new reports count towards holding it again.
DECIDED = {Comment.Status.APPROVED, *OUT_OF_SIGHT}


class DuplicateComment(Exception):
    """The same person said the same thing in the same place already."""


DUPLICATE_MESSAGE = _(
    "The same person has said the same words in the same place since: this comment would "
    "repeat it, so it stays as it was. Trash or edit the other comment first."
)


def submit_comment(
    *,
    article: Article,
    data: dict,
    request_meta: dict,
    discussion: DiscussionSettings,
    user=None,
) -> Comment:
    """Store a comment from the form's cleaned ``data``; its status comes from the policy.

    ``user`` is the request's: an editor's comment is recorded as theirs (the staff badge).

    Raises DuplicateComment (nothing stored) when it repeats a comment that is not in the
    trash, even when two identical posts arrive at the same moment.
    """
    comment = Comment(
        article=article,
        parent=data.get("parent"),
        author_name=data["author"],
        author_email=data["email"],
        author_url=data.get("url", ""),
        text=data["comment"],
        ip_address=client_ip(request_meta),
        user_agent=printable(request_meta.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX_LENGTH],
        user=user if user is not None and moderation.is_moderator(user) else None,
    )
    if duplicate_of(comment):
        raise DuplicateComment
    comment.status = moderation.initial_status(comment, discussion)
    try:
        with transaction.atomic():
            comment.save()
            if comment.is_approved:
                _purge_pages_showing([comment])
                subscriptions.comment_approved(comment)
            if data.get("notify"):  # "Notify me of follow-up comments by email"
                subscriptions.comment_posted(comment, data["notify_scope"])
    except IntegrityError as error:  # an identical post won the race
        if duplicate_of(comment):
            raise DuplicateComment from error
        raise
    notifications.comment_posted(comment)
    return comment


def duplicate_of(comment: Comment) -> Comment | None:
    """The comment outside the trash that ``comment``, as it stands, would repeat, if any.

    The same person saying the same thing in the same place twice is one comment: the
    database's ``comment_no_duplicates`` constraint holds this rule, and this asks it first.
    """
    return (
        Comment.objects.exclude(status=Comment.Status.TRASH)
        .exclude(pk=comment.pk)
        .filter(content_hash=comment.compute_content_hash())
        .first()
    )


def _purge_pages_showing(comments: Iterable[Comment]) -> None:
    """After commit, drop the cached pages of the articles these comments are (or were) on."""
    purge_on_commit(Article.cache_key_for(comment.article_id) for comment in comments)


def printable(header: str) -> str:
    """A header value without control characters (a NUL cannot even be stored on PostgreSQL)."""
    return "".join(char for char in header if char.isprintable())


def client_ip(request_meta: dict) -> str | None:
    """The client's address, as the configured proxies report it; None if it is unknown.

    With NEWSROOM_TRUSTED_PROXIES = 0 (the default) it is the connection's address and a
    client-supplied X-Forwarded-For is ignored. With N proxies of ours in front, each appends
    the address it saw, so it is the N-th address from the right of X-Forwarded-For: the one
    our outermost proxy saw. Entries left of it are the client's to write. With fewer than N
    entries the request did not come through our proxies as configured, and any entry may
    be the client's own: unknown, as is an address that is not one (an empty REMOTE_ADDR
    behind a unix socket). Unknown addresses are a misconfiguration, logged once.
    """
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        forwarded = request_meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        candidate = forwarded[-proxies] if len(forwarded) >= proxies else ""
    else:
        candidate = request_meta.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        _warn_unknown_address(request_meta, proxies)
        return None
    # A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d: the address is a.b.c.d.
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


_unknown_address_logged = False


def _warn_unknown_address(request_meta: dict, proxies: int) -> None:
    global _unknown_address_logged
    if _unknown_address_logged:
        return
    _unknown_address_logged = True
    logger.warning(
        "A client's address is unknown (REMOTE_ADDR %r, X-Forwarded-For %r, "
        "NEWSROOM_TRUSTED_PROXIES=%d): its comments are stored without one, and limited "
        "together with every other unknown address. Check NEWSROOM_TRUSTED_PROXIES against "
        "the proxies in front of the site. (Logged once per process.)",
        request_meta.get("REMOTE_ADDR", ""),
        request_meta.get("HTTP_X_FORWARDED_FOR", ""),
        proxies,
    )


@dataclass
class StatusChanges:
    """What a moderation step did."""

    # Each comment that moved, with the status it had.
    changed: list[tuple[Comment, str]] = field(default_factory=list)
    # Left in the trash: taking it out would repeat a comment that is there now.
    duplicates: list[Comment] = field(default_factory=list)

    def __iadd__(self, other: "StatusChanges") -> "StatusChanges":
        self.changed += other.changed
        self.duplicates += other.duplicates
        return self


def change_status(comments: Iterable[Comment], status: str) -> StatusChanges:
    """Move ``comments`` to ``status``, in one transaction.

    Only the status changes: parents and replies stay linked, so a thread comes back whole
    when a comment is restored. Spam and trash remember the status they came from. A comment
    that would leave the trash as a repeat of one posted since stays in the trash.

    Approving, spamming or trashing a comment (or approving it again) resolves its open
    reports.
    """
    result = StatusChanges()
    now = timezone.now()
    decided = []
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                decided.append(comment.pk)
                continue
            old = comment.status
            if old == Comment.Status.TRASH and duplicate_of(comment):
                result.duplicates.append(comment)
                continue
            if status in OUT_OF_SIGHT and old not in OUT_OF_SIGHT:
                comment.previous_status = old
            comment.status, comment.status_changed_at = status, now
            comment.save(update_fields=["status", "previous_status", "status_changed_at"])
            result.changed.append((comment, old))
            decided.append(comment.pk)
            if status == Comment.Status.APPROVED:
                subscriptions.comment_approved(comment)  # the follow-up emails, once
        if status in DECIDED:
            Report.objects.open().filter(comment__in=decided).update(resolved_at=now)
        _purge_pages_showing(
            comment
            for comment, old in result.changed
            if Comment.Status.APPROVED in (old, comment.status)
        )
    return result


def hold_reported(comment: Comment, reports: int) -> StatusChanges:
    """Take an approved comment that readers reported ``reports`` times out of sight, back
    to pending, and ask the moderators to decide (``comments/reports.py`` decides when)."""
    changes = change_status([comment], Comment.Status.PENDING)
    if changes.changed:
        notifications.comment_reported(comment, reports)
    return changes


def restore(comments: Iterable[Comment], from_status: str) -> StatusChanges:
    """Bring comments out of spam or the trash, back to the status they had (or pending)."""
    result = StatusChanges()
    for comment in comments:
        if comment.status != from_status:
            continue
        back_to = comment.previous_status or Comment.Status.PENDING
        result += change_status([comment], back_to)
    return result


def reply_as_editor(
    *, parent: Comment, user, text: str, request_meta: dict, approve_parent: bool
) -> Comment:
    """Post an editor's reply to ``parent`` from the admin: approved at once, signed as the
    editor (the staff badge), in one transaction with the parent's approval when asked
    ("Approve and reply"). ``text`` is checked already (comments/admin_desk.py).

    Raises DuplicateComment, changing nothing, when the editor said just this there already.
    """
    reply = Comment(
        article=parent.article,
        parent=parent,
        author_name=user.get_full_name() or user.get_username(),
        author_email=user.email,
        text=text,
        ip_address=client_ip(request_meta),
        user_agent=printable(request_meta.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX_LENGTH],
        user=user,
        status=Comment.Status.APPROVED,
    )
    if duplicate_of(reply):
        raise DuplicateComment
    try:
        with transaction.atomic():
            if approve_parent:
                change_status([parent], Comment.Status.APPROVED)
            reply.save()
            _purge_pages_showing([reply])
            subscriptions.comment_approved(reply)  # the follow-up emails, as for any reply
    except IntegrityError as error:  # the same reply, posted twice at the same moment
        if duplicate_of(reply):
            raise DuplicateComment from error
        raise
    notifications.comment_posted(reply)
    return reply


def edit_comment(comment: Comment, *, status: str) -> StatusChanges:
    """Save an editor's edit of ``comment`` (its fields already set), then move it to
    ``status`` as a moderation step would.

    Raises DuplicateComment, changing nothing, when the edit would repeat another comment.
    """
    repeats = duplicate_of(comment)
    if repeats and status != Comment.Status.TRASH:
        raise DuplicateComment
    with transaction.atomic():
        if repeats:  # on its way to the trash: move it there before its words are saved
            changes = change_status([comment], status)
            comment.save()
            return changes
        was_approved = comment.is_approved
        comment.save()
        if was_approved:
            _purge_pages_showing([comment])
        return change_status([comment], status)


@dataclass
class Erasure:
    """What a privacy request's erase did: the comments anonymised, the subscriptions gone."""

    comments: list[Comment]
    subscriptions: int


def erase_personal_data(email: str) -> Erasure:
    """Anonymise every comment carrying ``email``, whatever its status (a privacy request),
    forget its follow-up email subscriptions, and make every browser that saved the address
    forget it."""
    with transaction.atomic():
        erased = privacy.anonymise(privacy.comments_of(email))
        unsubscribed = privacy.delete_subscriptions(email)
        session.forget_commenter(email, [comment.pk for comment in erased])
    _purge_pages_showing(comment for comment in erased if comment.is_approved)
    return Erasure(erased, unsubscribed)


def delete_comments(comments) -> tuple[int, int]:
    """Delete ``comments`` (spam and trash, by the daily clean-up), keeping threads whole.

    Returns (deleted, replies moved up). Replies that moved change how their threads read.
    """
    deleted, moved = privacy.delete_keeping_threads(comments)  # in one transaction
    _purge_pages_showing(reply for reply in moved if reply.is_approved)
    return deleted, len(moved)


def save_discussion_settings(discussion: DiscussionSettings) -> None:
    """The editors' rules change how every article's conversation is shown and closed."""
    with transaction.atomic():
        discussion.save()
        purge_on_commit([DiscussionSettings.CACHE_KEY])
