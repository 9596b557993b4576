import ipaddress

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import admin_moderation, admin_privacy, admin_reports, search, services
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


def _moderation_action(name: str, description, singular: str, plural: str, apply):
    """A bulk action that ``apply``s a status change, says how many changed, logs each."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin: "CommentAdmin", request: HttpRequest, queryset: QuerySet) -> None:
        changes = apply(queryset)
        for comment, old_status in changes.changed:
            modeladmin.log_change(
                request,
                comment,
                f"{comment.get_status_display()} (was {Comment.Status(old_status).label}).",
            )
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

    action.__name__ = name
    return action


def _to(status: str):
    return lambda comments: services.change_status(comments, status)


def _out_of(status: str):
    return lambda comments: services.restore(comments, status)


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
        _moderation_action(
            "mark_approved",
            _("Approve"),
            "%d comment approved.",
            "%d comments approved.",
            _to(Comment.Status.APPROVED),
        ),
        _moderation_action(
            "mark_pending",
            _("Unapprove"),
            "%d comment unapproved.",
            "%d comments unapproved.",
            _to(Comment.Status.PENDING),
        ),
        _moderation_action(
            "mark_spam",
            _("Mark as spam"),
            "%d comment marked as spam.",
            "%d comments marked as spam.",
            _to(Comment.Status.SPAM),
        ),
        _moderation_action(
            "mark_not_spam",
            _("Not spam"),
            "%d comment restored from spam.",
            "%d comments restored from spam.",
            _out_of(Comment.Status.SPAM),
        ),
        _moderation_action(
            "mark_trash",
            _("Move to trash"),
            "%d comment moved to the trash.",
            "%d comments moved to the trash.",
            _to(Comment.Status.TRASH),
        ),
        _moderation_action(
            "restore",
            _("Restore"),
            "%d comment restored from the trash.",
            "%d comments restored from the trash.",
            _out_of(Comment.Status.TRASH),
        ),
    ]

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
        return super().changelist_view(request, {**(extra_context or {}), "status_views": views})

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
        return admin_moderation.urls(self) + admin_privacy.urls(self) + super().get_urls()

    @admin.display(description=_("comment"))
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.text).chars(80)

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
