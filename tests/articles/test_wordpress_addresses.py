"""An imported WordPress site's old addresses answer with a 301 to where each thing lives now.

The import's records (``Imported``) are made here directly, as the importer writes them:
these tests do not depend on it.
"""

from datetime import timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, BodyImage
from articles.pages import services as page_services
from articles.wordpress.models import ExportedSite, Imported
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Imported.Kind
MIDDLEWARE = "articles.wordpress.middleware.OldAddressMiddleware"
UKRAINIAN_SLUG = "київ-і-сеул-що-далі"
# The Ukrainian post's <link> in the export, percent-encoded in lower case as WordPress
# writes it, and as the importer keeps it: decoded (its slug has capitals).
UKRAINIAN_OLD_LINK = (
    "/2023/05/19/%d0%9a%d0%b8%d1%97%d0%b2-%d1%96-%d0%a1%d0%b5%d1%83%d0%bb-"
    "%d1%89%d0%be-%d0%b4%d0%b0%d0%bb%d1%96/"
)
UKRAINIAN_OLD_PATH = "/2023/05/19/Київ-і-Сеул-що-далі/"
OLD_POST = "/2023/01/03/talks-on-prisoner-exchange-stall-for-a-third-day/"
OLD_PICTURE = "/wp-content/uploads/2026/11/Photo-1-a.jpg"


@pytest.fixture
def site():
    return ExportedSite.objects.create(base_url="http://127.0.0.1:8081", title="WordPress peer")


@pytest.fixture
def imported(site):
    """``imported(kind, obj, old_path, wp_id=…)``: a record as the importer leaves it."""
    ids = iter(range(100, 10_000))

    def record(kind, obj, old_path="", wp_id=None, on=None):
        return Imported.objects.create(
            site=on or site,
            kind=kind,
            wp_id=next(ids) if wp_id is None else wp_id,
            object_id=obj.pk,
            old_path=old_path,
        )

    return record


@pytest.fixture
def post(imported):
    article = factories.make_article(slug="talks-on-prisoner-exchange-stall-for-a-third-day")
    imported(Kind.POST, article, OLD_POST, wp_id=10)
    return article


def moved_to(response) -> str:
    """Where a 301 leads; fails on anything else."""
    assert response.status_code == 301, response.status_code
    return response["Location"]


# Posts


def test_a_posts_old_address_leads_to_its_article(client, post):
    assert moved_to(client.get(OLD_POST)) == post.get_absolute_url()


def test_a_slug_changed_after_the_import_is_followed(client, post):
    Article.objects.filter(pk=post.pk).update(slug="prisoner-talks-stall")

    assert moved_to(client.get(OLD_POST)) == "/articles/prisoner-talks-stall/"


def test_an_old_link_percent_encoded_in_lower_case_finds_the_ukrainian_post(client, imported):
    article = factories.make_article(slug=UKRAINIAN_SLUG)
    imported(Kind.POST, article, UKRAINIAN_OLD_PATH)

    location = moved_to(client.get(UKRAINIAN_OLD_LINK))

    # A proper URI: the slug percent-encoded in UTF-8, and it leads to the article.
    assert location.isascii()
    assert location == (
        "/articles/%D0%BA%D0%B8%D1%97%D0%B2-%D1%96-%D1%81%D0%B5%D1%83%D0%BB-"
        "%D1%89%D0%BE-%D0%B4%D0%B0%D0%BB%D1%96/"
    )
    assert client.get(location).context["article"] == article


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_an_article_readers_cannot_see_keeps_its_old_addresses_not_found(client, imported, fields):
    article = factories.make_article(**fields)
    imported(Kind.POST, article, "/2023/03/17/private-legal-memo-on-repatriation/", wp_id=30)

    for address in [
        "/2023/03/17/private-legal-memo-on-repatriation/",
        "/2023/03/17/private-legal-memo-on-repatriation/feed/",
        "/2023/03/17/private-legal-memo-on-repatriation/amp/",
    ]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert article.slug not in response.content.decode()
    # Asked in query form, it is the home page, as for any id we do not know.
    response = client.get("/?p=30")
    assert response.status_code == 200
    assert article.slug not in response.content.decode()


