"""Readers reporting comments: who a reader is, which comments they may report, and when
enough reports hold a comment for review.

A report is one reader's, once per comment: a signed-in reader is known by their account,
anyone else by their address as the comment limits count it (an IPv6 /64 network is one
reader, ``newsroom.signin.client_ip``). Either is kept as a keyed hash (``reporter``); a
report stores no email. The status change itself is ``services.hold_reported``'s, the one
writer of what readers see.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from articles.models import Article
from comments import services
from comments.models import Comment, DiscussionSettings, Report
from newsroom import signin

REPORTER_SALT = "comments.report.reporter"


class AlreadyReported(Exception):
    """This reader has reported this comment before: nothing more is stored."""


@dataclass(frozen=True)
class Reader:
    """Who is reporting: the key their reports are kept under, their address, their account."""

    key: str
    ip: str | None
    user: object = None

    @classmethod
    def of(cls, request: HttpRequest) -> "Reader":
        ip = signin.client_ip(request)  # an IPv6 client's /64 network, as the limits count
        user = request.user if request.user.is_authenticated else None
        who = f"user:{user.pk}" if user else f"ip:{ip or 'unknown'}"
        key = salted_hmac(REPORTER_SALT, who, algorithm="sha256").hexdigest()
        return cls(key=key, ip=ip, user=user)


def reportable():
    """The comments anyone may report: those every reader sees, approved on a public
    article. Any other answers as one that does not exist."""
    return Comment.objects.approved().filter(article__in=Article.objects.published())


def has_reported(comment: Comment, reader: Reader) -> bool:
    return Report.objects.filter(comment=comment, reporter=reader.key).exists()


def report_comment(
    *, comment: Comment, reader: Reader, reason: str, note: str, discussion: DiscussionSettings
) -> Report:
    """Store ``reader``'s report of ``comment``; hold the comment for review when its open
    reports reach the editors' threshold (``report_threshold``; 0 never holds).

    Raises AlreadyReported, storing nothing, if the reader has reported it before, even when
    the same report arrives twice at the same moment.
    """
    with transaction.atomic():
        # The comment's row is locked until commit: two reports at the same moment are
        # counted one after the other, so the one that reaches the threshold sees the other.
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=comment,
                    reason=reason,
                    note=note,
                    reporter=reader.key,
                    user=reader.user,
                    ip_address=reader.ip,
                )
        except IntegrityError as error:
            raise AlreadyReported from error
        threshold = discussion.report_threshold
        # Editors' own comments can be reported, and the reports show in the queue, but
        # readers never take them down: a few readers must not silence the newsroom's
        # answers. An editor decides on them like any other report.
        if threshold and comment.is_approved and not comment.by_staff:
            count = Report.objects.open().filter(comment=comment).count()
            if count >= threshold:
                services.hold_reported(comment, count)
    return report


def clean_up(
    now, *, purge_days: int, anonymise_days: int, dry_run: bool = False
) -> tuple[int, int]:
    """The daily clean-up's part (``cleanupcomments``): delete reports resolved more than
    ``purge_days`` ago, and forget the address of reports made more than ``anonymise_days``
    ago (the keyed hash stays, so a reader still reports a comment once). 0 turns either off.

    Returns (deleted, anonymised), or with ``dry_run`` how many would be.
    """
    deleted = anonymised = 0
    if purge_days:
        closed = Report.objects.filter(resolved_at__lt=now - timedelta(days=purge_days))
        deleted = closed.count() if dry_run else closed.delete()[0]
    if anonymise_days:
        old = Report.objects.filter(
            reported_at__lt=now - timedelta(days=anonymise_days), ip_address__isnull=False
        )
        if dry_run and purge_days:
            old = old.exclude(resolved_at__lt=now - timedelta(days=purge_days))
        anonymised = old.count() if dry_run else old.update(ip_address=None)
    return deleted, anonymised
