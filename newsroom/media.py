"""The image library's files, served by the app when they are on its own disk.

Names are never reused for other bytes (a replaced picture gets a new name, and so do its
renditions), so browsers and the HTTP cache in front (Varnish keeps ``/media/`` as it keeps
``/static/``) may keep each file for a year. Only the picture formats the library stores are
served; the storage refuses any path outside ``MEDIA_ROOT``.
"""

import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
A_YEAR = 365 * 24 * 3600


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponse:
    content_type = CONTENT_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None:
        raise Http404("Not a picture of the library.")
    try:
        with default_storage.open(path, "rb") as file:
            # Read whole (renditions are small): GZip leaves a body it cannot shrink alone.
            content = file.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, SuspiciousFileOperation):
        raise Http404("No such picture.") from None
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, public=True, max_age=A_YEAR, immutable=True)
    return response
