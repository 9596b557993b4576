from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request: HttpRequest) -> dict:
    def canonical_url() -> str:
        """The page's address: its path, plus ?page=N on lists (other query strings, such as
        a comment page or a reply, show the same page). Worked out only where a template asks,
        so the 400 page for a forged Host header never asks for the host."""
        url = request.build_absolute_uri(request.path)
        page = request.GET.get("page", "")
        if page.isascii() and page.isdigit() and page != "1":
            url += f"?page={page}"
        return url

    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "canonical_url": canonical_url,
        # The navigation's sections: one query, made only by a page that shows the navigation.
        # Saving or deleting a section purges every page (articles/services.py).
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.only("name", "slug"))),
    }
