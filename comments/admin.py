import ipaddress

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db import connections, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import admin_desk, admin_moderation, admin_privacy, admin_reports, search, services
from comments.forms import EMAIL_CHECKS, NAME_CHECKS, TEXT_CHECKS, WEBSITE_CHECKS, WebsiteField
from comments.models import Comment, DiscussionSettings


def is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class StatusFilter(admin.SimpleListFilter):
    """Pending (3) · Approved (40) · Spam (2) · Trash (1), as in WordPress's queue."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = model_admin.status_counts(request)
        return [(value, f"{label} ({counts[value]})") for value, label in Comment.Status.choices]

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ArticleFilter(admin.RelatedOnlyFieldListFilter):
    """The articles that have comments, each found with one look in the comments' index.

    Django's own asks for the articles among every comment's article (``IN (SELECT DISTINCT
    …)``), which reads all of them: 5 ms for 100,000 comments on PostgreSQL, 0.2 ms this way.
    """

    def field_choices(self, field, request, model_admin):
        has_comments = Exists(model_admin.get_queryset(request).filter(article=OuterRef("pk")))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(has_comments), ordering=ordering
        )


class AtLeast(int):
    """A count that stopped counting: it reads "1,000+" on the page, and is that number."""

    def __str__(self) -> str:
        return f"{int(self):,}+"


class SearchPaginator(Paginator):
    """Counts a search's results up to ``cap``: past that, "1,000+" and no further.

    Counting every match of a common word reads and checks each one (on 100,000 comments,
    0.1-0.3 s on PostgreSQL, which rechecks each row its trigram index found); the count
    stops at ``cap`` + 1 in no particular order. Editors page through the first ``cap`` and
    narrow the search for more.
    """

    cap = 1000

    @cached_property
    def count(self) -> int:
        found = list(self.object_list.order_by().values_list("pk", flat=True)[: self.cap + 1])
        if len(found) > self.cap:
            return AtLeast(self.cap)
        # Few matches: the page reads them by primary key. Left to itself, PostgreSQL may
        # walk the date index newest first looking for them (its estimate of a trigram
        # match is often ten times off), which for a rare word means reading every comment.
        # With many matches that walk is the best plan: it stops at the page's last row.
        self.object_list = self.object_list.filter(pk__in=found)
        return len(found)


def _moderate(modeladmin, request, queryset, apply, singular: str, plural: str) -> None:
    """Apply a status change to the selected comments, all or nothing: one transaction for
    the changes and their history entries. Says how many changed."""
    with transaction.atomic():
        changes = apply(queryset)
        admin_moderation.log_status_changes(modeladmin, request, changes)
    count = len(changes.changed)
    modeladmin.message_user(request, ngettext(singular, plural, count) % count)
    if changes.duplicates:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d comment stayed in the trash: %(reason)s",
                "%(count)d comments stayed in the trash: %(reason)s",
                len(changes.duplicates),
            )
            % {"count": len(changes.duplicates), "reason": services.DUPLICATE_MESSAGE},
            messages.ERROR,
        )


@admin.action(description=_("Approve"), permissions=["change"])
def mark_approved(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.change_status(comments, Comment.Status.APPROVED),
        "%d comment approved.",
        "%d comments approved.",
    )


@admin.action(description=_("Unapprove"), permissions=["change"])
def mark_pending(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.change_status(comments, Comment.Status.PENDING),
        "%d comment unapproved.",
        "%d comments unapproved.",
    )


@admin.action(description=_("Mark as spam"), permissions=["change"])
def mark_spam(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.change_status(comments, Comment.Status.SPAM),
        "%d comment marked as spam.",
        "%d comments marked as spam.",
    )


@admin.action(description=_("Not spam"), permissions=["change"])
def mark_not_spam(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.restore(comments, Comment.Status.SPAM),
        "%d comment restored from spam.",
        "%d comments restored from spam.",
    )


@admin.action(description=_("Move to trash"), permissions=["change"])
def mark_trash(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.change_status(comments, Comment.Status.TRASH),
        "%d comment moved to the trash.",
        "%d comments moved to the trash.",
    )


@admin.action(description=_("Restore"), permissions=["change"])
def restore(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    _moderate(
        modeladmin,
        request,
        queryset,
        lambda comments: services.restore(comments, Comment.Status.TRASH),
        "%d comment restored from the trash.",
        "%d comments restored from the trash.",
    )


@admin.action(description=_("Delete permanently"), permissions=["delete"])
def delete_permanently(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    """Spam and trash only (the action is offered in those views, and anything else
    selected is left alone): replies move up, as the daily clean-up does."""
    doomed = queryset.filter(status__in=services.OUT_OF_SIGHT)
    with transaction.atomic():
        modeladmin.log_deletions(request, doomed)
        deleted, _moved = services.delete_comments(doomed)
    modeladmin.message_user(
        request,
        ngettext("%d comment deleted permanently.", "%d comments deleted permanently.", deleted)
        % deleted,
    )


# The bulk actions each status view offers, as in WordPress's queue: nothing is deleted for
# good outside Spam and Trash. "All" offers every status change.
ACTIONS_IN_VIEW = {
    "": ["mark_approved", "mark_pending", "mark_spam", "mark_not_spam", "mark_trash", "restore"],
    Comment.Status.PENDING: ["mark_approved", "mark_spam", "mark_trash"],
    Comment.Status.APPROVED: ["mark_pending", "mark_spam", "mark_trash"],
    Comment.Status.SPAM: ["mark_not_spam", "delete_permanently"],
    Comment.Status.TRASH: ["restore", "mark_spam", "delete_permanently"],
}


class CommentAdminForm(forms.ModelForm):
    """An editor's edit passes the checks a reader's comment passed (comments/forms.py)."""

    CHECKS = {
        "author_name": NAME_CHECKS,
        "author_email": EMAIL_CHECKS,
        "author_url": WEBSITE_CHECKS,
        "text": TEXT_CHECKS,
    }

    class Meta:
        field_classes = {"author_url": WebsiteField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, checks in self.CHECKS.items():
            if name in self.fields:
                self.fields[name].validators += checks

    def _post_clean(self):
        super()._post_clean()
        # The edited comment, in the status chosen, must not repeat another one.
        if self.cleaned_data.get("status") != Comment.Status.TRASH and services.duplicate_of(
            self.instance
        ):
            self.add_error(None, services.DUPLICATE_MESSAGE)


@admin.register(Comment)
class CommentAdmin(admin_reports.ReportsInQueue, admin.ModelAdmin):
    form = CommentAdminForm
    # As WordPress's: who, what (with the comment answered and the row's buttons), where,
    # then status and date, narrow enough for a 1280 px screen.
    list_display = ["author", "excerpt", "article_link", "status", "submitted_at"]
    # The excerpt links to the comment itself; the row's buttons sit beside it.
    list_display_links = None
    # Django 5.x assumes "http" for a website typed without one and warns; say https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Newest first, as in WordPress's queue (comment_submitted_idx and, filtered by status,
    # comment_queue_idx serve it: the page is read from an index, never sorted).
    ordering = ["-submitted_at", "-pk"]
    # A date filter rather than a date_hierarchy, which lists the years, months or days that
    # have comments: on 100,000 comments that alone took 0.6 s on SQLite.
    list_filter = [
        StatusFilter,
        ("article", ArticleFilter),
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["article"]
    # The text first: PostgreSQL checks a found row's fields in this order, and most
    # searches are for words of the text (with 6,000 matches, 50 ms rather than 64).
    search_fields = ["text", "author_name", "author_email", "ip_address"]
    search_help_text = _(
        "Finds a name, an email address, words of the comment or an IP address, or part of "
        "one. A whole email or IP address finds that commenter's comments at once."
    )
    list_per_page = 50
    # "All (n)" above the list says how many comments there are: no second count.
    show_full_result_count = False
    fields = [
        "article",
        "parent",
        "status",
        "author_name",
        "author_email",
        "author_url",
        "text",
        "user",
        "ip_address",
        "user_agent",
        "submitted_at",
        "status_changed_at",
    ]
    readonly_fields = [
        "article",
        "parent",
        "user",
        "ip_address",
        "user_agent",
        "submitted_at",
        "status_changed_at",
    ]
    actions = [
        mark_approved,
        mark_pending,
        mark_spam,
        mark_not_spam,
        mark_trash,
        restore,
        delete_permanently,
    ]

    class Media:
        css = {"all": ["css/moderation-desk.css"]}
        js = ["js/moderation-desk.js"]

    def get_actions(self, request: HttpRequest, action_location=None) -> dict:
        # ``action_location``: Django 6.1 asks for the actions of a comment's own page too.
        where = {} if action_location is None else {"action_location": action_location}
        offered = ACTIONS_IN_VIEW.get(request.GET.get("status", ""), ACTIONS_IN_VIEW[""])
        actions = super().get_actions(request, **where)
        return {name: action for name, action in actions.items() if name in offered}

    def get_changelist(self, request: HttpRequest, **kwargs):
        return admin_desk.DeskChangeList

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # WordPress's views above the list: Pending (3) · Approved (40) · Spam (2) · Trash (1).
        counts = self.status_counts(request)
        current = request.GET.get("status", "")
        views = [
            {"value": "", "label": _("All"), "count": sum(counts.values())},
            *(
                {"value": value, "label": label, "count": counts[value]}
                for value, label in Comment.Status.choices
            ),
        ]
        for view in views:
            view["current"] = view["value"] == current
        context = {
            **(extra_context or {}),
            "status_views": views,
            # The queue takes the whole width, as WordPress's does: at 1280 px the navigation
            # sidebar would leave the comments a third of the screen (the breadcrumbs and the
            # front page lead everywhere it does).
            "is_nav_sidebar_enabled": False,
        }
        return super().changelist_view(request, context)

    def status_counts(self, request: HttpRequest) -> dict[str, int]:
        """Comments per status, counted once a request for the filter and the views."""
        if not hasattr(request, "comment_status_counts"):
            request.comment_status_counts = Comment.objects.status_counts()
        return request.comment_status_counts

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # A whole email or IP address is looked up in its own index; anything else in every
        # search field, through the trigram indexes of PostgreSQL or SQLite's full-text
        # index (comments/search.py).
        term = search_term.strip()
        if is_email(term):
            email = Upper("author_email")
            return queryset.alias(email=email).filter(email=Upper(Value(term))), False
        if is_ip_address(term):
            return queryset.filter(ip_address=term), False
        if term and connections[queryset.db].vendor == "sqlite":
            return search.search_sqlite(queryset, term, self.search_fields), False
        return super().get_search_results(request, queryset, search_term)

    def get_paginator(self, request: HttpRequest, queryset: QuerySet, per_page: int, **kwargs):
        # The list itself is counted from an index in a few ms: exactly.
        if request.GET.get(SEARCH_VAR):
            return SearchPaginator(queryset, per_page, **kwargs)
        return super().get_paginator(request, queryset, per_page, **kwargs)

    def get_urls(self):
        # Pages of their own: acting on a comment from an email, and the privacy tool.
        return (
            admin_moderation.urls(self)
            + admin_desk.urls(self)
            + admin_privacy.urls(self)
            + super().get_urls()
        )

    def action_checkbox(self, comment: Comment) -> str:
        # Django's draws each row's box through the form renderer's templates, a fifth of
        # the queue's time: the same markup, written directly.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            comment.pk,
            format_html(_("Select this object for an action - {}"), str(comment)),
        )

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a>{}{}',
            admin_desk.comment_url("admin:comments_comment_change", comment.pk),
            admin_desk.excerpt(comment.text),
            admin_desk.in_reply_to(comment),
            admin_desk.row_actions(comment, getattr(comment, "desk_can", {})),
        )

    @admin.display(description=_("author"))
    def author(self, comment: Comment) -> str:
        badge = format_html(' <span class="desk-staff">{}</span>', _("Staff"))
        ip = ""
        if comment.ip_address:
            ip = format_html(
                '<a class="desk-ip" href="?{}">{}</a>',
                urlencode({SEARCH_VAR: comment.ip_address}),
                comment.ip_address,
            )
        return format_html(
            '<strong class="desk-name">{}</strong>{}<br><a class="desk-email" href="mailto:{}">'
            "{}</a><br>{}{}",
            comment.author_name,
            badge if comment.by_staff else "",
            comment.author_email,
            comment.author_email,
            ip,
            admin_desk.record(comment) if hasattr(comment, "record_approved") else "",
        )

    @admin.display(description=_("in response to"), ordering="article")
    def article_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a><br><a class="desk-article-filter" href="?article__id__exact={}">'
            "{}</a>",
            comment.article.get_absolute_url(),
            comment.article.headline,
            comment.article_id,
            _("Its comments"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers through the form, never from the admin.
        return False

    def save_model(self, request, obj, form, change):
        # A status chosen in the form changes like one from an action: it is dated and
        # spam and trash remember where the comment came from.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        services.edit_comment(obj, status=new_status)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    """One page of rules, like WordPress's Settings › Discussion."""

    fieldsets = [
        (_("Before a comment appears"), {"fields": ["hold_all", "approve_known_commenters"]}),
        (
            _("Comment moderation"),
            {"fields": ["max_links", "moderation_words", "disallowed_words"]},
        ),
        (_("Closing"), {"fields": ["close_old_articles", "close_after_days"]}),
        (
            _("Showing comments"),
            {"fields": ["thread_depth", "comments_per_page", "first_page", "order"]},
        ),
        (_("Reports from readers"), {"fields": ["report_threshold"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.save_discussion_settings(obj)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # There is only one set of rules: go straight to it.
        settings = DiscussionSettings.load()
        return redirect("admin:comments_discussionsettings_change", settings.pk)
