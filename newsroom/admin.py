from django.contrib import admin
from django.http import HttpRequest

from comments.models import Comment


class NewsroomAdminSite(admin.AdminSite):
    """The editors' workplace: every page shows how many comments await moderation."""

    site_header = "Newsroom editors"
    site_title = "Newsroom admin"
    index_title = "Newsroom"

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        user = request.user
        if user.is_active and (
            user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
        ):
            context["comments_pending"] = Comment.objects.pending().count()
        return context
