from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.models import Article, Section, Tag
from comments.models import Comment


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_section(obj)

    def delete_model(self, request, obj):
        services.delete_sections([obj])

    def delete_queryset(self, request, queryset):
        services.delete_sections(queryset)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "published_articles", "all_articles"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        published = Article.objects.published().values("pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count("articles", distinct=True),
                published_count=Count("articles", filter=Q(articles__in=published), distinct=True),
            )
            # Counting groups the rows, which drops the model's ordering: say it again.
            .order_by("name")
        )

    @admin.display(description=_("published articles"), ordering="published_count")
    def published_articles(self, tag: Tag):
        return self._articles_link(tag, tag.published_count)

    @admin.display(description=_("all articles"), ordering="article_count")
    def all_articles(self, tag: Tag):
        return self._articles_link(tag, tag.article_count)

    def _articles_link(self, tag: Tag, count: int):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?tags__id__exact={}">{}</a>', url, tag.pk, count)

    def save_model(self, request, obj, form, change):
        services.save_tag(obj)

    def delete_model(self, request, obj):
        services.delete_tags([obj])

    def delete_queryset(self, request, queryset):
        services.delete_tags(queryset)


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
    autocomplete_fields = ["section", "tags"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "byline", "section", "tags"]}),
        (_("Story"), {"fields": ["dateline", "body"]}),
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
