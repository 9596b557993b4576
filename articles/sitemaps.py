from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Section, Tag


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("-published_at")

    def lastmod(self, article: Article):
        return article.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return Section.objects.filter(
            pk__in=Article.objects.published().values("section")
        ).order_by("name")


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return Tag.objects.filter(pk__in=Article.objects.published().values("tags")).order_by(
            "name"
        )


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:list"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "articles": ArticleSitemap,
}
