"""Pages a shared cache may keep: the same for every anonymous reader, never anyone's own."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from articles.models import ARTICLE_INDEX, ARTICLE_LISTS
from articles.pages.models import PAGE_INDEX
from comments.models import Comment, DiscussionSettings
from newsroom.http_cache import SharedCacheMiddleware, public_page
from tests.factories import comment_data, make_comment, make_tag

pytestmark = pytest.mark.django_db


def keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def assert_shared(response) -> None:
    """Kept by a shared cache for everyone: no cookie, no Vary: Cookie, public headers."""
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert "max-age=0" in directives  # browsers ask again; the shared cache answers
    assert "s-maxage=50" in directives
    assert "stale-while-revalidate=10" in directives
    assert "site" in keys(response)


def assert_private(response) -> None:
    assert "Surrogate-Key" not in response
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def public_urls(article) -> dict[str, str]:
    tag = article.tags.first() or make_tag()
    article.tags.add(tag)
    return {
        "home": reverse("articles:list"),
        "section": article.section.get_absolute_url(),
        "section feed": reverse("articles:section_feed", args=[article.section.slug]),
        "tag": tag.get_absolute_url(),
        "tag feed": reverse("articles:tag_feed", args=[tag.slug]),
        "search": f"{reverse('articles:search')}?q={article.headline}",
        "author": article.get_author_url(),
        "article": article.get_absolute_url(),
        "reply form": f"{article.get_absolute_url()}?replytocom=1",
        "site feed": reverse("articles:feed"),
        "comments feed": reverse("comments:feed", args=[article.slug]),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots"),
    }


@pytest.mark.parametrize(
    "page",
    ["home", "section", "author", "article", "reply form", "site feed", "comments feed"]
    + ["sitemap", "robots", "section feed", "tag", "tag feed", "search"],
)
def test_every_public_page_may_be_kept_by_a_shared_cache(client, article, page):
    make_comment(article)
    assert_shared(client.get(public_urls(article)[page]))


def test_every_page_of_comments_may_be_kept(client, article, discussion):
    discussion.comments_per_page = 2
    discussion.save()
    for _ in range(5):
        make_comment(article)
    for page in (1, 2, 3):
        assert_shared(client.get(f"{article.get_absolute_url()}?cpage={page}"))


def test_pages_name_what_they_show_so_a_change_purges_exactly_them(client, article):
    article_keys = {
        f"article-{article.pk}",
        f"section-{article.section_id}",
        f"author-{article.byline_id}",
    }
    urls = public_urls(article)

    tag_key = f"tag-{article.tags.get().pk}"  # the tag's name shows on the article page

    assert keys(client.get(urls["article"])) == {"site", DiscussionSettings.CACHE_KEY, tag_key} | (
        article_keys
    )
    assert keys(client.get(urls["comments feed"])) == {"site", f"article-{article.pk}"}
    for lists in ("home", "author"):
        assert keys(client.get(urls[lists])) == {"site", ARTICLE_LISTS} | article_keys
    assert keys(client.get(urls["section"])) == {"site", ARTICLE_LISTS} | article_keys
    assert keys(client.get(urls["tag"])) == {"site", ARTICLE_LISTS, tag_key} | article_keys
    search_keys = {"site", ARTICLE_LISTS, ARTICLE_INDEX} | article_keys
    assert keys(client.get(urls["search"])) == search_keys
    for index in ("site feed", "section feed", "tag feed"):
        assert keys(client.get(urls[index])) == {"site", ARTICLE_INDEX}
    assert keys(client.get(urls["sitemap"])) == {"site", ARTICLE_INDEX, PAGE_INDEX}


def test_a_readers_pending_comment_makes_their_pages_private(client, article):
    client.post(reverse("comments:post", args=[article.pk]), comment_data(article))
    assert Comment.objects.get().status == Comment.Status.PENDING

    page = client.get(article.get_absolute_url())

    assert "Your comment is awaiting moderation." in page.content.decode()
    assert_private(page)
    assert_private(client.get(reverse("articles:list")))


def test_saved_details_make_the_page_private(client, article):
    client.post(
        reverse("comments:post", args=[article.pk]), comment_data(article, save_details="on")
    )
    page = client.get(article.get_absolute_url())
    assert 'value="ada@example.org"' in page.content.decode()
    assert_private(page)


def test_editors_never_get_a_cacheable_page(editor_client, article):
    for url in public_urls(article).values():
        assert_private(editor_client.get(url))


def test_a_form_with_mistakes_is_private(client, article):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_data(article, email="x")
    )
    assert response.status_code == 400
    assert_private(response)


def test_pages_that_are_not_found_are_not_marked_for_the_cache(client):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    assert "Surrogate-Key" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_other_cookies_do_not_make_a_page_private(client, article):
    client.cookies["_analytics"] = "abc"
    assert_shared(client.get(article.get_absolute_url()))


def test_a_permalink_is_not_kept(client, article):
    comment = make_comment(article)
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert "Surrogate-Key" not in response


# The middleware's own rules, on a view that marks its page public and sets what it likes.


def through_the_middleware(rf, headers: dict[str, str], cookie: str = ""):
    """A public page whose view also set ``headers``, as an anonymous reader (or, with
    ``cookie``, a reader with a session) gets it."""

    def view(request):
        return public_page(HttpResponse("The same for everyone."), ["article-1"])

    def view_with_headers(request):
        response = view(request)
        for name, value in headers.items():
            response[name] = value
        return response

    request = rf.get("/")
    if cookie:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
    return SharedCacheMiddleware(view_with_headers)(request)


def test_only_vary_cookie_goes_other_varies_stay_as_they_were(rf):
    response = through_the_middleware(rf, {"Vary": "Accept-Encoding, Cookie, Accept-Language"})
    assert response["Vary"] == "Accept-Encoding, Accept-Language"
    assert "public" in response["Cache-Control"]


def test_a_page_varying_by_cookie_alone_no_longer_varies(rf):
    response = through_the_middleware(rf, {"Vary": "Cookie"})
    assert not response.has_header("Vary")
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "cache_control", ["no-cache", 'no-cache="Set-Cookie"', "private", 'private="Set-Cookie"']
)
def test_a_view_that_says_no_cache_or_private_is_never_shared(rf, cache_control):
    response = through_the_middleware(rf, {"Cache-Control": cache_control})
    assert "Surrogate-Key" not in response
    assert "public" not in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


def test_a_page_kept_from_the_cache_is_kept_from_search_engines_too(rf):
    response = through_the_middleware(rf, {}, cookie="a-session")
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert response["X-Robots-Tag"] == "noindex"
    assert through_the_middleware(rf, {}).get("X-Robots-Tag") is None
