from django.contrib.sitemaps import Sitemap

from articles.pages.models import public_pages


class PageSitemap(Sitemap):
    """The pages readers may open, by address. (Django's FlatPageSitemap, without its query
    for the current site.)"""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return public_pages().order_by("url")
