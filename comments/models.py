import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.markup import commenter_html
from newsroom.models import OneRow

# Longest values the form accepts (and the page's maxlength attributes say).
AUTHOR_MAX_LENGTH = 245
EMAIL_MAX_LENGTH = 254
URL_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
USER_AGENT_MAX_LENGTH = 255


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """What every reader may see."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def visible_to_poster(self, own_ids) -> "CommentQuerySet":
        """Approved comments, plus those this browser posted that await a decision.

        A comment the policy sent to spam looks to its poster like any held comment.
        """
        return self.filter(
            Q(status=Comment.Status.APPROVED)
            | Q(status__in=[Comment.Status.PENDING, Comment.Status.SPAM], pk__in=own_ids)
        )

    def count_per_article(self, article_ref: str = "pk"):
        """An annotation: how many of these comments the article at ``OuterRef(article_ref)``
        has, e.g. ``Comment.objects.approved().count_per_article()``."""
        counts = (
            self.filter(article=OuterRef(article_ref))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)

    def reported(self) -> "CommentQuerySet":
        """Comments with open reports from readers, each with ``open_report_count``."""
        open_reports = Report.objects.open().filter(comment=OuterRef("pk"))
        counts = open_reports.order_by().values("comment").annotate(n=Count("*")).values("n")
        return self.filter(Exists(open_reports)).annotate(
            open_report_count=Subquery(counts, output_field=models.IntegerField())
        )

    def status_counts(self) -> dict[str, int]:
        """How many of these comments each status has.

        Most comments are approved: their number is the total less the others, so that no
        query reads every approved comment (on 100,000 comments, one count grouped by status
        took 14 ms on SQLite and 16 ms on PostgreSQL; these two take 2 and 10 ms). COUNT(*),
        not COUNT(id): PostgreSQL then counts from the status index alone (2 ms, not 19).
        """
        counts = dict.fromkeys(Comment.Status.values, 0)
        others = [status for status in Comment.Status.values if status != Comment.Status.APPROVED]
        rows = self.filter(status__in=others).order_by().values_list("status")
        counts.update({status: n for status, n in rows.annotate(n=Count("*"))})
        counts[Comment.Status.APPROVED] = self.count() - sum(counts.values())
        return counts


def set_null_at_top_level(collector, field, sub_objs, using):
    """``SET_NULL`` for a reply's parent: the reply is then a top-level comment, so its
    ``parent_approved`` is False too (``comments.privacy.delete_keeping_threads`` moves
    replies up before deleting; this covers any other delete, e.g. in the admin)."""
    # First: the collector updates in this order, and sub_objs finds the replies by parent.
    collector.add_field_update(field.model._meta.get_field("parent_approved"), False, sub_objs)
    models.SET_NULL(collector, field, sub_objs, using)


set_null_at_top_level.lazy_sub_objs = True


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        # Another site's notice that it linked to the article, as WordPress received them;
        # imported and shown as mentions. Newsroom itself takes no pingbacks or trackbacks.
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    class TextFormat(models.TextChoices):
        PLAIN = "plain", _("Plain text")
        # Imported from WordPress: the tags WordPress allows commenters (links, emphasis,
        # quotes, code) are kept; any other markup is shown as text (comments/markup.py).
        HTML = "html", _("HTML as WordPress allowed commenters")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=set_null_at_top_level,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author_name = models.CharField(_("name"), max_length=AUTHOR_MAX_LENGTH)
    author_email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH)
    author_url = models.URLField(_("website"), max_length=URL_MAX_LENGTH, blank=True)
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    text_format = models.CharField(
        _("text format"), max_length=5, choices=TextFormat.choices, default=TextFormat.PLAIN
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    # Where an imported comment came from, e.g. "wordpress:3:557" (articles/wordpress/):
    # matched on a second import, so nothing is imported twice. Blank for comments posted here.
    origin = models.CharField(_("imported from"), max_length=100, blank=True, editable=False)
    # The editor who posted it, signed in: the page shows a staff badge beside the name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("posted by editor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    previous_status = models.CharField(
        _("status before spam or trash"), max_length=10, choices=Status.choices, blank=True
    )
    # Who said what where: the same hash twice (outside the trash) is a duplicate.
    content_hash = models.CharField(max_length=64, editable=False)
    # Its parent is an approved comment (False at the top level): for a reader who has no
    # comments awaiting a decision, the threads are the approved comments without it, read
    # from comment_roots_idx rather than by looking up every comment's parent. Kept by
    # save() (its own, and its replies' when its status is saved), by
    # privacy.delete_keeping_threads and by set_null_at_top_level.
    parent_approved = models.BooleanField(default=False, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "submitted_at"], name="comment_thread_idx"),
            # An article's threads for a reader without held comments, counted and paged.
            models.Index(
                fields=["article", "status", "parent_approved", "submitted_at", "id"],
                name="comment_roots_idx",
            ),
            models.Index(fields=["status", "-submitted_at"], name="comment_queue_idx"),
            # The admin's queue: newest first, and a whole email or IP address searched.
            models.Index(fields=["-submitted_at", "-id"], name="comment_submitted_idx"),
            models.Index(Upper("author_email"), name="comment_email_idx"),
            models.Index(fields=["ip_address"], name="comment_ip_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~models.Q(status="trash"),
                name="comment_no_duplicates",
                violation_error_message=_("This comment has been posted already."),
            ),
            models.UniqueConstraint(
                fields=["origin"], condition=~models.Q(origin=""), name="comment_imported_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {Truncator(self.text[:120]).chars(60)}"

    def save(self, *args, **kwargs):
        self.content_hash = self.compute_content_hash()
        fields = kwargs.get("update_fields")
        if fields is None or "parent" in fields:  # set at posting, moved only by clean-up
            self.parent_approved = self._parent_is_approved()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "parent_approved"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding and (fields is None or "status" in fields):
            # Its replies' parent_approved, in one UPDATE, whenever its status is saved.
            replies = Comment.objects.filter(parent_id=self.pk)
            replies.exclude(parent_approved=self.is_approved).update(
                parent_approved=self.is_approved
            )

    def get_absolute_url(self) -> str:
        """A permalink that always finds the page of comments holding this one."""
        return reverse("comments:permalink", args=[self.pk])

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_admin_url(self) -> str:
        return reverse("admin:comments_comment_change", args=[self.pk])

    def compute_content_hash(self) -> str:
        parts = [
            str(self.article_id),
            str(self.parent_id or ""),
            self.author_name,
            self.author_email.lower(),
            self.text,
        ]
        if not self.author_email:  # erased on request: anonymous comments never duplicate
            parts.append(str(self.pk))
        if self.origin:  # a reader's true duplicate in an imported archive is kept
            parts.append(self.origin)
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    def _parent_is_approved(self) -> bool:
        if self.parent_id is None:
            return False
        parent = Comment.objects.filter(pk=self.parent_id, status=self.Status.APPROVED)
        if connection.in_atomic_block:
            # Held until commit: a status change of the parent waits, then updates this
            # reply too, or this reply waits and sees the parent's new status.
            parent = parent.select_for_update(no_key=True)
        return parent.exists()

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def by_staff(self) -> bool:
        """Posted by one of the newsroom's editors, signed in: no reader can make this so."""
        return self.user_id is not None

    @property
    def text_html(self) -> SafeString:
        """The text as readers see it: a comment posted here is plain text, its line breaks
        made paragraphs; one imported from WordPress keeps the tags WordPress allowed
        commenters and shows any other markup as text (comments/markup.py)."""
        if self.text_format == self.TextFormat.HTML:
            return commenter_html(self.text)
        return mark_safe(linebreaks(self.text, autoescape=True))  # noqa: S308 (escaped)

    @property
    def is_mention(self) -> bool:
        """Another site's pingback or trackback: shown as a mention of the article, not as a
        reader's comment."""
        return self.kind != self.Kind.COMMENT

    @property
    def safe_author_url(self) -> str:
        """The website, only if it is an http(s) address: anything else never becomes a link."""
        url = self.author_url.strip()
        return url if url.lower().startswith(("http://", "https://")) else ""


