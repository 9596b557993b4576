from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import services
from comments.models import Comment


class StatusFilter(admin.SimpleListFilter):
    """Pending (3) · Approved (40) · Spam (2) · Trash (1), as in WordPress's queue."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = Comment.objects.status_counts()
        return [(value, f"{label} ({counts[value]})") for value, label in Comment.Status.choices]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


def _moderation_action(status: str, description: str, singular: str, plural: str):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin: "CommentAdmin", request: HttpRequest, queryset: QuerySet) -> None:
        changed = services.change_status(queryset, status)
        label = Comment.Status(status).label
        for comment, old_status in changed:
            modeladmin.log_change(
                request, comment, f"{label} (was {Comment.Status(old_status).label})."
            )
        modeladmin.message_user(request, ngettext(singular, plural, len(changed)) % len(changed))

    action.__name__ = f"mark_{status}"
    return action


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author_name",
        "author_email",
        "ip_address",
        "article",
        "status",
        "submitted_at",
    ]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["author_name", "author_email", "text", "ip_address"]
    date_hierarchy = "submitted_at"
    list_per_page = 50
    fields = [
        "article",
        "parent",
        "status",
        "author_name",
        "author_email",
        "author_url",
        "text",
        "ip_address",
        "user_agent",
        "submitted_at",
    ]
    readonly_fields = ["article", "parent", "ip_address", "user_agent", "submitted_at"]
    actions = [
        _moderation_action(
            Comment.Status.APPROVED, _("Approve"), "%d comment approved.", "%d comments approved."
        ),
        _moderation_action(
            Comment.Status.PENDING,
            _("Unapprove"),
            "%d comment unapproved.",
            "%d comments unapproved.",
        ),
        _moderation_action(
            Comment.Status.SPAM,
            _("Mark as spam"),
            "%d comment marked as spam.",
            "%d comments marked as spam.",
        ),
        _moderation_action(
            Comment.Status.TRASH,
            _("Move to trash"),
            "%d comment moved to the trash.",
            "%d comments moved to the trash.",
        ),
    ]

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.text).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers through the form, never from the admin.
        return False
