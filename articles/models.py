from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from articles.markdown import plain_text, render_markdown

# Surrogate keys: the names the HTTP cache knows pages by (newsroom/http_cache.py). A page
# also carries the keys of each article it shows (Article.cache_key, Section.cache_key).
# The home, section and author pages: which articles they list, and in what order.
ARTICLE_LISTS = "article-lists"
# The site's feed and sitemap: every article's latest version, and every section.
ARTICLE_INDEX = "article-index"


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def cache_key(self) -> str:
        return self.cache_key_for(self.pk)

    @staticmethod
    def cache_key_for(pk: int) -> str:
        return f"section-{pk}"


class Tag(models.Model):
    """A subject that runs across sections (a place, a person, a story): one page per tag."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            # "Kyiv" and "kyiv" would be two pages for one subject.
            models.UniqueConstraint(
                Lower("name"),
                name="tag_name_unique_in_any_case",
                violation_error_message=_("A tag with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    @property
    def cache_key(self) -> str:
        return self.cache_key_for(self.pk)

    @staticmethod
    def cache_key_for(pk: int) -> str:
        return f"tag-{pk}"


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What readers may see: published, and its publish time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_article_page(self) -> "ArticleQuerySet":
        """With what the article page shows beside the story: its section and its tags."""
        return self.select_related("section").prefetch_related("tags")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("The article's address on the site.")
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=500,
        blank=True,
        help_text=_("One or two sentences under the headline; also the summary on the home page."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=80,
        blank=True,
        help_text=_('Where the story was filed, e.g. "Kyiv"; shown before the first paragraph.'),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: a blank line between paragraphs, ## for a subheading, > for a quotation, "
            "[text](https://…) for a link. HTML is shown as typed, never run."
        ),
    )
    byline = models.CharField(_("byline"), max_length=120)
    # The author page's address, made from the byline (one page per distinct byline).
    byline_slug = models.SlugField(max_length=120, editable=False, db_index=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        help_text=_("Readers see a published article from this moment on."),
    )
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="articles",
        verbose_name=_("tags"),
        help_text=_("What the story is about, across sections; each tag has its own page."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    comments_close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Blank: the site's discussion setting. 0: never close. Counted from the publish time."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.byline_slug = slugify(self.byline)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def cache_key(self) -> str:
        return self.cache_key_for(self.pk)

    @staticmethod
    def cache_key_for(pk: int) -> str:
        return f"article-{pk}"

    @property
    def cache_keys(self) -> set[str]:
        """What a page showing this article depends on: the article and its section's name."""
        return {self.cache_key, Section.cache_key_for(self.section_id)}

    def get_author_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.byline_slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @cached_property
    def description(self) -> str:
        """The standfirst, or else the story's opening words: for search results and shares."""
        if self.standfirst:
            return self.standfirst
        return Truncator(plain_text(self.body_html)).chars(160)

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body, dateline=self.dateline)