class DiscussionSettings(OneRow):
    """The rules editors set in the admin, as on WordPress's Settings › Discussion screen.

    One row; read with ``DiscussionSettings.load()`` on every request, so a change takes
    effect at once in every process.
    """

    class FirstPage(models.TextChoices):
        OLDEST = "oldest", _("the page with the oldest comments")
        NEWEST = "newest", _("the page with the newest comments")

    class Order(models.TextChoices):
        OLDEST_FIRST = "asc", _("oldest comments at the top")
        NEWEST_FIRST = "desc", _("newest comments at the top")

    hold_all = models.BooleanField(
        _("hold every comment for approval"),
        default=True,
        help_text=_("Every comment waits until an editor approves it."),
    )
    approve_known_commenters = models.BooleanField(
        _("approve commenters approved before"),
        default=True,
        help_text=_(
            "When comments are not all held: approve a comment at once if the same name and "
            "email already have an approved comment. Others wait for an editor."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold comments with this many links"),
        default=2,
        validators=[MaxValueValidator(100)],
        help_text=_("Web addresses count, linked or not. 0 turns this off."),
    )
    moderation_words = models.TextField(
        _("moderation words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one, as a whole word, in its "
            "name, email, website, text, IP or browser is held. Case does not matter."
        ),
    )
    disallowed_words = models.TextField(
        _("disallowed words"),
        blank=True,
        help_text=_(
            "One word or phrase per line, matched the same way. A comment containing one goes "
            "straight to spam; its poster sees the usual awaiting-moderation note."
        ),
    )
    close_old_articles = models.BooleanField(_("close comments on old articles"), default=False)
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("Counted from the publish time. An article can set its own number."),
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("threading depth"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Replies nest this many levels deep; 1 means no replies."),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    first_page = models.CharField(
        _("show first"), max_length=10, choices=FirstPage.choices, default=FirstPage.OLDEST
    )
    order = models.CharField(
        _("order"), max_length=4, choices=Order.choices, default=Order.OLDEST_FIRST
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("hold a comment reported this many times"),
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "When this many readers have reported an approved comment, it is held for review "
            "and the moderators are emailed. Editors' own comments are never held. 0 turns "
            "this off."
        ),
    )

    # The surrogate key of every page these rules shape (newsroom/http_cache.py).
    CACHE_KEY = "discussion"

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return str(_("Discussion settings"))


