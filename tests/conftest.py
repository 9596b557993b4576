"""Test-only settings and the fixtures every test may use."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus, task_enqueued
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from comments.models import DiscussionSettings
from tests import factories


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file like production does, not in shared-cache memory.

    In memory, concurrent writers fail at once with "database table is locked"; a file gets
    the production settings' WAL journal and busy timeout, so tests that post at the same
    moment from two threads behave as the live site does.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_name = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_name)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded pictures go to a folder of this test's own, never the project's media/.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Production serves hashed files from a manifest made by collectstatic (CI checks that);
    # tests need no collectstatic step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # After a collectstatic, whitenoise would index staticfiles/ for every test client.
    settings.WHITENOISE_AUTOREFRESH = True
    # Tests post the form at once and again and again; the tests of these limits set them.
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 0
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 0
    # Links in emails and exports: the same address whatever the environment running the
    # suite says (production requires one; the tests that check links set their own).
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    cache.clear()
    # The Site row a test changed was rolled back; the copy Django keeps may not have been.
    Site.objects.clear_cache()


class QueueWorker:
    """The email queue's worker in the tests: ``manage.py db_worker``'s own code, run in the
    test's process and transaction the moment a task is queued, if it is due.

    Every email the site sends is queued in the database as in production
    (``comments/mailing.py``) and lands in ``mailoutbox`` only when this has run it. A retry,
    due minutes later, waits in the queue until a test runs it with ``run_due(at=…)``. A test
    that wants the queue left alone sets ``paused``.
    """

    def __init__(self) -> None:
        self.paused = False
        self._running = False
        self._worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )

    def queued(self, at=None):
        """The tasks waiting to run, due by ``at`` (default: now)."""
        return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=at or timezone.now())
        )

    def run_due(self, at=None) -> int:
        """Run every task due by ``at`` (default: now), as the worker would; how many ran."""
        ran = 0
        self._running = True
        try:
            while (task := self.queued(at).order_by("enqueued_at").first()) is not None:
                task.claim(self._worker.worker_id)
                self._worker.run_task(task)
                ran += 1
        finally:
            self._running = False
        return ran

    def _on_enqueued(self, **kwargs) -> None:
        if not self.paused and not self._running:
            self.run_due()


@pytest.fixture(autouse=True)
def email_queue():
    """The worker that sends queued emails (see ``QueueWorker``)."""
    worker = QueueWorker()
    task_enqueued.connect(worker._on_enqueued, dispatch_uid="tests-email-queue")
    yield worker
    task_enqueued.disconnect(dispatch_uid="tests-email-queue")


@pytest.fixture
def discussion(db):
    """The editors' discussion settings, to change in a test (saved by the test)."""
    return DiscussionSettings.load()


@pytest.fixture
def open_door(discussion):
    """Comments not all held, known commenters not required: only the rule tested decides."""
    discussion.hold_all = False
    discussion.approve_known_commenters = False
    discussion.save()
    return discussion


@pytest.fixture
def article(db):
    return factories.make_article()


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, as `createeditor` makes them."""
    user = factories.make_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def staff_viewer(db):
    """Staff who may look at comments but not moderate them."""
    user = factories.make_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def purged_keys(monkeypatch, django_capture_on_commit_callbacks):
    """The surrogate keys purged, recorded instead of sent; ``committing()`` runs what the
    block scheduled for after its commit. (``tests/test_purges.py`` sends real purges.)"""

    class Purged(set):
        def committing(self):
            return django_capture_on_commit_callbacks(execute=True)

    purged = Purged()
    monkeypatch.setattr("newsroom.http_cache.purge", purged.update)
    return purged
