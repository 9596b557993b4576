from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import admin_preview, history, images, services
from articles.forms import ArticleAdminForm
from articles.models import Article, Author, Image, Section, Tag
from comments.models import Comment

PUBLISH = "articles.publish_article"


def may_publish(request: HttpRequest) -> bool:
    """Editors publish, schedule and unpublish; contributors write drafts and submit them."""
    return request.user.has_perm(PUBLISH)


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


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "bio", "photo", "user"]
    autocomplete_fields = ["photo"]

    def save_model(self, request, obj, form, change):
        services.save_author(obj)

    def delete_model(self, request, obj):
        services.delete_authors([obj])

    def delete_queryset(self, request, queryset):
        services.delete_authors(queryset)


class PublicationFilter(admin.SimpleListFilter):
    """Draft, In review, Scheduled or Published: a scheduled article is one an editor
    published for a time still to come."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


@admin.action(description=_("Publish now"), permissions=["publish"])
def publish_now(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = services.publish_now(queryset.select_related(None))
    modeladmin.message_user(
        request,
        ngettext("%(count)d article published.", "%(count)d articles published.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
def unpublish(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = services.unpublish(queryset.select_related(None))
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d article taken back to draft.",
            "%(count)d articles taken back to draft.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    # The body's toolbar and live preview, and the counters (articles/forms.py).
    form = ArticleAdminForm
    list_display = [
        "headline",
        "publication_state",
        "published_at",
        "byline",
        "section",
        "approved_comments",
        "pending_comments",
        "comment_mode",
    ]
    list_filter = [PublicationFilter, "featured", "section", "comment_mode"]
    list_select_related = ["section", "byline"]
    search_fields = ["headline", "standfirst", "body", "byline__name"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["byline", "section", "tags", "featured_image"]
    radio_fields = {"comment_mode": admin.VERTICAL}
    date_hierarchy = "published_at"
    readonly_fields = ["body_format", "created_by", "created_at", "updated_at"]
    actions = [publish_now, unpublish]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "byline", "section", "tags"]}),
        (_("Story"), {"fields": ["featured_image", "dateline", "body", "body_format"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "featured"]}),
        (_("Comments"), {"fields": ["comment_mode", "comments_close_after_days"]}),
        (
            _("History"),
            {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    # The history page (django-reversion's): every version, newest first, each linked to
    # what it changed and a button to restore it.
    history_latest_first = True

    # Who may do what: contributors add articles and change their own until an editor
    # publishes them; changing what readers see (publishing, scheduling, a published
    # article) is for those who may publish.

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .worked_on_by(request.user)
            .annotate(
                approved_count=Comment.objects.approved().count_per_article(),
                pending_count=Comment.objects.pending().count_per_article(),
            )
        )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return may_publish(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or may_publish(request):
            return True
        return obj.status != Article.Status.PUBLISHED and self._works_on(request, obj)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self._works_on(request, obj)

    def _works_on(self, request, article: Article) -> bool:
        return Article.objects.worked_on_by(request.user).filter(pk=article.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        if may_publish(request):
            return self.readonly_fields
        return [*self.readonly_fields, "published_at", "featured"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not may_publish(request):
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value != Article.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).first()
        if author is not None and "byline" not in initial:
            initial["byline"] = author.pk
        return initial

    def get_urls(self):
        return admin_preview.urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.save_article(
            obj, changed_fields=form.changed_data, created=not change, user=request.user
        )

    def delete_model(self, request, obj):
        services.delete_articles([obj])

    def delete_queryset(self, request, queryset):
        services.delete_articles(queryset)

    @admin.display(description=_("status"), ordering="status")
    def publication_state(self, article: Article) -> str:
        return article.publication_state

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
            article = services.restore_article(
                version, user=request.user, may_publish=may_publish(request)
            )
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
