"""Email is never lost: it waits in the database queue until a worker has sent it, through a
worker's restart and a mail server's refusal, and it is sent once."""

import email
import os
import signal
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends import locmem
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments import mailing
from deploy import serve
from tests.cache.conftest import database_url

ROOT = Path(__file__).resolve().parent.parent
UNSUBSCRIBE = "<https://news.example.org/comments/unsubscribe/abc/>"


def reader_email(number: int, to: str = "ada@example.org") -> EmailMessage:
    return EmailMessage(
        subject=f"A reply to your comment, number {number}",
        body=f"Someone answered you ({number}).",
        from_email="newsroom@example.org",
        to=[to],
        headers={
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def refuse_first(monkeypatch, times: int = 1) -> list[int]:
    """The mail server refuses the first ``times`` emails, then takes them; the list counts
    every attempt."""
    attempts = []
    deliver = locmem.EmailBackend.send_messages

    def flaky(backend, messages):
        attempts.append(1)
        if len(attempts) <= times:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return deliver(backend, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", flaky)
    return attempts


# Queued, then sent, as it was written


@pytest.mark.django_db
def test_email_waits_in_the_queue_until_the_worker_sends_it_headers_and_all(
    mailoutbox, email_queue, django_capture_on_commit_callbacks
):
    email_queue.paused = True

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(reader_email(1))
        assert not DBTaskResult.objects.exists()  # not before the commit

    assert mailoutbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert email_queue.run_due() == 1
    [message] = mailoutbox
    assert message.subject == "A reply to your comment, number 1"
    assert message.body == "Someone answered you (1)."
    assert message.from_email == "newsroom@example.org"
    assert message.to == ["ada@example.org"]
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["List-Unsubscribe"] == UNSUBSCRIBE
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
def test_every_part_of_an_email_survives_the_queue(mailoutbox, django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives(
        subject="The desk's weekly digest",
        body="Plain words.",
        from_email="newsroom@example.org",
        to=["ada@example.org"],
        cc=["desk@example.org"],
        bcc=["archive@example.org"],
        reply_to=["letters@example.org"],
        headers={"List-Unsubscribe": UNSUBSCRIBE},
    )
    message.attach_alternative("<p>Plain words.</p>", "text/html")

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(message)

    [sent] = mailoutbox
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["ada@example.org"],
        ["desk@example.org"],
        ["archive@example.org"],
        ["letters@example.org"],
    )
    assert sent.extra_headers == {"List-Unsubscribe": UNSUBSCRIBE}
    assert [tuple(alternative) for alternative in sent.alternatives] == [
        ("<p>Plain words.</p>", "text/html")
    ]


@pytest.mark.django_db
def test_an_email_with_an_attachment_is_refused_and_logged_not_raised(
    mailoutbox, caplog, django_capture_on_commit_callbacks
):
    message = reader_email(1)
    message.attach("notes.txt", "Private.", "text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(message)
    assert mailoutbox == []
    assert not DBTaskResult.objects.exists()
    assert "An email to 1 recipient could not be queued." in caplog.text


def test_the_log_counts_recipients_and_never_names_them():
    assert mailing.recipients_text(["ada@example.org"]) == "1 recipient"
    assert mailing.recipients_text(["ada@example.org", "bob@example.org"]) == "2 recipients"


@pytest.mark.django_db
def test_nothing_is_queued_for_a_change_that_rolls_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        mailing.send_after_commit(reader_email(1))
        raise RuntimeError("the reply was not saved after all")

    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_queue_that_cannot_be_written_is_logged_and_never_raised(
    monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    def database_gone(backend, task, args, kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DatabaseBackend, "enqueue", database_gone)

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(reader_email(1))

    [record] = [r for r in caplog.records if r.name == "comments.mailing"]
    assert record.levelname == "ERROR"
    assert record.getMessage() == "An email to 1 recipient could not be queued (attempt 1)."
    assert isinstance(record.exc_info[1], OperationalError)
    assert mailoutbox == []


# A mail server that refuses


@pytest.mark.django_db
def test_a_refused_email_is_tried_again_a_minute_later_and_sent_once(
    monkeypatch, mailoutbox, email_queue, django_capture_on_commit_callbacks
):
    attempts = refuse_first(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(reader_email(1))  # the worker tries at once, and fails

    assert attempts == [1]
    assert mailoutbox == []
    [retry] = email_queue.queued(at=timezone.now() + timedelta(days=1))
    assert retry.run_after - timezone.now() > timedelta(seconds=50)
    assert retry.run_after - timezone.now() <= timedelta(minutes=1)

    assert email_queue.run_due() == 0  # not yet due
    assert email_queue.run_due(at=timezone.now() + timedelta(minutes=1, seconds=5)) == 1

    [message] = mailoutbox
    assert message.subject == "A reply to your comment, number 1"
    assert len(attempts) == 2
    assert email_queue.run_due(at=timezone.now() + timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_retries_back_off_1_2_4_8_minutes_then_give_up_with_an_error_naming_no_address(
    monkeypatch, caplog, mailoutbox, email_queue, django_capture_on_commit_callbacks
):
    refuse_first(monkeypatch, times=100)
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_after_commit(reader_email(1, to="ada@example.org"))
    waits = []

    while email_queue.queued(at=timezone.now() + timedelta(days=1)).exists():
        due = email_queue.queued(at=timezone.now() + timedelta(days=1)).get()
        waits.append(round((due.run_after - due.enqueued_at) / timedelta(minutes=1)))
        email_queue.run_due(at=due.run_after)

    assert waits == [1, 2, 4, 8, 16, 32, 64]
    assert mailing.MAX_ATTEMPTS == 8
    assert mailoutbox == []
    records = [r for r in caplog.records if r.name == "comments.mailing"]
    assert [r.levelname for r in records] == ["WARNING"] * 7 + ["ERROR"]
    assert (
        records[-1].getMessage()
        == "An email to 1 recipient was not sent after 8 attempts; giving up."
    )
    assert "ada@example.org" not in caplog.text


# A worker that stops and comes back


def worker_env(mail_dir: Path) -> dict[str, str]:
    """The production settings the suite runs with, on the test database, sending into
    ``mail_dir``; nothing of the caller's."""
    env = serve.without_site_settings(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE="0",
        NEWSROOM_SITE_URL="http://testserver",
        DATABASE_URL=database_url(connection.settings_dict),
        DATABASE_CONN_MAX_AGE="0",
        DJANGO_EMAIL_BACKEND="tests.mail_backends.SlowFileBackend",
        NEWSROOM_TEST_MAIL_DIR=str(mail_dir),
        NEWSROOM_TEST_MAIL_SECONDS="0.4",
    )
    return env


def start_worker(env: dict[str, str], *options: str) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603
        [*command, "--interval", "0.1", *options],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def subjects_sent(mail_dir: Path) -> list[str]:
    """The subject of every email written to ``mail_dir``, one per email sent."""
    subjects = []
    for path in mail_dir.iterdir():
        for part in path.read_bytes().split(b"-" * 79 + b"\n"):
            if part.strip():
                subjects.append(email.message_from_bytes(part)["Subject"])
    return subjects


def wait_for(condition, timeout: float = 60) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds (only so that a
    broken worker cannot hang the run: no test here measures time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not get there"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_stopped_mid_queue_sends_every_email_exactly_once_after_it_comes_back(
    tmp_path, email_queue
):
    email_queue.paused = True  # the real worker, in its own process, sends them
    count = 8
    for number in range(1, count + 1):
        mailing.send_after_commit(reader_email(number))
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == count
    env = worker_env(tmp_path)

    worker = start_worker(env)
    try:
        wait_for(lambda: len(subjects_sent(tmp_path)) >= 2)
        worker.send_signal(signal.SIGTERM)  # a deploy or a restart: `make serve` stopping
        output, _ = worker.communicate(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == 0, output
    first_run = subjects_sent(tmp_path)
    assert 2 <= len(first_run) < count, "the worker was not stopped mid-queue"
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    assert waiting == count - len(first_run), "an email was lost or left half-done"

    again = start_worker(env, "--batch")  # processes what is left, then exits
    output, _ = again.communicate(timeout=60)
    assert again.returncode == 0, output

    subjects = subjects_sent(tmp_path)
    assert sorted(subjects) == sorted(
        f"A reply to your comment, number {number}" for number in range(1, count + 1)
    )
    assert len(subjects) == len(set(subjects)) == count  # each once
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {TaskResultStatus.SUCCESSFUL}
