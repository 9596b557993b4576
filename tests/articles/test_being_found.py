"""Readers and search engines find the news: sections, authors, feeds, sitemap, metadata."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.pages.apps import sync_site
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# The properties of schema.org's NewsArticle (with those it inherits) that we use.
NEWS_ARTICLE_PROPERTIES = {
    "@context", "@type", "headline", "description", "url", "mainEntityOfPage",
    "datePublished", "dateModified", "author", "publisher", "articleSection",
    "commentCount", "inLanguage", "isAccessibleForFree", "dateline",
}  # fmt: skip


# Sections and authors


def test_section_page_lists_its_published_articles_newest_first(client):
    world = factories.make_section(name="World", slug="world")
    older = factories.make_article(section=world, headline="Older world story",
                                   published_at=timezone.now() - timedelta(days=2))  # fmt: skip
    newer = factories.make_article(section=world, headline="Newer world story")
    factories.make_article(headline="Sports story")
    factories.make_article(section=world, headline="Draft story", status=Article.Status.DRAFT)

    response = client.get(world.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-title">World</h1>' in html
    assert html.index(newer.headline) < html.index(older.headline)
    assert "Sports story" not in html and "Draft story" not in html


def test_section_pages_are_paginated_and_unknown_sections_are_not_found(client):
    world = factories.make_section(slug="world")
    for _ in range(11):
        factories.make_article(section=world)
    assert len(client.get(world.get_absolute_url()).context["article_list"]) == 10
    assert len(client.get(world.get_absolute_url(), {"page": 2}).context["article_list"]) == 1
    assert client.get(reverse("articles:section", args=["nowhere"])).status_code == 404


def test_author_page_lists_the_articles_under_that_byline(client):
    mine = factories.make_article(byline="Jo Bloggs", headline="By Jo")
    factories.make_article(byline="Sam Writer", headline="By Sam")

    response = client.get(mine.get_author_url())

    html = response.content.decode()
    assert mine.get_author_url() == "/authors/jo-bloggs/"
    assert "Articles by Jo Bloggs" in html
    assert "By Jo" in html and "By Sam" not in html


def test_author_without_published_articles_is_not_found(client):
    factories.make_article(byline="Secret Writer", status=Article.Status.DRAFT)
    assert client.get(reverse("articles:author", args=["secret-writer"])).status_code == 404


def test_bylines_link_to_author_pages(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="author" href="{article.get_author_url()}">' in html


# Feeds


def test_latest_articles_feed_is_atom_of_published_articles(client):
    published = factories.make_article(headline="On the wire")
    factories.make_article(headline="Not yet", status=Article.Status.DRAFT)

    response = client.get(reverse("articles:feed"))

    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert response["Content-Type"].startswith("application/atom+xml")
    assert titles == ["On the wire"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(published.get_absolute_url())


def test_article_comments_feed_has_approved_comments_and_no_emails(client, article):
    factories.make_comment(article, author_name="Grace", author_email="grace@example.org",
                           text="<b>Approved</b> words.")  # fmt: skip
    factories.make_comment(article, status=Comment.Status.PENDING, text="Pending words.")
    factories.make_comment(article, status=Comment.Status.SPAM, text="Spam words.")

    response = client.get(reverse("comments:feed", args=[article.slug]))

    body = response.content.decode()
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = list(feed.iter(f"{ATOM}entry"))
    assert feed.findtext(f"{ATOM}title") == f"Comments on: {article.headline}"
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["By: Grace"]
    assert "<p>&lt;b&gt;Approved&lt;/b&gt; words.</p>" in entries[0].findtext(f"{ATOM}summary")
    assert "Pending words." not in body and "Spam words." not in body
    assert "@" not in body.replace("xmlns", "")  # no email address of anyone
    assert "grace@example.org" not in body


def test_comments_feed_of_an_unpublished_article_is_not_found(client):
    draft = factories.make_article(status=Article.Status.DRAFT)
    assert client.get(reverse("comments:feed", args=[draft.slug])).status_code == 404


def test_pages_advertise_their_feeds(client, article):
    home = client.get("/").content.decode()
    page = client.get(article.get_absolute_url()).content.decode()
    feed = reverse("articles:feed")
    site_feed = f'type="application/atom+xml" title="Newsroom: latest articles" href="{feed}"'
    assert site_feed in home and site_feed in page
    comments_feed = reverse("comments:feed", args=[article.slug])
    assert f'href="{comments_feed}"' in page


# Sitemap and robots


def test_sitemap_lists_home_sections_and_published_articles_at_the_sites_address(client, settings):
    # The sitemap's addresses are on the site's public address (NEWSROOM_SITE_URL), which
    # the Site row follows after every migrate (articles/pages/apps.py), not on example.com.
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    sync_site()
    live = factories.make_article()
    draft = factories.make_article(status=Article.Status.DRAFT)

    response = client.get("/sitemap.xml", secure=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert f"https://news.example.org{live.get_absolute_url()}</loc>" in body
    assert f"https://news.example.org{live.section.get_absolute_url()}</loc>" in body
    assert "<loc>https://news.example.org/</loc>" in body
    assert draft.get_absolute_url() not in body
    assert "example.com" not in body


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


# Metadata on the article page


def meta(html: str, attribute: str, name: str) -> str:
    return re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)[1]


def test_article_has_canonical_url_description_and_social_cards(client):
    article = factories.make_article(headline="Bridge reopens", standfirst="Traffic is back.")

    html = client.get(article.get_absolute_url(), {"cpage": 2, "replytocom": 1}).content.decode()

    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "name", "description") == "Traffic is back."
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == "Bridge reopens"
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "article:published_time") == article.published_at.isoformat()
    assert meta(html, "name", "twitter:card") == "summary"


def test_description_falls_back_to_the_opening_words(client):
    article = factories.make_article(standfirst="", dateline="Kyiv", body="Words " * 60)
    html = client.get(article.get_absolute_url()).content.decode()
    description = meta(html, "name", "description")
    assert description.startswith("Kyiv – Words Words")
    assert len(description) <= 160


def structured(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    return json.loads(block)


def test_article_carries_news_article_structured_data(client):
    article = factories.make_article(headline="Bridge reopens", byline="Sam Writer",
                                     dateline="Leeds")  # fmt: skip
    factories.make_comment(article)
    factories.make_comment(article)
    factories.make_comment(article, status=Comment.Status.PENDING)

    data = structured(client.get(article.get_absolute_url()).content.decode())

    assert set(data) <= NEWS_ARTICLE_PROPERTIES
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bridge reopens"
    assert data["datePublished"] == article.published_at.isoformat()
    assert data["author"] == [
        {"@type": "Person", "name": "Sam Writer", "url": "http://testserver/authors/sam-writer/"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["commentCount"] == 2
    assert data["dateline"] == "Leeds"


def test_structured_data_cannot_break_out_of_its_script(client):
    article = factories.make_article(headline="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in block
    assert structured(html)["headline"] == "</script><script>alert(1)</script>"


def test_drafts_previewed_by_editors_are_not_indexed(editor_client):
    draft = factories.make_article(status=Article.Status.DRAFT)
    html = editor_client.get(draft.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="noindex">' in html
