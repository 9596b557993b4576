from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import admin_preview, services
from articles.forms import ArticleAdminForm
from articles.models import Article, Section
from comments.models import Comment


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_section(obj)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # The body's toolbar and live preview, and the counters (articles/forms.py).
    form = ArticleAdminForm
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
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "byline", "section"]}),
        (_("Story"), {"fields": ["dateline", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "comments_open"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        return admin_preview.urls(self) + super().get_urls()

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
