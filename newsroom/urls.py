from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import include, path

from articles.models import ARTICLE_INDEX
from articles.pages.models import PAGE_INDEX
from articles.pages.sitemaps import PageSitemap
from articles.sitemaps import SITEMAPS
from articles.views import robots_txt
from newsroom.http_cache import public
from newsroom.media import media_file
from newsroom.views import favicon

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path(
        "sitemap.xml",
        public([ARTICLE_INDEX, PAGE_INDEX])(sitemap),
        {"sitemaps": {**SITEMAPS, "pages": PageSitemap}},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon),
    path("", include("articles.urls")),
    # Last: About, Corrections, Contact… at any address nothing above answers.
    path("", include("articles.pages.urls")),
]
if isinstance(default_storage, FileSystemStorage):
    # Pictures on this server's disk (in S3 they have addresses of their own).
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file, name="media")
    )
