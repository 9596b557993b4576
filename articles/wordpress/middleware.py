"""Old WordPress addresses answered with a 301 to the imported item's new address."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from articles.wordpress import addresses

READING = {"GET", "HEAD"}


class OldAddressMiddleware:
    """Sends an imported WordPress site's old addresses on to their new ones.

    Only what would otherwise be "not found" is looked at, after the site has answered: an
    address of ours always wins, a page found costs nothing more, a "not found" one query.
    The one exception is the home page asked in WordPress's query form (``/?p=27``): the home
    page answers every query, so those few variables are looked at first; the plain home
    page is untouched.

    The 301 is never kept by a cache (``no-cache``): its target is looked up each time from
    the import's records, which change without purging anything (a later import wins), and a
    browser keeping a permanent redirect would keep following it after an article's address
    changed or it was withdrawn. The look-up is two or three indexed queries.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in READING
        if (
            reading
            and addresses.asks_by_query(request.GET)  # first: most requests have no query
            and request.path == reverse("articles:list")
        ):
            location = addresses.location_for_query(request.GET, home=request.path)
            if location:
                return moved(location)
        response = self.get_response(request)
        if response.status_code == 404 and reading:
            location = (
                addresses.location_for_query(request.GET, home=request.path)
                if addresses.asks_by_query(request.GET)
                else None
            ) or addresses.location_for_path(request.path)
            if location:
                return moved(location)
        return response


def moved(location: str) -> HttpResponse:
    # The redirect makes ``location`` a URI (iri_to_uri): a slug in any script is
    # percent-encoded in UTF-8, as a Location header must be.
    response = HttpResponsePermanentRedirect(location)
    patch_cache_control(response, no_cache=True)
    return response
