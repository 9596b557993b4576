"""WordPress's media addresses: the one definition the importer, the content converter and
the old addresses share."""

import re
from urllib.parse import unquote, urlsplit

# Where WordPress keeps uploaded files, under the site's address.
UPLOADS = "/wp-content/uploads/"
# A copy WordPress made of an uploaded picture: "photo-1024x640.jpg", and "photo-scaled.jpg"
# or "photo-rotated.jpg" (WordPress 5.3+) of "photo.jpg".
RESIZED = re.compile(r"-(?:\d{1,5}x\d{1,5}|scaled|rotated)(?=\.\w{2,5}$)")


def upload_path(url: str) -> str:
    """The part of a media address after wp-content/uploads/ ("2026/11/photo.jpg"), decoded;
    "" for an address elsewhere."""
    path = unquote(urlsplit(url).path)
    _before, found, after = path.partition(UPLOADS)
    return after if found else ""


def original_name(name: str) -> str:
    """The uploaded file a resized copy was made from (``name`` itself if it is one)."""
    return RESIZED.sub("", name)
