"""Importing a WordPress export from the admin: superusers alone upload it, the task worker
runs it, and the run's page follows it to its report (or its error)."""

import sys
import types
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.wordpress import tasks
from articles.wordpress.models import ImportRun
from articles.wordpress.report import Report
from comments.models import Comment
from tests.wordpress_export import EXPORT
from tests.wordpress_export import UPLOADS as EXPORT_UPLOADS

ARCHIVE, UPLOADS = EXPORT, EXPORT_UPLOADS
ADD = reverse("admin:wordpress_importrun_add")
CHANGELIST = reverse("admin:wordpress_importrun_changelist")
# The smallest file that passes for a WordPress export.
WXR = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n'
    b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    b"<wp:wxr_version>1.2</wp:wxr_version></channel></rss>\n"
)


def run_page(run: ImportRun) -> str:
    return reverse("admin:wordpress_importrun_change", args=[run.pk])


@pytest.fixture(autouse=True)
def exports_folder(tmp_path, monkeypatch):
    """Uploaded exports go to this test's own folder, never the project's private/ (the
    storage's folder is fixed when the model is loaded, so the setting cannot move it)."""
    folder = tmp_path / "private"
    field = ImportRun._meta.get_field("export")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=folder))
    return folder


@pytest.fixture
def importer(monkeypatch):
    """``import_export`` replaced by what a test sets as ``importer.run`` (the worker's task
    looks it up each time it runs). The real one is in ``articles/wordpress/importer.py``;
    until that module is there, a stand-in module carries the replacement."""
    try:
        from articles.wordpress import importer as module
    except ImportError:
        module = types.ModuleType("articles.wordpress.importer")
        monkeypatch.setitem(sys.modules, "articles.wordpress.importer", module)
    calls = []

    class Importer:
        run = None

        def __call__(self, path, **options):
            calls.append((path, options))
            return self.run(path, **options)

    fake = Importer()
    fake.calls = calls
    monkeypatch.setattr(module, "import_export", fake, raising=False)
    return fake


def upload(client, content: bytes = WXR, name: str = "site.WordPress.2026-11-30.xml", **data):
    return client.post(
        ADD,
        {"export": SimpleUploadedFile(name, content), "uploads_dir": "", **data},
    )


def queued_tasks() -> list[str]:
    return [result.task_path for result in DBTaskResult.objects.all()]


# Superusers only


@pytest.mark.django_db
def test_editors_neither_see_nor_open_wordpress_imports(editor_client, admin_user):
    run = ImportRun.objects.create(export="2026/11/site.xml", created_by=admin_user)

    index = editor_client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert CHANGELIST not in index.content.decode()
    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(ADD).status_code == 403
    assert editor_client.get(run_page(run)).status_code == 403
    assert upload(editor_client).status_code == 403
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_superusers_find_imports_on_the_admin_front_page(admin_client):
    index = admin_client.get(reverse("admin:index"))

    assert CHANGELIST in index.content.decode()
    assert ADD in index.content.decode()


# Uploading


@pytest.mark.django_db
def test_uploading_the_export_queues_its_import_after_the_commit(
    admin_client, admin_user, email_queue, exports_folder, django_capture_on_commit_callbacks
):
    email_queue.paused = True

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(admin_client, ARCHIVE.read_bytes(), name=ARCHIVE.name)
        assert queued_tasks() == []  # not before the commit
    assert len(callbacks) == 1

    [run] = ImportRun.objects.all()
    assert response.status_code == 302
    assert response["Location"] == run_page(run)
    assert queued_tasks() == ["articles.wordpress.tasks.run_import"]
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk]
    assert run.state == ImportRun.State.QUEUED
    assert run.created_by == admin_user
    assert run.bytes_total == ARCHIVE.stat().st_size
    stored = exports_folder / run.export.name
    assert stored.read_bytes() == ARCHIVE.read_bytes()

    page = admin_client.get(run_page(run)).content.decode()
    assert "Waiting for the worker" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="100" value="0">' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A feed, not an export: no WordPress namespace.
        (
            "feed.xml",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>',
            "This is not a WordPress export.",
        ),
        # A zipped export renamed .xml.
        ("export.xml", b"PK\x03\x04" + WXR, "This is not a WordPress export."),
        # The namespace in a file that is not XML at all.
        ("notes.xml", b"see http://wordpress.org/export/1.2/", "This is not a WordPress export."),
        ("export.txt", WXR, "File extension “txt” is not allowed."),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_a_wordpress_export_is_refused_and_not_stored(
    admin_client, email_queue, exports_folder, name, content, message
):
    email_queue.paused = True

    response = upload(admin_client, content, name=name)

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["export"][0]
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()
    assert queued_tasks() == []
    assert not exports_folder.exists() or not any(exports_folder.rglob("*.*"))


