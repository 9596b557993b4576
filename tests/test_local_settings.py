"""A developer's machine: `make run` on any PORT, local `manage.py` commands with nothing to
remember, and production that never picks up any of it."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import develop, serve

ROOT = Path(__file__).resolve().parent.parent
SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.NEWSROOM_SITE_URL)"
)


def clean_env(**env) -> dict[str, str]:
    """This process's environment without any setting of the site, plus ``env``."""
    return {**serve.without_site_settings(os.environ), **env}


def manage_py_in(directory: Path, local_env: str | None) -> Path:
    """``manage.py`` in ``directory`` (beside which it looks for ``.env``) with ``local_env``
    as that file, running this checkout's code."""
    shutil.copy(ROOT / "manage.py", directory / "manage.py")
    if local_env is not None:
        (directory / ".env").write_text(local_env)
    return directory / "manage.py"


def run_manage(manage_py: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(manage_py), *args],
        cwd=manage_py.parent,
        env=clean_env(PYTHONPATH=str(ROOT), **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


# The site's address


def test_make_run_puts_the_site_and_every_email_link_on_its_port():
    env = develop.develop_env(serve.without_site_settings(os.environ), 8791)

    assert env["NEWSROOM_SITE_URL"] == "http://127.0.0.1:8791"
    assert env["DJANGO_DEBUG"] == "1"


def test_what_the_developer_sets_wins_over_make_run():
    env = develop.develop_env(
        {"NEWSROOM_SITE_URL": "http://news.localhost:9000", "DJANGO_DEBUG": ""}, 8791
    )

    assert env["NEWSROOM_SITE_URL"] == "http://news.localhost:9000"
    assert env["DJANGO_DEBUG"] == "1"  # empty is unset


def test_production_without_the_site_address_refuses_to_start_and_says_why():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_SECRET_KEY="x" * 50,
            DJANGO_ALLOWED_HOSTS="news.example.org",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "NEWSROOM_SITE_URL is not set" in result.stderr


def test_a_site_address_without_its_scheme_is_refused(tmp_path):
    manage_py = manage_py_in(tmp_path, None)

    result = run_manage(manage_py, "check", DJANGO_DEBUG="1", NEWSROOM_SITE_URL="news.example.org")

    assert result.returncode != 0
    assert "NEWSROOM_SITE_URL must start with https://" in result.stderr


def test_make_serve_on_a_fresh_clone_makes_its_own_local_address():
    env, trial = serve.serve_env(serve.without_site_settings(os.environ), 8792, "127.0.0.1")

    assert trial
    assert env["NEWSROOM_SITE_URL"] == "http://127.0.0.1:8792"


# .env: local commands after `make run`, never production


def test_after_make_run_a_manage_py_command_works_with_no_variables(tmp_path):
    develop.write_local_env(develop.local_settings(8791), tmp_path / ".env")
    manage_py = manage_py_in(tmp_path, None)

    result = run_manage(manage_py, "shell", "-v", "0", "-c", SHOW_SETTINGS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "http://127.0.0.1:8791"]


def test_without_make_run_a_manage_py_command_still_asks_for_its_settings(tmp_path):
    manage_py = manage_py_in(tmp_path, None)

    result = run_manage(manage_py, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_environment_wins_over_the_local_file(tmp_path):
    manage_py = manage_py_in(tmp_path, "DJANGO_DEBUG=1\nNEWSROOM_SITE_URL=http://127.0.0.1:8791\n")

    result = run_manage(
        manage_py,
        "shell",
        "-v",
        "0",
        "-c",
        SHOW_SETTINGS,
        NEWSROOM_SITE_URL="http://127.0.0.1:9999",
    )

    assert result.stdout.split() == ["True", "http://127.0.0.1:9999"]


def test_production_never_reads_the_local_file(tmp_path):
    """Production always sets DJANGO_SECRET_KEY (make serve does too): the file's debug and
    local address must not slip in, so without its own address it refuses to start."""
    manage_py = manage_py_in(tmp_path, "DJANGO_DEBUG=1\nNEWSROOM_SITE_URL=http://127.0.0.1:8791\n")

    result = run_manage(
        manage_py,
        "shell",
        "-v",
        "0",
        "-c",
        SHOW_SETTINGS,
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.returncode != 0
    assert "NEWSROOM_SITE_URL is not set" in result.stderr


def test_gunicorn_and_the_test_suite_never_read_the_local_file():
    """Only manage.py reads .env: the WSGI application and pytest import the settings."""
    assert "LOCAL_ENV" not in (ROOT / "newsroom" / "settings.py").read_text()
    assert "read_local_env" not in (ROOT / "newsroom" / "wsgi.py").read_text()
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


# `make run` itself


def wait_for(condition, timeout: float = 120) -> None:
    """Poll until ``condition`` holds (a bound only so a broken server cannot hang the run)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "make run did not get there"
        time.sleep(0.2)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
            return response.status == 200
    except OSError:
        return False


def processes_with(marker: str) -> list[int]:
    """The ids of the live processes whose environment contains ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "environ").read_bytes():
                status = (proc / "status").read_text()
                if "\nState:\tZ" not in status:
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.fixture
def saved_local_env():
    """`make run` writes the checkout's .env: the developer's own is put back afterwards."""
    path = develop.LOCAL_ENV
    before = path.read_bytes() if path.exists() else None
    yield path
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_make_run_serves_on_port_sends_emails_linking_there_and_ctrl_c_stops_both(
    tmp_path, saved_local_env
):
    port = serve.free_port()
    marker = f"NEWSROOM_TEST_MAIL_DIR={tmp_path / 'mail'}"
    (tmp_path / "mail").mkdir()
    env = clean_env(
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        NEWSROOM_MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_MODERATOR_EMAILS="desk@example.org",
        DJANGO_EMAIL_BACKEND="tests.mail_backends.SlowFileBackend",
        NEWSROOM_TEST_MAIL_DIR=str(tmp_path / "mail"),
        NEWSROOM_TEST_MAIL_SECONDS="0",
    )
    run = subprocess.Popen(  # noqa: S603
        [sys.executable, "deploy/develop.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/"))
        # The demo article's featured image is served too.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as home:  # noqa: S310
            picture = re.search(r'src="(/media/[^"]+\.jpg)"', home.read().decode())[1]
        assert answers(f"http://127.0.0.1:{port}{picture}")
        assert (tmp_path / "media" / picture.removeprefix("/media/")).is_file()
        assert saved_local_env.read_text().splitlines()[1:] == [
            "DJANGO_DEBUG=1",
            f"NEWSROOM_SITE_URL=http://127.0.0.1:{port}",
        ]
        # A reader's comment is held: the moderator email is queued, as the site does it.
        hold = (
            "from articles.models import Article; from comments import notifications; "
            "from tests import factories; "
            "notifications.notify_moderators(factories.make_comment("
            "Article.objects.first(), status='pending'))"
        )
        queued = subprocess.run(  # noqa: S603 (a later manage.py command: no DJANGO_ variable)
            [sys.executable, "manage.py", "shell", "-c", hold],
            cwd=ROOT,
            env={k: v for k, v in env.items() if k not in {"PORT", "DJANGO_EMAIL_BACKEND"}},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert queued.returncode == 0, queued.stderr
        wait_for(lambda: any((tmp_path / "mail").iterdir()))
        [sent] = (tmp_path / "mail").iterdir()
        text = sent.read_text()
        links = [word for word in text.split() if word.startswith("http")]
        assert links and all(link.startswith(f"http://127.0.0.1:{port}/") for link in links)
        assert len(processes_with(marker)) >= 2  # the server and the worker (and reloaders)
    finally:
        run.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = run.communicate(timeout=60)
    assert run.returncode == 0, output
    wait_for(lambda: processes_with(marker) == [], timeout=30)
