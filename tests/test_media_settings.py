"""Where the image library's files live: this server's disk, or S3-compatible storage when
there is more than one app server. Settings are read in a fresh process, as at start-up."""

import json

from tests.test_settings import PRODUCTION, run_python

SHOW = """
import django, json
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, reverse
try:
    served = reverse("media", args=["images/x.jpg"])
except NoReverseMatch:
    served = None
url = default_storage.url("images/2026/11/harbour.jpg")
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": type(default_storage._wrapped).__name__,
    "url": url,
    "img_src": settings.SECURE_CSP["img-src"],
    "served_here": served,
}))
"""


def media(**env) -> dict:
    result = run_python(SHOW, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pictures_are_on_local_disk_and_served_by_the_site_by_default():
    found = media()

    assert found["backend"] == "django.core.files.storage.FileSystemStorage"
    assert found["url"] == "/media/images/2026/11/harbour.jpg"
    assert found["served_here"] == "/media/images/x.jpg"
    assert found["img_src"] == ["'self'", "data:"]


def test_a_bucket_switches_pictures_to_s3_with_its_address_allowed_by_the_csp():
    found = media(
        NEWSROOM_MEDIA_S3_BUCKET="newsroom-pictures",
        NEWSROOM_MEDIA_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",  # noqa: S106 (never sent: nothing is uploaded)
    )

    assert found["backend"] == "storages.backends.s3.S3Storage"
    assert found["class"] == "S3Storage"
    assert found["url"] == "https://media.example.org/images/2026/11/harbour.jpg"
    assert found["img_src"] == ["'self'", "data:", "https://media.example.org"]
    assert found["served_here"] is None


def test_an_s3_compatible_endpoint_is_allowed_by_the_csp():
    found = media(
        NEWSROOM_MEDIA_S3_BUCKET="pictures",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",  # noqa: S106
    )

    assert found["url"].startswith("https://s3.example.net/pictures/images/2026/11/harbour.jpg")
    assert "https://s3.example.net" in found["img_src"]
