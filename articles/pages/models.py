import reversion
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import BodyFormat

# What an editor writes on a page, kept at every save (articles/pages/services.py) and restorable
# from its history. Its place in the footer is not part of a version: restoring keeps it.
PAGE_VERSION_FIELDS = ["title", "url", "content"]
reversion.register(FlatPage, fields=PAGE_VERSION_FIELDS)

# Surrogate keys (newsroom/http_cache.py). A page carries its own; the sitemap the index's.
PAGE_INDEX = "page-index"


def page_cache_key(pk: int) -> str:
    return f"page-{pk}"


def public_pages():
    """The pages readers may open: this site's, not for signed-in users only (a page
    imported as a draft, for one)."""
    return FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)


class FooterLink(models.Model):
    """A page listed in the footer of every page of the site, in ``position`` order."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, related_name="footer_link", verbose_name=_("page")
    )
    position = models.PositiveSmallIntegerField(
        _("position in the footer"), default=0, help_text=_("Lower numbers come first.")
    )

    class Meta:
        ordering = ["position", "page__title"]
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")

    def __str__(self) -> str:
        return self.page.title


class PageFormat(models.Model):
    """A page whose text is not Markdown: one imported from WordPress keeps its HTML. A page
    without one is Markdown."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, related_name="format", verbose_name=_("page")
    )
    body_format = models.CharField(
        _("format"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )

    class Meta:
        verbose_name = _("page format")
        verbose_name_plural = _("page formats")

    def __str__(self) -> str:
        return f"{self.page.title}: {self.get_body_format_display()}"
