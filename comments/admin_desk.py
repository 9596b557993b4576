"""The moderation desk: one-click row actions and editors' replies in the comments queue.

Each row of the queue carries buttons (Approve or Unapprove, Reply, Spam, Trash; Not spam,
Restore and Delete permanently in spam and the trash), as WordPress's Comments screen does.
Each button is a real POST to one of the views here, through ``comments/services.py``.
Without JavaScript it comes back to the same list with a message (and an Undo button);
``static/js/moderation-desk.js`` posts the same form and takes the JSON answer instead, to
change the row in place.

The queue's page also gets, in two queries whatever its length, each author's record (their
comments approved and marked spam) and, for replies, the comment answered
(``DeskChangeList``).
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Upper
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from comments import admin_moderation, moderation, services
from comments.forms import CommentForm, without_control_characters
from comments.models import Comment, DiscussionSettings

APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


@dataclass(frozen=True)
class RowAction:
    label: str
    done: str
    apply: Callable[[Comment], services.StatusChanges]
    key: str = ""  # the keyboard shortcut, as WordPress's (vim-a, vim-u, …)
    undo: str = ""  # the action that takes it back
    permission: str = "change"


def _delete(doomed) -> services.StatusChanges:
    gone = list(doomed)
    services.delete_comments(doomed)
    return services.StatusChanges(changed=[(comment, comment.status) for comment in gone])


ROW_ACTIONS = {
    "approve": RowAction(
        _("Approve"),
        _("Comment approved."),
        lambda comment: services.change_status([comment], APPROVED),
        key="a",
        undo="unapprove",
    ),
    "unapprove": RowAction(
        _("Unapprove"),
        _("Comment unapproved: it waits in Pending."),
        lambda comment: services.change_status([comment], PENDING),
        key="u",
        undo="approve",
    ),
    "spam": RowAction(
        _("Spam"),
        _("Comment marked as spam."),
        lambda comment: services.change_status([comment], SPAM),
        key="s",
        undo="not_spam",
    ),
    "not_spam": RowAction(
        _("Not spam"),
        _("Comment restored from spam."),
        lambda comment: services.restore([comment], SPAM),
        key="z",
        undo="spam",
    ),
    "trash": RowAction(
        _("Trash"),
        _("Comment moved to the trash."),
        lambda comment: services.change_status([comment], TRASH),
        key="d",
        undo="restore",
    ),
    "restore": RowAction(
        _("Restore"),
        _("Comment restored from the trash."),
        lambda comment: services.restore([comment], TRASH),
        key="z",
        undo="trash",
    ),
    "delete": RowAction(
        _("Delete permanently"),
        _("Comment deleted permanently."),
        _delete,  # given the comment only if it is in spam or the trash (row_action_view)
        permission="delete",
    ),
}

# What a comment in each status offers, in WordPress's order (Reply comes second).
OFFERED = {
    PENDING: ["approve", "reply", "spam", "trash"],
    APPROVED: ["unapprove", "reply", "spam", "trash"],
    SPAM: ["not_spam", "delete"],
    TRASH: ["restore", "delete"],
}


def urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:object_id>/desk/<str:action>/",
            wrap(partial(row_action_view, model_admin=model_admin)),
            name="comments_comment_desk",
        ),
        path(
            "<int:object_id>/reply/",
            wrap(partial(reply_view, model_admin=model_admin)),
            name="comments_comment_reply",
        ),
    ]


# --- The row ------------------------------------------------------------------------------

# A number no comment has, for reversing a URL once and filling in each row's comment.
_PLACEHOLDER = 2**62


@lru_cache(maxsize=64)
def _url_pattern(script_prefix: str, name: str, *args: str) -> str:
    return reverse(name, args=[_PLACEHOLDER, *args])


def comment_url(name: str, pk: int, *args: str) -> str:
    """``reverse(name, args=[pk, *args])``, reversed once a process rather than for each of
    the page's hundreds of buttons (reversing was most of the time the rows took)."""
    pattern = _url_pattern(get_script_prefix(), name, *args)
    return pattern.replace(f"/{_PLACEHOLDER}/", f"/{int(pk)}/", 1)


