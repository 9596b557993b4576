"""Importing a WordPress export from the admin: superusers upload it, the task worker runs it
(``articles/wordpress/tasks.py``), and the run's page shows its progress, then its report.

Superusers only, whatever permissions anyone else is given: an import writes articles,
pages, people and comments across the whole site, and the export holds readers' emails and
addresses.
"""

from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.wordpress import tasks
from articles.wordpress.models import Imported, ImportRun

# A WXR file names WordPress's export namespace in its <rss> element, after an XML
# declaration and WordPress's comment of about 1,500 bytes: read this much to find it.
SNIFF_BYTES = 8 * 1024
WXR_NAMESPACE = b"http://wordpress.org/export/"
# The rest of the add form (CSRF token, folder, dry run, multipart boundaries) beside the
# file, within the admin's limit on a request body (``NEWSROOM_ADMIN_MAX_BODY_SIZE``).
FORM_ROOM = 64 * 1024
# A run still waiting after this long has no worker taking it, most likely.
WORKER_HINT_AFTER = timedelta(seconds=30)
# The run's page reloads itself this often while the import waits or runs.
REFRESH_SECONDS = 2

KIND_LABELS = {
    **{kind: label for kind, label in Imported.Kind.choices},
    "comment": _("comment → comment"),
    "mention": _("pingback or trackback → mention"),
}


def max_export_bytes() -> int:
    """The largest export the admin takes: what a request body to the admin may hold
    (newsroom/bad_requests.py refuses more before any form sees it), less the form around it."""
    return settings.NEWSROOM_ADMIN_MAX_BODY_SIZE - FORM_ROOM


def check_wxr(upload) -> None:
    """Refuse a file that is not a WordPress export before it is stored and queued: an XML
    declaration or ``<rss`` first, and WordPress's export namespace within ``SNIFF_BYTES``."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start.startswith((b"<?xml", b"<rss")) or WXR_NAMESPACE not in head:
        raise ValidationError(
            _(
                "This is not a WordPress export. Upload the .xml file that WordPress's "
                "Tools › Export › All content saves (WXR)."
            ),
            code="not_wxr",
        )


class ImportRunForm(forms.ModelForm):
    export = forms.FileField(
        label=_("Export file"),
        validators=[FileExtensionValidator(["xml"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    class Meta:
        model = ImportRun
        fields = ["export", "uploads_dir", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export"].help_text = _(
            "The file WordPress's Tools › Export › All content saves (WXR, .xml), up to "
            "%(size)s here. A larger export is imported on the server with "
            "“manage.py import_wordpress FILE”."
        ) % {"size": filesizeformat(max_export_bytes())}

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > max_export_bytes():
            raise ValidationError(
                _(
                    "This export is %(size)s; the admin takes up to %(max)s. Import it on the "
                    "server with “manage.py import_wordpress FILE”."
                ),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(max_export_bytes()),
                },
            )
        check_wxr(upload)
        return upload

    def clean_uploads_dir(self) -> str:
        """The worker reads the folder on this server: it must be there, and named in full
        (the worker's working folder is not the web server's)."""
        folder = self.cleaned_data["uploads_dir"].strip()
        if folder and not Path(folder).is_absolute():
            raise ValidationError(
                _("Give the folder's full path, starting with /."), code="relative"
            )
        if folder and not Path(folder).is_dir():
            raise ValidationError(
                _("There is no folder %(folder)s on the server."),
                code="missing",
                params={"folder": folder},
            )
        return folder


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    form = ImportRunForm
    # No bulk actions: a run is deleted one at a time, from its page (delete_model), which
    # refuses a running import and deletes its file; the bulk delete would do neither.
    actions = None
    fieldsets = [
        (
            None,
            {
                "fields": ["export", "uploads_dir", "dry_run"],
                "description": _(
                    "The import runs in the background, in the task worker "
                    "(“manage.py db_worker”); its page shows how far it has gone, then what "
                    "it imported. Importing the same site again brings only what is new."
                ),
            },
        )
    ]
    list_display = [
        "export_file",
        "state",
        "read",
        "dry_run",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    list_filter = ["state", "dry_run"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    @admin.display(description=_("export file"), ordering="export")
    def export_file(self, run: ImportRun) -> str:
        return run.export.name

    @admin.display(description=_("read"))
    def read(self, run: ImportRun) -> str:
        return f"{progress_percent(run)}%"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A run is the record of what happened: nothing in it is edited.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Not while the worker reads it; deleting a run deletes its file (see delete_model).
        running = obj is not None and obj.state == ImportRun.State.RUNNING
        return self.has_view_permission(request) and not running

    def save_model(self, request: HttpRequest, obj: ImportRun, form, change: bool) -> None:
        obj.created_by = request.user
        obj.bytes_total = obj.export.size
        super().save_model(request, obj, form, change)
        tasks.queue_import(obj)

    def response_add(
        self, request: HttpRequest, obj: ImportRun, post_url_continue=None
    ) -> HttpResponse:
        self.message_user(
            request,
            gettext("The import of %(file)s is queued; this page follows it.")
            % {"file": obj.export.name},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                "admin:wordpress_importrun_change", args=[obj.pk], current_app=self.admin_site.name
            )
        )

    def delete_model(self, request: HttpRequest, obj: ImportRun) -> None:
        """The uploaded export holds readers' emails and addresses: it goes with its run."""
        obj.export.delete(save=False)
        super().delete_model(request, obj)

    def change_view(
        self, request: HttpRequest, object_id, form_url="", extra_context=None
    ) -> HttpResponse:
        """The run's page, read-only: its state and progress while it runs, then its report."""
        run = self.get_object(request, unquote(object_id))
        if run is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        return TemplateResponse(
            request, "admin/wordpress/importrun/run.html", self.run_context(request, run)
        )

    def run_context(self, request: HttpRequest, run: ImportRun) -> dict:
        waiting = run.state in (ImportRun.State.QUEUED, ImportRun.State.RUNNING)
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": run.export.name,
            "run": run,
            "original": run,
            "percent": progress_percent(run),
            "refresh_seconds": REFRESH_SECONDS if waiting else None,
            "worker_hint": (
                run.state == ImportRun.State.QUEUED
                and timezone.now() - run.created_at > WORKER_HINT_AFTER
            ),
            "report": report_rows(run.report),
            "has_delete_permission": self.has_delete_permission(request, run),
        }


def progress_percent(run: ImportRun) -> int:
    """How much of the export has been read, in whole percent."""
    if not run.bytes_total:
        return 0
    return min(100, run.bytes_read * 100 // run.bytes_total)


def report_rows(report: dict) -> list[dict]:
    """The report's kinds (``Report.as_dict()``, in its order), each with a label to read."""
    return [
        {
            **row,
            "label": KIND_LABELS.get(row["kind"], row["kind"]),
            "skipped_total": sum(row["skipped"].values()),
        }
        for row in report.get("kinds", [])
    ]
