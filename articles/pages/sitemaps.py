from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap


class PageSitemap(Sitemap):
    """The pages readers may open, by address. (Django's FlatPageSitemap, without its query
    for the current site.)"""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return FlatPage.objects.filter(
            sites=settings.SITE_ID, registration_required=False
        ).order_by("url")
