from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import images, services
from articles.models import Article, Image, Section
from comments.models import Comment


class LibraryImageField(forms.ImageField):
    """An upload checked as the library takes it (``images.check_upload``): clear errors,
    and nothing stored when it is refused."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is not None:
            images.check_upload(upload)
        return upload


class ImageForm(forms.ModelForm):
    file = LibraryImageField(
        label=_("File"),
        help_text=Image._meta.get_field("file").help_text,
        widget=AdminFileWidget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt_text", "credit", "size", "uploaded_at", "uses"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit", "file"]
    date_hierarchy = "uploaded_at"
    # Meta.ordering is not applied to the counted (grouped) queryset below.
    ordering = ["-uploaded_at", "-pk"]
    readonly_fields = ["preview", "size", "uploaded_at", "uploaded_by", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption", "credit"]}),
        (_("Where it is used"), {"fields": ["used_by"]}),
        (_("Size and upload"), {"fields": ["size", "uploaded_at", "uploaded_by"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                featured_count=Count("featured_in", distinct=True),
                body_count=Count("body_uses", distinct=True),
            )
        )

    def save_model(self, request, obj, form, change):
        services.save_image(
            obj, changed_fields=form.changed_data, uploaded_by=None if change else request.user
        )

    def delete_model(self, request, obj):
        services.delete_images([obj])

    def delete_queryset(self, request, queryset):
        services.delete_images(queryset)

    @admin.display(description=_("picture"))
    def thumbnail(self, image: Image):
        picture = image.picture
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy" class="library-thumbnail">',
            picture.url(picture.widths[0]),
            80,
            max(1, round(80 * image.height / image.width)) if image.width else 80,
        )

    @admin.display(description=_("preview"))
    def preview(self, image: Image):
        if not image.pk:
            return "–"
        picture = image.picture
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}">',
            picture.url(picture.widths[0]),
            image.alt_text,
            picture.widths[0],
            max(1, round(picture.widths[0] * image.height / image.width)),
        )

    @admin.display(description=_("size"))
    def size(self, image: Image):
        return f"{image.width} × {image.height}" if image.width else "–"

    @admin.display(description=_("uses"))
    def uses(self, image: Image) -> int:
        """As featured image and in bodies (an article may count under both)."""
        return image.featured_count + image.body_count

    @admin.display(description=_("used by"))
    def used_by(self, image: Image):
        if not image.pk:
            return "–"
        articles = (
            Article.objects.filter(Q(featured_image=image) | Q(body_images=image))
            .distinct()
            .order_by("-published_at")
        )
        if not articles:
            return _("No article uses this image: it can be deleted.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.headline,
                        _("featured image")
                        if article.featured_image_id == image.pk
                        else _("in the body"),
                    )
                    for article in articles
                ),
            ),
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_section(obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "status",
        "published_at",
        "section",
        "approved_comments",
        "pending_comments",
        "comments_open",
    ]
    list_filter = ["status", "section", "comments_open"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "body", "byline"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    autocomplete_fields = ["featured_image"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "byline", "section"]}),
        (_("Story"), {"fields": ["featured_image", "dateline", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "comments_open"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_article(obj, changed_fields=form.changed_data, created=not change)

    def delete_model(self, request, obj):
        services.delete_articles([obj])

    def delete_queryset(self, request, queryset):
        services.delete_articles(queryset)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_count=Comment.objects.approved().count_per_article(),
                pending_count=Comment.objects.pending().count_per_article(),
            )
        )

    @admin.display(description=_("approved comments"), ordering="approved_count")
    def approved_comments(self, article: Article):
        return self._comments_link(article, Comment.Status.APPROVED, article.approved_count)

    @admin.display(description=_("pending comments"), ordering="pending_count")
    def pending_comments(self, article: Article):
        return self._comments_link(article, Comment.Status.PENDING, article.pending_count)

    def _comments_link(self, article: Article, status: str, count: int):
        url = reverse("admin:comments_comment_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}&amp;status={}">{}</a>',
            url,
            article.pk,
            status,
            count,
        )
