from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportedSite(models.Model):
    """A WordPress site whose export was imported: what its ids are matched within."""

    base_url = models.CharField(
        _("address"),
        max_length=500,
        unique=True,
        help_text=_("The WordPress site's address, as its export gives it (wp:base_site_url)."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    first_imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("WordPress site")
        verbose_name_plural = _("WordPress sites")

    def __str__(self) -> str:
        return self.title or self.base_url


class Imported(models.Model):
    """One thing a WordPress export held and what it became here: a second import of the same
    site skips it, and its old address (``old_path``) answers with a 301 to the new one.

    Comments are not listed here: each carries its origin itself (``Comment.origin``).
    """

    class Kind(models.TextChoices):
        POST = "post", _("post → article")
        PAGE = "page", _("page → page")
        ATTACHMENT = "attachment", _("attachment → image")
        AUTHOR = "author", _("author → author profile")
        CATEGORY = "category", _("category → section")
        TAG = "tag", _("tag → tag")

    site = models.ForeignKey(
        ExportedSite, on_delete=models.CASCADE, related_name="imported", verbose_name=_("site")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    wp_id = models.PositiveBigIntegerField(_("WordPress id"))
    # The primary key of the Article, FlatPage, Image, Author, Section or Tag it became.
    object_id = models.PositiveBigIntegerField(_("imported as"))
    # Its address on the WordPress site, decoded (a path, and for "/?p=123" its query): the
    # request path that is sent on to the new address. Blank when it had none of its own.
    old_path = models.CharField(_("old address"), max_length=1000, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="imported_once")
        ]
        indexes = [
            models.Index(fields=["old_path"], name="imported_old_path_idx"),
            models.Index(fields=["kind", "wp_id"], name="imported_wp_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.wp_id}"


def export_storage() -> FileSystemStorage:
    """Uploaded exports hold readers' emails and addresses: kept outside MEDIA_ROOT (which
    the site serves), where only the worker reads them."""
    return FileSystemStorage(location=settings.NEWSROOM_PRIVATE_ROOT / "wordpress-exports")


class ImportRun(models.Model):
    """An import a superuser started from the admin, run by the task worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    export = models.FileField(
        _("export file"),
        upload_to="%Y/%m/",
        storage=export_storage,
        max_length=255,
        help_text=_("The file WordPress's Tools › Export › All content saves (WXR, .xml)."),
    )
    uploads_dir = models.CharField(
        _("uploads folder on the server"),
        max_length=500,
        blank=True,
        help_text=_(
            "A copy of the old site's wp-content/uploads on this server. Blank: each picture "
            "is fetched from its old address, if that still answers."
        ),
    )
    dry_run = models.BooleanField(
        _("dry run"), default=False, help_text=_("Read everything, write nothing: a report only.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    bytes_total = models.PositiveBigIntegerField(_("size"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")

    def __str__(self) -> str:
        return self.export.name