class DeskChangeList(ChangeList):
    """The queue's page, with what each row shows about its author and its parent."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        can = {
            "change": self.model_admin.has_change_permission(request),
            "delete": self.model_admin.has_delete_permission(request),
        }
        add_records(self.result_list)
        add_parents(self.result_list)
        for comment in self.result_list:
            comment.desk_can = can


def add_records(comments: list[Comment]) -> None:
    """Each author's record, in one query: how many of their comments (by email address)
    are approved and how many are spam, as WordPress's queue shows beside the name."""
    emails = {comment.author_email.upper() for comment in comments if comment.author_email}
    records: dict[str, dict[str, int]] = {}
    if emails:
        rows = (
            Comment.objects.annotate(email=Upper("author_email"))
            .filter(email__in=emails, status__in=[APPROVED, SPAM])
            .order_by()
            .values_list("email", "status")
            .annotate(n=Count("*"))
        )
        for email, status, n in rows:
            records.setdefault(email, {})[status] = n
    for comment in comments:
        record = records.get(comment.author_email.upper(), {})
        comment.record_approved = record.get(APPROVED, 0)
        comment.record_spam = record.get(SPAM, 0)


def add_parents(comments: list[Comment]) -> None:
    """The comment each reply answers, in one query (``parent_answered``, None if none)."""
    ids = {comment.parent_id for comment in comments if comment.parent_id}
    parents = {}
    if ids:
        parents = {
            parent.pk: parent
            for parent in Comment.objects.filter(pk__in=ids).only(
                "pk", "author_name", "text", "status", "article_id"
            )
        }
    for comment in comments:
        comment.parent_answered = parents.get(comment.parent_id)


def row_actions(comment: Comment, can: dict[str, bool]) -> str:
    """The row's buttons. Each submits the page's one ``desk-action`` form (outside the
    changelist's own form: forms do not nest) to its own address."""
    if not can.get("change"):
        return ""
    buttons = _row_actions_html(
        comment.status, bool(can.get("delete")), get_language(), get_script_prefix()
    )
    # The same buttons for every comment in a status: written once, the comment's id put in.
    return mark_safe(buttons.replace(f"/{_PLACEHOLDER}/", f"/{int(comment.pk)}/"))  # noqa: S308


@lru_cache(maxsize=64)
def _row_actions_html(status: str, can_delete: bool, language: str, script_prefix: str) -> str:
    """The buttons of a row in ``status``, for the comment numbered ``_PLACEHOLDER``."""
    pk = _PLACEHOLDER
    can = {"change": True, "delete": can_delete}
    buttons = []
    for name in OFFERED[status]:
        if name == "reply":
            label = _("Approve and reply") if status == PENDING else _("Reply")
            url = comment_url("admin:comments_comment_reply", pk)
            if status == PENDING:
                url += "?approve=1"
            buttons.append(
                format_html('<a class="desk-reply" data-key="r" href="{}">{}</a>', url, label)
            )
            continue
        action = ROW_ACTIONS[name]
        if not can.get(action.permission):
            continue
        buttons.append(
            format_html(
                '<button type="submit" form="desk-action" formaction="{}" class="desk-{}"'
                ' data-key="{}">{}</button>',
                comment_url("admin:comments_comment_desk", pk, name),
                name,
                action.key,
                action.label,
            )
        )
    buttons.append(
        format_html(
            '<a class="desk-edit" href="{}">{}</a>',
            comment_url("admin:comments_comment_change", pk),
            _("Edit"),
        )
    )
    return str(
        format_html(
            '<div class="desk-row-actions" aria-label="{}" role="group">{}</div>',
            _("Actions"),
            format_html_join(" ", "{}", ((button,) for button in buttons)),
        )
    )


def excerpt(text: str, length: int = 80) -> str:
    """The start of ``text``, cut at ``length`` characters (only the start is read: a
    comment may be 65,000 characters long)."""
    return Truncator(text[: length * 2]).chars(length)


def record(comment: Comment) -> str:
    return format_html(
        '<span class="desk-record">{}</span>',
        ", ".join(
            [
                ngettext("%d approved", "%d approved", comment.record_approved)
                % comment.record_approved,
                ngettext("%d spam", "%d spam", comment.record_spam) % comment.record_spam,
            ]
        ),
    )


