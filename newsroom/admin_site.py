"""The admin site editors work in (``NewsroomAdminConfig.default_site``)."""

from functools import update_wrapper

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from comments import admin_desk, admin_reports
from comments.models import Comment
from newsroom import two_factor
from newsroom.signin import SignInForm


class NewsroomAdminSite(admin.AdminSite):
    """The editors' workplace: every page shows how many comments await moderation.

    Signing in asks for a two-factor code from those who set it up; when a superuser requires
    two-factor sign-in, no admin page opens before it is set up.
    """

    site_header = "Newsroom editors"
    site_title = "Newsroom admin"
    index_title = "Newsroom"
    login_form = SignInForm

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        user = request.user
        if user.is_active and (
            user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
        ):
            # Counted once a request (the front page asks twice: its figures, each_context).
            if not hasattr(request, "comments_pending"):
                request.comments_pending = Comment.objects.pending().count()
            context["comments_pending"] = request.comments_pending
        return context

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # The moderation desk's figures, for those who moderate (comments/admin_desk.py).
        context = self.each_context(request)
        if context.get("comments_pending") is not None:
            extra_context = {
                **(extra_context or {}),
                "comment_desk": admin_desk.dashboard(
                    context["comments_pending"], admin_reports.reported_count(request)
                ),
            }
        return super().index(request, extra_context)

    def admin_view(self, view, cacheable=False):
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return two_factor.admin_detour(request) or view(request, *args, **kwargs)

        # Django's own checks (signed in, staff) come first, then the two-factor detour.
        return super().admin_view(update_wrapper(inner, view), cacheable)

    def get_urls(self):
        enrol = self.admin_view(self.two_factor_view)
        return [path("two-factor/", enrol, name="two_factor"), *super().get_urls()]

    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        return two_factor.enrol_view(request, self)
