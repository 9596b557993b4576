from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """About, Corrections, Contact…: pages editors write in the admin (Django's flat pages),
    shown in the site's design, listed in the footer and the sitemap."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self) -> None:
        # After django.contrib.sites has made its row ("example.com"), and after every later
        # migrate: the site's domain and name are the ones the settings give.
        post_migrate.connect(sync_site, sender=self, dispatch_uid="articles.pages.sync_site")


def sync_site(using: str = "default", **kwargs) -> None:
    """Make the one Site (``SITE_ID``) carry NEWSROOM_SITE_URL's host and NEWSROOM_SITE_NAME:
    the sitemap and feeds build their addresses from it."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.NEWSROOM_SITE_URL).netloc
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.NEWSROOM_SITE_NAME}
    )
    Site.objects.clear_cache()
