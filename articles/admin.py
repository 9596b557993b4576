from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import history, services
from articles.models import Article, Section
from comments.models import Comment


# A section's old version is restored by django-reversion's own page (its form, filled in
# with the old name): saving it goes through save_model, which purges what it must whatever
# changed.
@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_section(obj)


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
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

    # The history page (django-reversion's): every version, newest first, each linked to
    # what it changed and a button to restore it.
    history_latest_first = True

    def save_model(self, request, obj, form, change):
        services.save_article(
            obj, changed_fields=form.changed_data, created=not change, user=request.user
        )

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

    def changelist_view(self, request, extra_context=None):
        # django-reversion opens a revision (a transaction) around the list for editable
        # rows; this list has none, and its one bulk action (delete) keeps no version.
        context = {"has_change_permission": self.has_change_permission(request)}
        return admin.ModelAdmin.changelist_view(self, request, {**context, **(extra_context or {})})

    # Versions: django-reversion's history and recover lists link here. Its own pages would
    # write the old row straight to the database and show it in the form; ours show what
    # changed and restore through services.restore_article, which checks the old version
    # still fits, purges the pages showing it and keeps the restore as a new version.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = get_object_or_404(Article, pk=unquote(object_id))
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        return self._version_page(request, version, article)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(
            Version.objects.get_deleted(Article).select_related("revision__user"),
            pk=version_id,
        )
        return self._version_page(request, version, None)

    def _version_page(
        self, request: HttpRequest, version: Version, article: Article | None
    ) -> HttpResponse:
        """A kept version: what it changed, and (POST) restoring it, for editors who may."""
        may_restore = (
            self.has_change_permission(request, article)
            if article is not None
            else self.has_add_permission(request)
        )
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            return self._restore(request, version)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        previous = history.previous_version(version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Version of %(when)s") % {"when": history.kept_at(version)},
            "subtitle": version.object_repr,
            "article": article,
            "version": version,
            "previous": previous,
            "changes": history.compare(
                previous.field_dict if previous else None, version.field_dict
            ),
            "restoring": history.compare(
                _current_fields(article) if article else None, version.field_dict
            ),
            "may_restore": may_restore,
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(version.object_id)],
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def _restore(self, request: HttpRequest, version: Version) -> HttpResponse:
        try:
            article = services.restore_article(version, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(
                    request,
                    gettext("This version was not restored: %(reason)s") % {"reason": message},
                    messages.ERROR,
                )
            return HttpResponseRedirect(request.path)
        self.log_change(request, article, gettext("Restored an earlier version."))
        if article.is_public:
            message = gettext("The version of %(when)s is restored; readers see it now.")
        else:
            message = gettext("The version of %(when)s is restored (not published).")
        self.message_user(request, message % {"when": history.kept_at(version)}, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[quote(article.pk)],
            )
        )


def _current_fields(article: Article) -> dict:
    """The article as it is now, in a version's terms (its fields' database names)."""
    return {
        field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields
    }
