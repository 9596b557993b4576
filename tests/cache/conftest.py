"""The production stack of ``make serve`` (Varnish in front of gunicorn), on the test database.

Varnish is Debian's ``varnish`` with ``varnish-modules`` (``apt-get install varnish
varnish-modules``). Without them the cache tests skip, unless ``NEWSROOM_REQUIRE_CACHE=1``
(set in CI) makes a missing Varnish an error, so CI cannot go green without having run them.
"""

import os
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from deploy import serve


def database_url(settings_dict: dict) -> str:
    """The test database as a DATABASE_URL for the server's process."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    quote = urllib.parse.quote
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(settings_dict['NAME'])}"


def stack_env(varnish_url: str, media_root: Path | None = None) -> dict[str, str]:
    """Production settings as the suite runs them (the Makefile's TEST_ENV), on the test
    database, with the limits ``tests/conftest.py`` lifts lifted; nothing of the caller's."""
    env = serve.without_site_settings(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        # The suite's key: sessions and signatures made in the test process are valid there.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        DJANGO_SECURE="0",
        NEWSROOM_SITE_URL=varnish_url,
        DATABASE_URL=database_url(connection.settings_dict),
        # Closed after each request, so the suite can empty and drop the database.
        DATABASE_CONN_MAX_AGE="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        NEWSROOM_COMMENT_MIN_SECONDS="0",
        NEWSROOM_COMMENT_FLOOD_SECONDS="0",
        NEWSROOM_COMMENT_RATE_PER_HOUR="0",
        NEWSROOM_TRUSTED_PROXIES="1",
        NEWSROOM_CACHE_PURGE_URLS=varnish_url,
    )
    if media_root is not None:
        env["NEWSROOM_MEDIA_ROOT"] = str(media_root)
    return env


def require_varnish() -> None:
    """Skip the test without Varnish; fail it instead when NEWSROOM_REQUIRE_CACHE=1."""
    problem = serve.missing_varnish()
    if problem:
        if os.environ.get("NEWSROOM_REQUIRE_CACHE") == "1":
            pytest.fail(f"{problem} (NEWSROOM_REQUIRE_CACHE=1: the cache tests must run)")
        pytest.skip(problem)


@pytest.fixture
def varnishtest() -> str:
    """The path of Varnish's own test tool, ``varnishtest``."""
    require_varnish()
    return shutil.which("varnishtest") or "varnishtest"


@pytest.fixture(scope="session")
def cache_stack_server(django_db_setup, tmp_path_factory):
    """Varnish on a free port in front of gunicorn (2 sync workers), started once per run
    with ``deploy/serve.py``'s ``start_stack()`` on the test database, and stopped before
    pytest-django drops that database. Use ``cache_stack`` in tests, not this."""
    require_varnish()
    run_dir = tmp_path_factory.mktemp("serve")
    port = serve.free_port()
    # The image library's files: the stack serves what a test saves there (``media_root``).
    media_root = run_dir / "media"
    env = stack_env(f"http://127.0.0.1:{port}", media_root)
    # Production serves hashed static files from collectstatic's manifest.
    serve.manage(env, "collectstatic", "--no-input", "-v", "0")
    with open(run_dir / "stack.log", "w") as log:
        stack = serve.start_stack(env, port=port, workers=2, threads=1, run_dir=run_dir, output=log)
        try:
            stack.wait_until_answering()
            stack.media_root = media_root
            yield stack
        finally:
            stack.stop()


@pytest.fixture
def cache_stack(
    transactional_db, django_db_serialized_rollback, cache_stack_server
) -> Iterator[serve.Stack]:
    """The site as readers get it through Varnish, with an empty cache at the start of the
    test. It is a ``deploy.serve.Stack``:

    - ``cache_stack.varnish_url``: ``http://127.0.0.1:PORT``, Varnish (what readers get);
    - ``cache_stack.gunicorn_url``: the same app without the cache;
    - ``cache_stack.purge(*keys)``: a PURGE with ``xkey-purge: keys`` from 127.0.0.1, as
      the app sends it; returns the HTTP status;
    - ``cache_stack.purge_all()``: empties the cache (this fixture does it before each test);
    - ``cache_stack.varnish_dir``: varnishd's ``-n`` directory (``varnishadm -n``);
    - ``cache_stack.processes``: ``{"gunicorn": Popen, "varnishd": Popen}``.

    Responses carry ``X-Cache``: ``HIT`` (from the cache, fresh or within grace), ``MISS``
    (fetched; kept if cacheable) or ``PASS`` (never cached: a session or CSRF cookie,
    /admin/, a POST). The server's process uses the test database (tests need
    ``transactional_db``, which this fixture requests, to share data with it; with
    ``serialized_rollback``, as the suite's other transactional tests, so that the migrated
    rows are there again for the next test) and sends its
    purges to this Varnish (``NEWSROOM_CACHE_PURGE_URLS``); the test process's own settings
    do not, unless a test sets ``settings.NEWSROOM_CACHE_PURGE_URLS`` itself. Client
    addresses come from X-Forwarded-For (``NEWSROOM_TRUSTED_PROXIES=1``).
    """
    cache_stack_server.purge_all()
    return cache_stack_server
