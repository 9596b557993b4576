from django.contrib.flatpages.models import FlatPage
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator

from articles.bodies import BodyFormat, referenced_ids, render_body
from articles.markdown import plain_text
from articles.models import Image
from articles.pages.models import PageFormat, page_cache_key, public_pages
from newsroom.http_cache import public_page

SAFE_METHODS = ["GET", "HEAD"]


def page(request: HttpRequest, url: str) -> HttpResponse:
    """A page editors wrote (About, Corrections, Contact…), the same for every reader."""
    # Not found first: this view answers every address nothing else does, whatever the
    # method (a POST to a mistyped address is a 404, as before there were pages).
    flatpage = get_object_or_404(
        # Its format in the same query: most pages have none (Markdown).
        public_pages().select_related("format"),
        url=f"/{url}",
    )
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    body_format = _body_format(flatpage)
    # Pictures of the library it shows (an imported page's, say), in one query if any.
    image_ids = referenced_ids(flatpage.content, body_format)
    images = Image.objects.filter(pk__in=image_ids).order_by("pk") if image_ids else []
    pictures = tuple(image.picture for image in images)
    content_html = render_body(flatpage.content, body_format, pictures=pictures)
    context = {
        "flatpage": flatpage,
        "content_html": content_html,
        "description": Truncator(plain_text(content_html)).chars(160) or flatpage.title,
    }
    response = render(request, "flatpages/default.html", context)
    keys = {page_cache_key(flatpage.pk)} | {Image.cache_key_for(pk) for pk in image_ids}
    return public_page(response, keys)


def _body_format(flatpage: FlatPage) -> str:
    try:
        return flatpage.format.body_format
    except PageFormat.DoesNotExist:
        return BodyFormat.MARKDOWN
