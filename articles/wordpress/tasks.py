"""An import a superuser started in the admin, run by the task worker (``manage.py db_worker``).

An export of a large site takes minutes, longer than a request may: the admin saves an
``ImportRun`` and queues ``run_import`` once that has committed; the worker runs the same
``import_export`` as ``manage.py import_wordpress`` and writes how far it has read, and in the
end the report or the error, to the run, which the admin's page shows as it goes.
"""

import logging
import time

import django
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.wordpress.models import ImportRun

if django.VERSION >= (6, 0):
    from django.tasks import task
else:
    from django_tasks import task

logger = logging.getLogger(__name__)

# Progress is written at most this often: the page reloads every 2 s, and a write per post
# of a 100,000-comment export would cost more than the import's own.
PROGRESS_SECONDS = 1.0
# The error an editor reads on the run's page; the traceback goes to the log.
ERROR_MAX_CHARS = 500


def queue_import(run: ImportRun) -> None:
    """Queue ``run`` for the worker once the transaction that saved it commits (a worker must
    never pick up a run whose row or file is not there yet)."""
    transaction.on_commit(lambda: _enqueue(run.pk))


def _enqueue(pk: int) -> None:
    """Write the task to the queue; a queue that cannot be written fails the run with the
    reason, so that its page does not wait for a worker forever."""
    try:
        run_import.enqueue(pk)
    except Exception as error:
        logger.exception("WordPress import %s could not be queued.", pk)
        ImportRun.objects.filter(pk=pk).update(
            state=ImportRun.State.FAILED,
            error=_("The import could not be queued: %(error)s") % {"error": short(error)},
            finished_at=timezone.now(),
        )


@task()
def run_import(pk: int) -> None:
    """The worker's task: import the run's export, recording progress, report or error.

    Never raises: the run's own state says how it ended (the task queue's result would tell
    no one)."""
    runs = ImportRun.objects.filter(pk=pk)
    started_at = timezone.now()
    # Taken in one UPDATE: a run the worker was given twice is imported once.
    taken = runs.filter(state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.RUNNING, started_at=started_at, bytes_read=0
    )
    run = runs.first()
    if not taken or run is None:  # deleted, or already taken
        logger.warning("WordPress import %s is not waiting to run; nothing done.", pk)
        return
    try:
        # Imported when the task runs: only the worker needs the importer (parser,
        # sanitiser), not the web processes that import this module to queue the task.
        from articles.wordpress.importer import import_export

        report = import_export(
            run.export.path,
            uploads_dir=run.uploads_dir or None,
            dry_run=run.dry_run,
            progress=ProgressWriter(pk),
        )
    except Exception as error:
        logger.exception("WordPress import %s (%s) failed.", pk, run.export.name)
        runs.update(state=ImportRun.State.FAILED, error=short(error), finished_at=timezone.now())
        return
    runs.update(
        state=ImportRun.State.DONE,
        bytes_read=F("bytes_total"),
        report=report.as_dict(),
        finished_at=timezone.now(),
    )
    logger.info(
        "WordPress import %s (%s) done in %s.", pk, run.export.name, timezone.now() - started_at
    )


class ProgressWriter:
    """The importer's ``progress(bytes_read, bytes_total)``: written to the run at most once a
    ``PROGRESS_SECONDS``, with one UPDATE of two columns, and always at the end of the file."""

    def __init__(self, pk: int) -> None:
        self.runs = ImportRun.objects.filter(pk=pk)
        self.written_at: float | None = None

    def __call__(self, bytes_read: int, bytes_total: int) -> None:
        now = time.monotonic()
        finished = bytes_total and bytes_read >= bytes_total
        if (
            not finished
            and self.written_at is not None
            and now - self.written_at < PROGRESS_SECONDS
        ):
            return
        self.written_at = now
        self.runs.update(bytes_read=bytes_read, bytes_total=bytes_total)


def short(error: BaseException) -> str:
    """The error's kind and first line, as an editor can read it on the run's page."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text[:ERROR_MAX_CHARS]
