"""gunicorn's settings for Newsroom: ``gunicorn --config deploy/gunicorn.conf.py newsroom.wsgi``.

``deploy/serve.py`` starts gunicorn with it; use it too where gunicorn faces clients itself.
The command line's options (bind, workers, timeout…) still apply; this file adds what has no
option:

- **No ``Server`` header.** gunicorn names itself in every answer and has no setting to stop
  it (its maintainers declined one, benoitc/gunicorn#825); setting ``gunicorn.SERVER`` only
  leaves an empty header, and only if it runs before ``gunicorn.http.wsgi`` is imported. So
  its HTTP/1 response writes its first lines without that one. ``tests/cache/`` checks the
  header is gone, so an upgrade that changes this shows there.
"""

from gunicorn.http.wsgi import Response

_default_headers = Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


Response.default_headers = _default_headers_without_server
