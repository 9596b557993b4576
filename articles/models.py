import reversion
from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.bodies import BodyFormat, referenced_ids, render_body
from articles.images import Picture
from articles.markdown import plain_text, render_markdown
from articles.writing import DESCRIPTION_SHOWN_CHARS

# Surrogate keys: the names the HTTP cache knows pages by (newsroom/http_cache.py). A page
# also carries the keys of each article it shows (Article.cache_key, Section.cache_key).
# The home, section and author pages: which articles they list, and in what order.
ARTICLE_LISTS = "article-lists"
# The site's feed and sitemap: every article's latest version, and every section.
ARTICLE_INDEX = "article-index"


@reversion.register()
class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)

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


class Image(models.Model):
    """A picture in the media library, with the words that go with it wherever it is shown."""

    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=255,
        help_text=_(
            "A JPEG, PNG or WebP picture. Its location and other camera data are removed; "
            "smaller sizes for phones and screens are made from it."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            'What the picture shows, for readers who cannot see it, e.g. "Firefighters carry '
            'a hose into the burning warehouse".'
        ),
    )
    caption = models.CharField(
        _("caption"), max_length=500, blank=True, help_text=_("Shown under the picture.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        help_text=_('Who took or owns the picture, e.g. "Jane Doe / Reuters".'),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt_text

    @property
    def cache_key(self) -> str:
        return self.cache_key_for(self.pk)

    @staticmethod
    def cache_key_for(pk: int) -> str:
        return f"image-{pk}"

    @property
    def picture(self) -> Picture:
        return Picture(
            pk=self.pk,
            name=self.file.name,
            width=self.width,
            height=self.height,
            alt_text=self.alt_text,
            caption=self.caption,
            credit=self.credit,
        )


class Tag(models.Model):
    """A subject that runs across sections (a place, a person, a story): one page per tag."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)

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


class Author(models.Model):
    """Whose name an article goes out under: a byline with its own page."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=True,
        help_text=_("The author page's address."),
    )
    bio = models.TextField(
        _("bio"),
        blank=True,
        help_text=_("Shown on the author page. Markdown, as in articles; HTML is never run."),
    )
    photo = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        verbose_name=_("photo"),
        help_text=_("A picture from the image library, shown on the author page."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        verbose_name=_("account"),
        help_text=_("The staff account that writes as this author: its new articles carry it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def cache_key(self) -> str:
        return self.cache_key_for(self.pk)

    @staticmethod
    def cache_key_for(pk: int) -> str:
        return f"author-{pk}"

    @cached_property
    def bio_html(self) -> str:
        return render_markdown(self.bio)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What readers may see: published, and its publish time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_article_page(self) -> "ArticleQuerySet":
        """With what the article page shows beside the story: its section, byline, featured
        image and tags."""
        return self.select_related("section", "byline", "featured_image").prefetch_related("tags")

    def scheduled(self) -> "ArticleQuerySet":
        """Published by an editor, for a time still to come (``Article.is_scheduled``)."""
        return self.filter(status=Article.Status.PUBLISHED).filter(
            models.Q(published_at__gt=timezone.now()) | models.Q(published_at=None)
        )

    def worked_on_by(self, user) -> "ArticleQuerySet":
        """The articles a staff member sees in the admin: every one for those who may view
        articles (editors); a contributor's own otherwise."""
        if user.has_perm("articles.view_article"):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)

    def visible_to(self, user) -> "ArticleQuerySet":
        """The articles whose page this user may open: the published ones, and those they
        work on in the admin (a preview, never cached)."""
        if user.has_perm("articles.view_article"):
            return self.all()
        return self.published() | self.worked_on_by(user)


@reversion.register()
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    class CommentMode(models.TextChoices):
        SITE_DEFAULT = "default", _("Site default (the discussion settings page)")
        HOLD_ALL = "hold_all", _("Every comment held for an editor (pre-moderated)")
        TRUSTED = (
            "trusted",
            _("Comments from commenters approved before appear at once; others are held"),
        )
        CLOSED = "closed", _("Closed: no new comments")

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("The article's address on the site."),
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
            "[text](https://…) for a link, ![description](image:42) for picture 42 of the "
            "image library on a line of its own. HTML is shown as typed, never run."
        ),
    )
    body_format = models.CharField(
        _("body format"),
        max_length=10,
        choices=BodyFormat.choices,
        default=BodyFormat.MARKDOWN,
        help_text=_("Articles imported from WordPress keep their HTML; new ones are Markdown."),
    )
    byline = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="articles", verbose_name=_("byline")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_(
            "Readers see a published article from this moment on. Blank: the moment it is "
            "published. A time to come schedules it."
        ),
    )
    featured = models.BooleanField(
        _("featured on the home page"),
        default=False,
        help_text=_("Kept at the top of the home page, above newer articles (WordPress's sticky)."),
    )
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        verbose_name=_("featured image"),
        help_text=_(
            "Shown above the story, beside it in the lists of articles, and when it is shared."
        ),
    )
    body_images = models.ManyToManyField(
        Image,
        through="BodyImage",
        related_name="shown_in_body_of",
        blank=True,
        editable=False,
    )
    tags = models.ManyToManyField(
        Tag,
        blank=True,
        related_name="articles",
        verbose_name=_("tags"),
        help_text=_("What the story is about, across sections; each tag has its own page."),
    )
    comment_mode = models.CharField(
        _("comments"),
        max_length=10,
        choices=CommentMode.choices,
        default=CommentMode.SITE_DEFAULT,
    )
    comments_close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Blank: the site's discussion setting. 0: never close. Counted from the publish time."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]

    def __str__(self) -> str:
        return self.headline

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
        """What a page showing this article depends on: the article, its section's name, its
        author's name and its pictures."""
        keys = {
            self.cache_key,
            Section.cache_key_for(self.section_id),
            Author.cache_key_for(self.byline_id),
        }
        if self.featured_image_id:
            keys.add(Image.cache_key_for(self.featured_image_id))
        return keys | {Image.cache_key_for(pk) for pk in self.referenced_image_ids}

    def get_author_url(self) -> str:
        return self.byline.get_absolute_url()

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_scheduled

    @property
    def is_scheduled(self) -> bool:
        """Published by an editor for a time still to come (or, before the service gives
        it one, with no time yet: not public either way)."""
        return self.status == self.Status.PUBLISHED and (
            self.published_at is None or self.published_at > timezone.now()
        )

    @property
    def publication_state(self) -> str:
        """Draft, In review, Scheduled or Published: what the admin shows."""
        if self.is_scheduled:
            return _("Scheduled")
        return self.get_status_display()

    @cached_property
    def description(self) -> str:
        """The standfirst, or else the story's opening words: for search results and shares."""
        if self.standfirst:
            return self.standfirst
        return Truncator(plain_text(self.body_html)).chars(DESCRIPTION_SHOWN_CHARS)

    @cached_property
    def body_pictures(self) -> dict[int, Picture]:
        """The library pictures the body refers to, in one query (none without a reference)."""
        ids = self.referenced_image_ids
        if not ids:
            return {}
        return {image.pk: image.picture for image in Image.objects.filter(pk__in=ids)}

    @property
    def missing_image_ids(self) -> list[int]:
        """Pictures the body refers to that are not in the library: shown to editors."""
        return sorted(self.referenced_image_ids - self.body_pictures.keys())

    @cached_property
    def body_html(self) -> str:
        pictures = tuple(sorted(self.body_pictures.values(), key=lambda picture: picture.pk))
        return render_body(self.body, self.body_format, dateline=self.dateline, pictures=pictures)

    @property
    def referenced_image_ids(self) -> set[int]:
        """The library pictures the body refers to, in whatever format it is written."""
        return referenced_ids(self.body, self.body_format)


class BodyImage(models.Model):
    """A library picture an article's body refers to: it cannot be deleted while it is."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="body_uses")

    class Meta:
        verbose_name = _("picture in the body of an article")
        verbose_name_plural = _("pictures in the bodies of articles")
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="body_image_once")]

    def __str__(self) -> str:
        return str(self.article)
