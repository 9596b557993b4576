"""Admin pages for acting on one comment from the moderator's email.

Each link in the email (approve, spam, trash) opens a page that quotes the comment and asks
the editor to confirm with a button: following a link changes nothing (a mail scanner or a
prefetching browser may open it), only the POST from that page does, with its CSRF token.
As WordPress's ``wp-admin/comment.php`` does for the links in ``wp_notify_moderator()``.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from comments import services
from comments.models import Comment


@dataclass(frozen=True)
class Action:
    status: str
    question: str
    button: str
    done: str
    already: str


ACTIONS = {
    "approve": Action(
        Comment.Status.APPROVED,
        _("Approve this comment?"),
        _("Approve comment"),
        _("The comment was approved."),
        _("This comment is approved already."),
    ),
    "spam": Action(
        Comment.Status.SPAM,
        _("Mark this comment as spam?"),
        _("Mark as spam"),
        _("The comment was marked as spam."),
        _("This comment is marked as spam already."),
    ),
    "trash": Action(
        Comment.Status.TRASH,
        _("Move this comment to the trash?"),
        _("Move to trash"),
        _("The comment was moved to the trash."),
        _("This comment is in the trash already."),
    ),
}


def log_status_changes(model_admin, request: HttpRequest, changes: services.StatusChanges):
    """Each comment's change of status in its history: who, when, from what to what."""
    for comment, old_status in changes.changed:
        model_admin.log_change(
            request,
            comment,
            f"{comment.get_status_display()} (was {Comment.Status(old_status).label}).",
        )


def urls(model_admin) -> list:
    view = partial(moderate_view, model_admin=model_admin)
    return [
        path(
            "<int:object_id>/moderate/<str:action>/",
            model_admin.admin_site.admin_view(view),
            name="comments_comment_moderate",
        )
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def moderate_view(
    request: HttpRequest, object_id: int, action: str, *, model_admin
) -> HttpResponse:
    """GET: the question, the comment and a button. POST: the change, logged in its history."""
    if action not in ACTIONS:
        raise Http404("No such moderation action.")
    chosen = ACTIONS[action]
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=object_id)
    if not model_admin.has_change_permission(request, comment):
        raise PermissionDenied

    if request.method == "POST":
        with transaction.atomic():
            changes = services.change_status([comment], chosen.status)
            log_status_changes(model_admin, request, changes)
        if changes.duplicates:
            model_admin.message_user(request, services.DUPLICATE_MESSAGE, messages.ERROR)
        elif changes.changed:
            model_admin.message_user(request, chosen.done, messages.SUCCESS)
        else:
            model_admin.message_user(request, chosen.already, messages.INFO)
        return redirect(comment.get_admin_url())

    context = {
        **model_admin.admin_site.each_context(request),
        "title": chosen.question,
        "opts": Comment._meta,
        "comment": comment,
        "action": chosen,
        "done_already": comment.status == chosen.status,
    }
    return TemplateResponse(request, "admin/comments/comment/moderate_confirm.html", context)