@pytest.mark.django_db
def test_an_export_with_a_byte_order_mark_is_taken(admin_client, email_queue):
    email_queue.paused = True

    response = upload(admin_client, b"\xef\xbb\xbf\n" + WXR)

    assert response.status_code == 302
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
def test_an_export_larger_than_the_admin_takes_is_sent_to_the_command(
    admin_client, settings, email_queue
):
    email_queue.paused = True
    settings.NEWSROOM_ADMIN_MAX_BODY_SIZE = 200 * 1024

    form = admin_client.get(ADD).content.decode()
    response = upload(admin_client, WXR + b" " * (140 * 1024))

    assert "up to 136.0\xa0KB here" in form
    assert "manage.py import_wordpress FILE" in form
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["export"]
    assert "the admin takes up to 136.0\xa0KB" in error
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_an_upload_beyond_the_admins_body_limit_is_refused_before_it_is_read(
    admin_client, settings, email_queue
):
    email_queue.paused = True
    settings.NEWSROOM_ADMIN_MAX_BODY_SIZE = 200 * 1024

    response = upload(admin_client, WXR + b" " * (300 * 1024))

    assert response.status_code == 413
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("/nowhere/wp-content/uploads", "There is no folder /nowhere/wp-content/uploads"),
        (str(ARCHIVE), "There is no folder"),  # a file, not a folder
        ("wordpress/uploads", "full path"),
    ],
)
@pytest.mark.django_db
def test_the_uploads_folder_must_be_a_folder_on_the_server(
    admin_client, email_queue, folder, message
):
    email_queue.paused = True

    response = upload(admin_client, uploads_dir=folder)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["uploads_dir"]
    assert message in error
    assert not ImportRun.objects.exists()


# Running


@pytest.mark.django_db
def test_the_worker_runs_the_import_and_the_page_shows_progress_then_the_report(
    admin_client, importer, monkeypatch, django_capture_on_commit_callbacks
):
    clock = [1000.0]
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    seen = []

    def import_export(path, *, progress, **options):
        seen.append(ImportRun.objects.get().state)
        progress(100, 1000)
        seen.append(admin_client.get(run_page(ImportRun.objects.get())).content.decode())
        clock[0] += 0.5
        progress(200, 1000)  # within a second of the last: not written
        seen.append(ImportRun.objects.values_list("bytes_read", flat=True).get())
        clock[0] += 0.6
        progress(300, 1000)
        seen.append(ImportRun.objects.values_list("bytes_read", flat=True).get())
        report = Report(site="http://127.0.0.1:8081")
        for _ in range(3):
            report.add_imported("post", "published")
        report.add_imported("post", "draft")
        report.add_already("tag")
        report.add_skipped("comment", "spam is not exported")
        report.add_imported("comment")
        report.note("Post 12 was password-protected: it is imported as a draft.")
        return report

    importer.run = import_export
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, uploads_dir=str(UPLOADS), dry_run="on")

    run = ImportRun.objects.get()
    [(path, options)] = importer.calls
    assert path == run.export.path
    assert options["uploads_dir"] == str(UPLOADS)
    assert options["dry_run"] is True
    running, page_while_running, after_half_a_second, after_a_second = seen
    assert running == ImportRun.State.RUNNING
    assert '<progress id="import-progress" max="100" value="10">' in page_while_running
    assert '<meta http-equiv="refresh"' in page_while_running
    assert after_half_a_second == 100
    assert after_a_second == 300

    assert run.state == ImportRun.State.DONE
    assert run.started_at <= run.finished_at
    assert run.error == ""
    assert run.report["kinds"][0]["kind"] == "tag"
    page = admin_client.get(run_page(run)).content.decode()
    assert "<meta http-equiv" not in page
    assert '<progress id="import-progress" max="100" value="100">' in page
    assert "Would import" in page  # a dry run
    assert '<td class="imported">4</td>' in page
    assert "<li>3 published</li>" in page
    assert "<li>1 draft</li>" in page
    assert '<tr id="report-tag">' in page
    assert '<td class="already">1</td>' in page
    assert "<li>1: spam is not exported</li>" in page
    assert "Post 12 was password-protected: it is imported as a draft." in page


