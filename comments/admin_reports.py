"""Readers' reports in the editors' queue: "Reported (n)" beside the status views, a
"Reported" filter, and each comment's reports on its page (a read-only field: an inline
would need its own formset posted with every edit).

``ReportsInQueue`` plugs them into ``CommentAdmin``. The queue's page costs the same number of
queries however many rows it shows: the count is one query, and the Reported view reads the
rows' open reports in one more.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, Report

PARAMETER = "reported"


def reported_count(request: HttpRequest) -> int:
    """Comments with open reports, counted once a request for the filter and the view."""
    if not hasattr(request, "comment_reported_count"):
        # From the reports' own index: the comments ``Comment.objects.reported()`` lists.
        open_reports = Report.objects.open().order_by()
        request.comment_reported_count = open_reports.values("comment").distinct().count()
    return request.comment_reported_count


class ReportedFilter(admin.SimpleListFilter):
    """Reported (2): the comments readers have reported that no editor has acted on."""

    title = _("reports from readers")
    parameter_name = PARAMETER

    def lookups(self, request, model_admin):
        return [("open", _("Reported (%(count)d)") % {"count": reported_count(request)})]

    def queryset(self, request, queryset):
        if self.value() == "open":
            open_reports = Prefetch(
                "reports", queryset=Report.objects.open(), to_attr="open_reports"
            )
            return queryset.reported().prefetch_related(open_reports)
        return queryset


def reports_table(comment: Comment, *, with_reporters: bool) -> str:
    """The comment's reports, newest first, as a read-only table on its change page."""
    return render_to_string(
        "admin/comments/comment/_reports.html",
        {"reports": comment.reports.select_related("user"), "with_reporters": with_reporters},
    )


class ReportsInQueue:
    """The reports' part of ``CommentAdmin`` (a mixin before ``admin.ModelAdmin``)."""

    def get_list_filter(self, request: HttpRequest):
        return [*super().get_list_filter(request), ReportedFilter]

    # Each comment's reports on its page: a read-only field, as they are the readers' words.
    # Who reported is personal data: only superusers see the account or address.
    def get_fields(self, request: HttpRequest, obj=None):
        return [*super().get_fields(request, obj), *self._reports_field(request, obj)]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*super().get_readonly_fields(request, obj), *self._reports_field(request, obj)]

    def _reports_field(self, request: HttpRequest, obj) -> list[str]:
        if obj is None:
            return []
        return ["reports_with_reporters" if request.user.is_superuser else "reports"]

    @admin.display(description=_("reports from readers"))
    def reports(self, comment: Comment) -> str:
        return reports_table(comment, with_reporters=False)

    @admin.display(description=_("reports from readers"))
    def reports_with_reporters(self, comment: Comment) -> str:
        return reports_table(comment, with_reporters=True)

    def get_list_display(self, request: HttpRequest):
        # In the Reported view, what readers said: from the one prefetch of the page's rows.
        shown = super().get_list_display(request)
        if request.GET.get(PARAMETER) == "open":
            return [*shown, "open_reports_summary"]
        return shown

    @admin.display(description=_("reports"), ordering="-open_report_count")
    def open_reports_summary(self, comment: Comment) -> str:
        reasons = {}
        for report in comment.open_reports:
            label = report.get_reason_display()
            reasons[label] = reasons.get(label, 0) + 1
        return ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in reasons.items())

    def changelist_view(self, request: HttpRequest, extra_context=None):
        current = request.GET.get(PARAMETER) == "open"
        count = reported_count(request)
        if current:  # then "All" is not what the editor is looking at
            for view in (extra_context or {}).get("status_views", []):
                view["current"] = view["current"] and view["value"] != ""
        reported_view = {
            "query": f"{PARAMETER}=open",
            "label": _("Reported"),
            "count": count,
            "current": current,
        }
        if not (count or current):  # nothing reported: nothing to add to the line
            reported_view = None
        return super().changelist_view(
            request, {**(extra_context or {}), "reported_view": reported_view}
        )