def in_reply_to(comment: Comment) -> str:
    parent = getattr(comment, "parent_answered", None)
    if parent is None:
        return ""
    return format_html(
        '<p class="desk-parent">{} <a href="{}">{}</a>: <q>{}</q></p>',
        _("In reply to"),
        comment_url("admin:comments_comment_change", parent.pk),
        parent.author_name,
        excerpt(parent.text),
    )


# --- Acting on one comment ----------------------------------------------------------------


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def back_to(request: HttpRequest) -> str:
    """The list the editor acted from (same filters, same page), if it is ours."""
    changelist = reverse("admin:comments_comment_changelist")
    candidates = [
        request.POST.get("next", ""),
        request.GET.get("next", ""),
        # A Reply link followed from the list: back to that list.
        urlsplit(request.headers.get("Referer", ""))._replace(scheme="", netloc="").geturl(),
    ]
    for url in candidates:
        if url.startswith(changelist) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
    return changelist


def status_counts() -> dict[str, int]:
    counts = Comment.objects.status_counts()
    return {"": sum(counts.values()), **counts}


@require_POST
def row_action_view(
    request: HttpRequest, object_id: int, action: str, *, model_admin
) -> HttpResponse:
    """One button of a row: the change, logged in the comment's history."""
    if action not in ROW_ACTIONS:
        raise Http404("No such moderation action.")
    chosen = ROW_ACTIONS[action]
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=object_id)
    allowed = {
        "change": model_admin.has_change_permission,
        "delete": model_admin.has_delete_permission,
    }[chosen.permission]
    if not allowed(request, comment):
        raise PermissionDenied

    with transaction.atomic():
        if action == "delete":
            # Deleted for good only from spam or the trash, as in WordPress.
            doomed = Comment.objects.filter(pk=comment.pk, status__in=services.OUT_OF_SIGHT)
            model_admin.log_deletions(request, doomed)
            changes = _delete(doomed)
        else:
            changes = chosen.apply(comment)
            admin_moderation.log_status_changes(model_admin, request, changes)

    if changes.duplicates:
        level, message, undo = messages.ERROR, services.DUPLICATE_MESSAGE, ""
    elif changes.changed:
        level, message, undo = messages.SUCCESS, chosen.done, chosen.undo
    else:
        level, message, undo = messages.INFO, _("Nothing changed: the comment was so already."), ""
    undo_url = reverse("admin:comments_comment_desk", args=[comment.pk, undo]) if undo else ""

    if wants_json(request):
        deleted = action == "delete" and bool(changes.changed)
        can = {
            "change": model_admin.has_change_permission(request),
            "delete": model_admin.has_delete_permission(request),
        }
        return JsonResponse(
            {
                "message": str(message),
                "level": messages.DEFAULT_TAGS[level],
                "deleted": deleted,
                "status": "" if deleted else comment.status,
                "status_label": "" if deleted else str(comment.get_status_display()),
                "actions": "" if deleted else row_actions(comment, can),
                "undo": {"url": undo_url, "label": str(_("Undo"))} if undo else None,
                "counts": status_counts(),
            }
        )
    if undo:
        # The list the editor comes back to has the desk-action form this button submits.
        message = format_html(
            '{} <button type="submit" form="desk-action" formaction="{}" class="desk-undo">'
            "{}</button>",
            message,
            undo_url,
            _("Undo"),
        )
    model_admin.message_user(request, message, level)
    return redirect(back_to(request))


# --- An editor's reply --------------------------------------------------------------------


