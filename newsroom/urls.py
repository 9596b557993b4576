from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.models import ARTICLE_INDEX
from articles.pages.models import PAGE_INDEX
from articles.pages.sitemaps import PageSitemap
from articles.sitemaps import SITEMAPS
from articles.views import robots_txt
from newsroom.http_cache import public
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