@pytest.mark.django_db
def test_a_failed_import_shows_its_error_and_logs_the_traceback(
    admin_client, importer, caplog, django_capture_on_commit_callbacks
):
    def import_export(path, **options):
        raise ValueError("not well-formed (invalid token): line 3, column 0\nmore detail")

    importer.run = import_export
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client)

    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    assert run.error == "ValueError: not well-formed (invalid token): line 3, column 0"
    assert run.finished_at is not None
    [record] = [r for r in caplog.records if r.name == "articles.wordpress.tasks"]
    assert record.exc_info[0] is ValueError
    page = admin_client.get(run_page(run)).content.decode()
    assert "Failed" in page
    assert (
        "The import stopped: ValueError: not well-formed (invalid token): line 3, column 0" in page
    )
    assert "<meta http-equiv" not in page


@pytest.mark.django_db
def test_a_run_is_imported_once_however_often_the_worker_is_given_it(
    admin_user, importer, exports_folder
):
    importer.run = lambda path, **options: Report()
    run = ImportRun.objects.create(export="2026/11/site.xml", created_by=admin_user)

    tasks.run_import.call(run.pk)
    tasks.run_import.call(run.pk)

    assert len(importer.calls) == 1
    assert ImportRun.objects.get().state == ImportRun.State.DONE


@pytest.mark.django_db
def test_a_run_waiting_long_asks_whether_the_worker_is_running(admin_client, admin_user):
    fresh = ImportRun.objects.create(export="2026/11/fresh.xml", created_by=admin_user)
    old = ImportRun.objects.create(export="2026/11/old.xml", created_by=admin_user)
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert "worker-hint" not in admin_client.get(run_page(fresh)).content.decode()
    page = admin_client.get(run_page(old)).content.decode()
    assert 'id="worker-hint"' in page
    assert "manage.py db_worker" in page


@pytest.mark.django_db
def test_the_list_shows_each_run_its_state_and_who_started_it(admin_client, admin_user):
    ImportRun.objects.create(
        export="2026/11/archive.xml",
        created_by=admin_user,
        state=ImportRun.State.DONE,
        dry_run=True,
    )

    page = admin_client.get(CHANGELIST).content.decode()

    assert "2026/11/archive.xml" in page
    assert "Done" in page
    assert admin_user.username in page


@pytest.mark.django_db
def test_deleting_a_run_deletes_its_export(admin_client, email_queue, exports_folder):
    email_queue.paused = True
    upload(admin_client)
    run = ImportRun.objects.get()
    stored = exports_folder / run.export.name
    assert stored.exists()

    response = admin_client.post(
        reverse("admin:wordpress_importrun_delete", args=[run.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ImportRun.objects.exists()
    assert not stored.exists()


@pytest.mark.django_db
def test_a_running_import_cannot_be_deleted(admin_client, admin_user):
    run = ImportRun.objects.create(
        export="2026/11/site.xml", created_by=admin_user, state=ImportRun.State.RUNNING
    )

    response = admin_client.post(
        reverse("admin:wordpress_importrun_delete", args=[run.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()


# End to end, with the real importer


@pytest.mark.django_db
def test_the_real_archive_imports_from_the_admin_and_its_report_is_shown(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            admin_client, ARCHIVE.read_bytes(), name=ARCHIVE.name, uploads_dir=str(UPLOADS)
        )
    assert response.status_code == 302

    run = ImportRun.objects.get()
    assert run.error == ""
    assert run.state == ImportRun.State.DONE
    assert run.bytes_read == run.bytes_total > 0
    kinds = {row["kind"]: row for row in run.report["kinds"]}
    assert kinds["post"]["imported"] == Article.objects.count() > 0
    assert kinds["comment"]["imported"] == Comment.objects.count() > 0
    page = admin_client.get(run_page(run)).content.decode()
    assert "<meta http-equiv" not in page
    assert '<progress id="import-progress" max="100" value="100">' in page
    for kind in ("post", "comment"):
        assert f'<tr id="report-{kind}">' in page
        assert f'<td class="imported">{kinds[kind]["imported"]}</td>' in page


def test_runs_are_deleted_one_at_a_time_never_in_bulk(admin_client, admin_user):
    ImportRun.objects.create(export="2026/11/site.xml", created_by=admin_user)
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200
    assert 'name="action"' not in page.text  # no bulk delete: it would skip the file