class EditorReplyForm(forms.Form):
    """The reply box: the reader's comment field itself, so the same limits and checks."""

    comment = copy.deepcopy(CommentForm.base_fields["comment"])

    def __init__(self, *args, parent: Comment, approve_parent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.approve_parent = approve_parent
        self.fields["comment"].label = _("Your reply")

    def clean_comment(self) -> str:
        text = without_control_characters(self.cleaned_data["comment"]).strip()
        if not text:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return text

    def clean(self):
        cleaned = super().clean()
        refusal = reply_refusal(self.parent, approve_parent=self.approve_parent)
        if refusal:
            raise forms.ValidationError(refusal)
        return cleaned


def reply_refusal(parent: Comment, *, approve_parent: bool) -> str:
    """Why an editor may not reply to ``parent`` here, or "" if they may."""
    if not parent.article.is_public:
        return _("The article is not published: replies wait until it is.")
    if parent.status == PENDING and not approve_parent:
        return _("This comment awaits moderation: approve it and reply, or approve it first.")
    if parent.status not in (APPROVED, PENDING):
        return _("This comment is in spam or the trash: restore it before replying.")
    # The thread-depth rule readers' replies follow, counted as the page will show the
    # thread once the parent is approved.
    if not moderation.takes_replies(
        parent, DiscussionSettings.load(), approving=parent.status == PENDING
    ):
        return _(
            "That conversation is nested as deeply as it goes; reply to an earlier comment "
            "in it instead."
        )
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def reply_view(request: HttpRequest, object_id: int, *, model_admin) -> HttpResponse:
    """GET: the comment, its article and a box. POST: the editor's reply, approved at once."""
    parent = get_object_or_404(Comment.objects.select_related("article"), pk=object_id)
    if not model_admin.has_change_permission(request, parent):
        raise PermissionDenied
    approve_parent = parent.status == PENDING and (
        request.POST.get("approve") == "1" or request.GET.get("approve") == "1"
    )
    form = EditorReplyForm(
        request.POST if request.method == "POST" else None,
        parent=parent,
        approve_parent=approve_parent,
    )
    if form.is_bound and form.is_valid():
        try:
            reply = services.reply_as_editor(
                parent=parent,
                user=request.user,
                text=form.cleaned_data["comment"],
                request_meta=request.META,
                approve_parent=approve_parent,
            )
        except services.DuplicateComment:
            form.add_error(None, services.DUPLICATE_MESSAGE)
        else:
            model_admin.log_addition(request, reply, "Replied from the moderation queue.")
            if approve_parent:
                model_admin.log_change(request, parent, "Approved (was Pending).")
            done = (
                _("Comment approved and your reply posted.")
                if approve_parent
                else _("Your reply was posted.")
            )
            if wants_json(request):
                parent.refresh_from_db()
                can = {
                    "change": True,
                    "delete": model_admin.has_delete_permission(request),
                }
                return JsonResponse(
                    {
                        "message": str(done),
                        "status": parent.status,
                        "status_label": str(parent.get_status_display()),
                        "actions": row_actions(parent, can),
                        "counts": status_counts(),
                    }
                )
            model_admin.message_user(
                request,
                format_html('{} <a href="{}">{}</a>', done, reply.get_absolute_url(), _("View it")),
                messages.SUCCESS,
            )
            return redirect(back_to(request))
    if form.is_bound and wants_json(request):
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return JsonResponse({"errors": errors}, status=400)

    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Approve and reply") if approve_parent else _("Reply to a comment"),
        "opts": Comment._meta,
        "comment": parent,
        "form": form,
        "approve_parent": approve_parent,
        "refusal": "" if form.is_bound else reply_refusal(parent, approve_parent=approve_parent),
        "next": back_to(request),
    }
    return TemplateResponse(request, "admin/comments/comment/reply.html", context)


# --- The admin's front page ---------------------------------------------------------------


@dataclass
class Dashboard:
    pending: int
    reported: int
    today: int
    oldest_waiting: Comment | None
    week_approved: int
    week_spam: int


def dashboard(pending: int, reported: int) -> Dashboard:
    """The figures on the admin's front page, each read from an index (three queries; the
    pending count is the one every admin page shows already, the reported one the queue's
    "Reported (n)")."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = Comment.objects.filter(submitted_at__gte=midnight).count()
    oldest = (
        Comment.objects.pending()
        .order_by("submitted_at", "pk")
        .select_related("article")
        .only("pk", "author_name", "text", "submitted_at", "article__headline")
        .first()
    )
    week = dict(
        Comment.objects.filter(
            status__in=[APPROVED, SPAM], submitted_at__gte=now - timedelta(days=7)
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
    )
    return Dashboard(pending, reported, today, oldest, week.get(APPROVED, 0), week.get(SPAM, 0))
