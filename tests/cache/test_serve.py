"""`make serve` runs the email worker beside gunicorn and Varnish, and stops it with them."""

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from deploy import serve
from tests.cache.conftest import require_varnish
from tests.test_local_settings import answers, processes_with, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent


def test_make_serve_sends_queued_email_and_sigterm_stops_server_cache_and_worker(tmp_path):
    require_varnish()
    port = serve.free_port()
    mail = tmp_path / "mail"
    mail.mkdir()
    marker = f"NEWSROOM_TEST_MAIL_DIR={mail}"
    # A fresh clone's local trial, on its own database, sending into ``mail``.
    env = {
        **serve.without_site_settings(os.environ),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NEWSROOM_MEDIA_ROOT": str(tmp_path / "media"),
        "NEWSROOM_MODERATOR_EMAILS": "desk@example.org",
        "DJANGO_EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
        "NEWSROOM_TEST_MAIL_DIR": str(mail),
        "NEWSROOM_TEST_MAIL_SECONDS": "0",
    }
    stack = subprocess.Popen(  # noqa: S603
        [sys.executable, "deploy/serve.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/"))
        # The demo article's featured image, served by gunicorn through Varnish.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as home:  # noqa: S310
            picture = re.search(r'src="(/media/[^"]+\.jpg)"', home.read().decode())[1]
        assert answers(f"http://127.0.0.1:{port}{picture}")
        hold = (
            "from articles.models import Article; from comments import notifications; "
            "from tests import factories; "
            "notifications.notify_moderators(factories.make_comment("
            "Article.objects.first(), status='pending'))"
        )
        trial_env, _ = serve.serve_env(env, port, "127.0.0.1")
        queued = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", hold],
            cwd=ROOT,
            env=trial_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert queued.returncode == 0, queued.stderr
        wait_for(lambda: any(mail.iterdir()))
        [sent] = mail.iterdir()
        assert f"http://127.0.0.1:{port}/admin/" in sent.read_text()
    finally:
        stack.send_signal(signal.SIGTERM)
        output, _ = stack.communicate(timeout=90)
    assert stack.returncode == 0, output
    wait_for(lambda: processes_with(marker) == [], timeout=30)
