from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article

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
        """Approved comments, plus the pending ones this browser posted itself."""
        return self.filter(
            Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.PENDING, pk__in=own_ids)
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

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Comment.Status.values, 0)
        rows = self.order_by().values_list("status").annotate(n=Count("pk"))
        counts.update({status: n for status, n in rows})
        return counts


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author_name = models.CharField(_("name"), max_length=AUTHOR_MAX_LENGTH)
    author_email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH)
    author_url = models.URLField(_("website"), max_length=URL_MAX_LENGTH, blank=True)
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "submitted_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "-submitted_at"], name="comment_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {Truncator(self.text).chars(60)}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def get_reply_url(self) -> str:
        return f"{self.article.get_absolute_url()}?replytocom={self.pk}#respond"

    def get_admin_url(self) -> str:
        return reverse("admin:comments_comment_change", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def safe_author_url(self) -> str:
        """The website, only if it is an http(s) address: anything else never becomes a link."""
        url = self.author_url.strip()
        return url if url.lower().startswith(("http://", "https://")) else ""