@pytest.mark.parametrize(
    ("below", "leads_to"),
    [
        ("feed/", "comments"),
        ("feed/atom/", "comments"),
        ("feed/rss2/", "comments"),
        ("comment-page-2/", "article"),
        ("amp/", "article"),
        ("photo-1/", "article"),  # the page of one of its pictures
    ],
)
def test_the_addresses_below_a_posts_lead_to_its_article_or_its_comments_feed(
    client, post, below, leads_to
):
    expected = {
        "comments": reverse("comments:feed", kwargs={"slug": post.slug}),
        "article": post.get_absolute_url(),
    }[leads_to]

    assert moved_to(client.get(OLD_POST + below)) == expected


def test_an_old_address_in_a_sub_folder_keeps_its_prefix(client, imported):
    blog = ExportedSite.objects.create(base_url="https://example.org/blog")
    article = factories.make_article()
    imported(Kind.POST, article, "/blog/2020/01/01/a-post/", wp_id=5, on=blog)

    assert moved_to(client.get("/blog/2020/01/01/a-post/")) == article.get_absolute_url()
    assert client.get("/2020/01/01/a-post/").status_code == 404
    assert moved_to(client.get("/blog/?p=5")) == article.get_absolute_url()
    assert moved_to(client.get("/blog/feed/")) == reverse("articles:feed")


# Pages, authors, categories, tags


def make_page(url: str, **fields) -> FlatPage:
    page = FlatPage(url=url, title="About us", content="Who we are.", **fields)
    page_services.save_page(page, footer_position=None)
    return page


def test_a_pages_old_address_leads_to_the_page(client, imported):
    page = make_page("/about/")
    imported(Kind.PAGE, page, "/about-us/", wp_id=3)

    assert moved_to(client.get("/about-us/")) == "/about/"
    assert moved_to(client.get("/?page_id=3")) == "/about/"


def test_a_page_for_signed_in_readers_only_stays_not_found(client, imported):
    page = make_page("/members/", registration_required=True)
    imported(Kind.PAGE, page, "/members-only/", wp_id=4)

    assert client.get("/members-only/").status_code == 404
    assert client.get("/?page_id=4").status_code == 200  # the home page


def test_an_authors_old_address_leads_to_the_author_page_and_its_feed_to_the_sites(
    client, post, imported
):
    imported(Kind.AUTHOR, post.byline, "/author/o-kovalenkoa/", wp_id=2)

    assert moved_to(client.get("/author/o-kovalenkoa/")) == post.byline.get_absolute_url()
    assert moved_to(client.get("/?author=2")) == post.byline.get_absolute_url()
    # There is no feed per author: the site's.
    assert moved_to(client.get("/author/o-kovalenkoa/feed/")) == reverse("articles:feed")


def test_a_categorys_old_addresses_lead_to_its_section_and_its_feed(client, post, imported):
    section = post.section
    imported(Kind.CATEGORY, section, "/category/world/asia/", wp_id=7)
    feed = reverse("articles:section_feed", kwargs={"slug": section.slug})

    assert moved_to(client.get("/category/world/asia/")) == section.get_absolute_url()
    assert moved_to(client.get("/category/world/asia/feed/")) == feed
    assert moved_to(client.get("/?cat=7")) == section.get_absolute_url()
    assert moved_to(client.get("/?cat=7&feed=rss2")) == feed


def test_a_tags_old_addresses_lead_to_its_page_and_its_feed(client, post, imported):
    tag = factories.make_tag(name="북한", slug="북한")
    post.tags.add(tag)
    imported(Kind.TAG, tag, "/tag/북한/", wp_id=8)
    page = "/tags/%EB%B6%81%ED%95%9C/"

    assert moved_to(client.get("/tag/%eb%b6%81%ed%95%9c/")) == page
    assert moved_to(client.get("/tag/북한/feed/")) == f"{page}feed/"
    assert moved_to(client.get("/?tag=%eb%b6%81%ed%95%9c")) == page
    assert moved_to(client.get("/?tag=북한&feed=rss2")) == f"{page}feed/"


# Pictures


@pytest.fixture
def picture(imported):
    image = factories.make_image(size=(2000, 1200))
    imported(Kind.ATTACHMENT, image, OLD_PICTURE, wp_id=26)
    return image


def test_a_pictures_old_file_address_leads_to_its_file(client, picture):
    location = moved_to(client.get(OLD_PICTURE))

    assert location == picture.file.url
    assert client.get(location).status_code == 200


def test_a_resized_copy_wordpress_made_leads_to_a_copy_of_ours(client, picture):
    location = moved_to(client.get("/wp-content/uploads/2026/11/Photo-1-a-1024x640.jpg"))

    assert location == picture.picture.fallback_url
    assert location != picture.file.url
    assert client.get(location).status_code == 200
    # A picture that was never imported stays not found, resized or not.
    other = client.get("/wp-content/uploads/2026/11/Other-1024x640.jpg", follow=True)
    assert other.status_code == 404


