from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from articles.markdown import plain_text, render_markdown
from newsroom.http_cache import public_page
from pages.models import page_cache_key


@require_safe
def page(request: HttpRequest, url: str) -> HttpResponse:
    """A page editors wrote (About, Corrections, Contact…), the same for every reader."""
    flatpage = get_object_or_404(
        FlatPage, url=f"/{url}", sites=settings.SITE_ID, registration_required=False
    )
    content_html = render_markdown(flatpage.content)
    context = {
        "flatpage": flatpage,
        "content_html": content_html,
        "description": Truncator(plain_text(content_html)).chars(160) or flatpage.title,
    }
    response = render(request, "flatpages/default.html", context)
    return public_page(response, {page_cache_key(flatpage.pk)})