REPORT_NOTE_MAX_LENGTH = 1000


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        """Reports no editor has acted on yet: they count towards holding the comment."""
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A reader's report that an approved comment breaks the rules.

    Stores no email: a reader is known by a keyed hash of their account or of their
    address (``reporter``), one report per reader and comment. The address itself is kept
    for superusers until the daily clean-up anonymises it; a report an editor has acted on
    (``resolved_at``) is deleted by the clean-up some days later.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Other")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=REPORT_NOTE_MAX_LENGTH, blank=True)
    # Who reported it, as a keyed hash (comments/reports.py): one report per reader.
    reporter = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by user"),
    )
    ip_address = models.GenericIPAddressField(_("reporter's address"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            # A comment's open reports, counted; and the clean-up's closed ones.
            models.Index(fields=["comment", "resolved_at"], name="report_comment_idx"),
            models.Index(fields=["resolved_at"], name="report_resolved_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                name="report_once_per_reader",
                violation_error_message=_("You have reported this comment already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.comment_id}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> "SubscriptionQuerySet":
        """The only subscriptions ever mailed about comments: the address's owner said yes."""
        return self.filter(confirmed_at__isnull=False)

    def of(self, email: str) -> "SubscriptionQuerySet":
        """Those of ``email``, in any case; a blank address has none."""
        email = (email or "").strip()
        if not email:
            return self.none()
        return self.filter(email__iexact=email)


class Subscription(models.Model):
    """A reader's "Notify me of follow-up comments by email" on one article.

    Made unconfirmed when a comment is posted with the box ticked; mailed about new comments
    only once the address's owner confirms it from the link emailed to them (double opt-in).
    Unconfirmed ones are forgotten by the daily clean-up (comments/subscriptions.py).
    """

    class Scope(models.TextChoices):
        REPLIES = "replies", _("replies to my comments")
        ALL = "all", _("every new comment")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("article")
    )
    email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH)
    scope = models.CharField(_("emails about"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    # When the latest confirmation email went out: one at a time per address and article.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up subscription")
        verbose_name_plural = _("follow-up subscriptions")
        constraints = [
            models.UniqueConstraint(
                "article", Upper("email"), name="subscription_one_per_address_and_article"
            )
        ]
        indexes = [models.Index(Upper("email"), name="subscription_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} on {self.article_id} ({self.scope})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SubscribersNotified(models.Model):
    """The subscribers have been told about this comment: approving it again (after an
    unapprove, or out of spam or the trash) tells nobody a second time."""

    comment = models.OneToOneField(
        Comment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="subscribers_notified",
        verbose_name=_("comment"),
    )
    notified_at = models.DateTimeField(_("subscribers notified"), default=timezone.now)

    class Meta:
        verbose_name = _("comment whose subscribers were notified")
        verbose_name_plural = _("comments whose subscribers were notified")

    def __str__(self) -> str:
        return f"Subscribers notified of comment {self.comment_id}"