def test_a_pictures_old_page_leads_to_the_article_showing_it_else_to_the_picture(client, picture):
    assert moved_to(client.get("/?attachment_id=26")) == picture.file.url

    draft = factories.make_article(status=Article.Status.DRAFT, featured_image=picture)
    assert moved_to(client.get("/?attachment_id=26")) == picture.file.url  # never a draft

    article = factories.make_article()
    BodyImage.objects.create(article=article, image=picture)
    assert moved_to(client.get("/?attachment_id=26")) == article.get_absolute_url()
    assert draft.slug not in client.get("/?attachment_id=26")["Location"]


# Feeds


def test_slash_feed_is_already_our_feed(client, site):
    response = client.get("/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")


@pytest.mark.parametrize(
    "address",
    ["/feed/rss2/", "/feed/atom/", "/feed/rdf/", "/rss/", "/comments/feed/", "/?feed=rss2"],
)
def test_wordpresss_other_feed_addresses_lead_to_the_sites_feed(client, site, address):
    # No site-wide comments feed here: /comments/feed/ is the articles' one too.
    assert moved_to(client.get(address)) == reverse("articles:feed")


# Query addresses on the home page


def test_a_posts_query_address_leads_to_its_article_and_its_variants(client, post):
    assert moved_to(client.get("/?p=10")) == post.get_absolute_url()
    assert moved_to(client.get("/?p=10&cpage=2")) == post.get_absolute_url()
    assert moved_to(client.get("/?p=10&feed=rss2")) == reverse(
        "comments:feed", kwargs={"slug": post.slug}
    )


def test_the_newest_import_wins_when_two_sites_share_an_id(client, post, imported):
    other_site = ExportedSite.objects.create(base_url="https://old.example.org")
    newer = factories.make_article()
    record = imported(Kind.POST, newer, "/a-newer-post/", wp_id=10, on=other_site)

    assert moved_to(client.get("/?p=10")) == newer.get_absolute_url()

    Imported.objects.filter(pk=record.pk).update(imported_at=timezone.now() - timedelta(days=1))
    assert moved_to(client.get("/?p=10")) == post.get_absolute_url()


def queries_and_caching(address: str) -> tuple[int, str]:
    # A new client: each loads settings.MIDDLEWARE when it first asks.
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(address)
    assert response.status_code == 200
    return len(queries), response["Cache-Control"]


@pytest.mark.parametrize("address", ["/", "/?page=2", "/?utm_source=x"])
def test_the_home_page_costs_no_more_and_stays_public(post, settings, address):
    """The plain home page, and its own queries, are not looked at: the same queries as
    without the old addresses, and the same public Cache-Control."""
    assert MIDDLEWARE in settings.MIDDLEWARE
    for _ in range(settings.NEWSROOM_ARTICLES_PER_PAGE):
        factories.make_article()
    queries_and_caching(address)  # warmed: what is read once is read
    with_old_addresses = queries_and_caching(address)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    without = queries_and_caching(address)

    assert with_old_addresses == without
    assert with_old_addresses[1].startswith("public")


# What stays as it was


def test_an_address_nobody_had_stays_not_found(client, post):
    for address in ["/2023/01/03/no-such-post/", "/no/such/thing/", "/category/nothing/"]:
        response = client.get(address)
        assert response.status_code == 404, address
    # Without its slash, Django's own 301 adds it (APPEND_SLASH), then it is not found.
    assert client.get("/no/such/thing", follow=True).status_code == 404


def test_an_old_address_is_sent_on_only_when_read(client, post):
    assert client.post(OLD_POST).status_code == 404


def test_the_301_is_kept_by_no_cache_and_carries_the_sites_headers(client, post):
    """Looked up each time: an import, a new slug or a withdrawn article change where it
    leads without purging anything."""
    response = client.get(OLD_POST)

    assert response.status_code == 301
    assert response["Cache-Control"] == "no-cache"
    assert "Surrogate-Key" not in response
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_an_old_link_to_a_comment_keeps_its_anchor_for_the_browser(client, post):
    """The browser keeps #comment-557 across the 301 (it never reaches the server): the
    Location must not carry a fragment of its own, and the article page has the comment's
    id on it."""
    comment = factories.make_comment(post)

    location = moved_to(client.get(OLD_POST))

    assert "#" not in location
    assert f'id="comment-{comment.pk}"' in client.get(location).content.decode()
