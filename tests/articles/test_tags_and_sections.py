"""Readers find the news by subject: tags with their pages and feeds, sections in the
navigation of every page and linked from every article."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_titles(response) -> list[str]:
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


# Tags


def test_tag_page_lists_its_published_articles_newest_first(client):
    kyiv = factories.make_tag(name="Kyiv", slug="kyiv")
    older = factories.make_article(headline="Older Kyiv story",
                                   published_at=timezone.now() - timedelta(days=2))  # fmt: skip
    newer = factories.make_article(headline="Newer Kyiv story")
    draft = factories.make_article(headline="Draft Kyiv story", status=Article.Status.DRAFT)
    later = factories.make_article(headline="Scheduled Kyiv story",
                                   published_at=timezone.now() + timedelta(days=1))  # fmt: skip
    for article in (older, newer, draft, later):
        article.tags.add(kyiv)
    factories.make_article(headline="Untagged story")

    response = client.get("/tags/kyiv/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-title">Kyiv</h1>' in html
    assert html.index("Newer Kyiv story") < html.index("Older Kyiv story")
    assert "Draft Kyiv story" not in html
    assert "Scheduled Kyiv story" not in html
    assert "Untagged story" not in html


def test_tag_pages_are_paginated_and_unknown_tags_are_not_found(client):
    tag = factories.make_tag()
    for _ in range(11):
        factories.make_article().tags.add(tag)
    assert len(client.get(tag.get_absolute_url()).context["article_list"]) == 10
    assert len(client.get(tag.get_absolute_url(), {"page": 2}).context["article_list"]) == 1
    assert client.get(reverse("articles:tag", args=["nowhere"])).status_code == 404


def test_tag_page_says_so_when_nothing_is_published_with_it(client):
    tag = factories.make_tag()
    factories.make_article(status=Article.Status.DRAFT).tags.add(tag)
    html = client.get(tag.get_absolute_url()).content.decode()
    assert "Nothing has been published with this tag yet." in html


def test_tag_page_is_public_and_carries_its_tags_key_so_a_rename_purges_it(client):
    tag = factories.make_tag()
    article = factories.make_article()
    article.tags.add(tag)
    response = client.get(tag.get_absolute_url())
    keys = response["Surrogate-Key"].split()
    assert "public" in response["Cache-Control"]
    assert {f"tag-{tag.pk}", "article-lists", f"article-{article.pk}"} <= set(keys)


def test_article_page_lists_its_tags_as_links(client, article):
    article.tags.add(factories.make_tag(name="Prisoners of war", slug="prisoners-of-war"),
                     factories.make_tag(name="Kyiv", slug="kyiv"))  # fmt: skip
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert '<a href="/tags/kyiv/" rel="tag">Kyiv</a>' in html
    assert '<a href="/tags/prisoners-of-war/" rel="tag">Prisoners of war</a>' in html
    assert html.index(">Kyiv<") < html.index(">Prisoners of war<")  # by name
    assert '<meta property="article:tag" content="Kyiv">' in html
    keys = set(response["Surrogate-Key"].split())
    assert {f"tag-{tag.pk}" for tag in article.tags.all()} <= keys


def test_article_without_tags_shows_no_tag_list(client, article):
    assert 'rel="tag"' not in client.get(article.get_absolute_url()).content.decode()


def test_tag_names_are_escaped_everywhere_they_show(client, article):
    tag = factories.make_tag(name="<script>alert(1)</script>", slug="xss")
    article.tags.add(tag)
    for url in (article.get_absolute_url(), tag.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_structured_data_lists_the_tags_as_keywords(client, article):
    article.tags.add(factories.make_tag(name="Kyiv"), factories.make_tag(name="Army"))
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["keywords"] == ["Army", "Kyiv"]


def test_structured_data_of_an_untagged_article_has_no_keywords(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "keywords" not in data


@pytest.mark.parametrize("tag_count", [0, 1, 8])
def test_article_page_query_count_stays_the_same_whatever_its_tags(
    client, django_assert_num_queries, tag_count
):
    article = factories.make_article()
    factories.make_comment(article)
    for _ in range(tag_count):
        article.tags.add(factories.make_tag())
    # The article with its section, its tags, the navigation's sections, the discussion
    # settings, and the conversation's own queries: the same with no tag or with many.
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('rel="tag"') == tag_count


ARTICLE_PAGE_QUERIES = 7  # and the footer's pages (cached from then on)


def test_tag_feed_is_atom_of_its_published_articles(client):
    tag = factories.make_tag(name="Kyiv", slug="kyiv")
    factories.make_article(headline="Tagged and published").tags.add(tag)
    factories.make_article(headline="Tagged draft", status=Article.Status.DRAFT).tags.add(tag)
    factories.make_article(headline="Not tagged")

    response = client.get("/tags/kyiv/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed_titles(response) == ["Tagged and published"]
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    assert feed.findtext(f"{ATOM}title") == "Newsroom: Kyiv"
    assert "article-index" in response["Surrogate-Key"].split()
    assert client.get("/tags/nowhere/feed/").status_code == 404


def test_section_feed_is_atom_of_its_published_articles(client):
    world = factories.make_section(name="World", slug="world")
    factories.make_article(headline="World story", section=world)
    factories.make_article(headline="World draft", section=world, status=Article.Status.DRAFT)
    factories.make_article(headline="Sport story")

    response = client.get("/sections/world/feed/")

    assert feed_titles(response) == ["World story"]
    assert client.get("/sections/nowhere/feed/").status_code == 404


def test_feed_entries_carry_their_section_and_tags_as_categories(client, article):
    article.tags.add(factories.make_tag(name="Kyiv"))
    feed = ElementTree.fromstring(client.get(reverse("articles:feed")).content)  # noqa: S314
    terms = [c.get("term") for c in feed.iter(f"{ATOM}category")]
    assert terms == [article.section.name, "Kyiv"]


def test_section_and_tag_pages_advertise_their_own_feeds(client, article):
    tag = factories.make_tag(name="Kyiv", slug="kyiv")
    article.tags.add(tag)
    section_page = client.get(article.section.get_absolute_url()).content.decode()
    tag_page = client.get(tag.get_absolute_url()).content.decode()
    section_feed = reverse("articles:section_feed", args=[article.section.slug])
    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="Newsroom: {article.section.name}" href="{section_feed}">'
    ) in section_page
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Newsroom: Kyiv" '
        'href="/tags/kyiv/feed/">'
    ) in tag_page


def test_sitemap_lists_tags_with_published_articles_only(client):
    used = factories.make_tag(slug="used")
    only_draft = factories.make_tag(slug="only-draft")
    factories.make_tag(slug="unused")
    factories.make_article().tags.add(used)
    factories.make_article(status=Article.Status.DRAFT).tags.add(only_draft)

    body = client.get("/sitemap.xml").content.decode()

    assert "/tags/used/</loc>" in body
    assert "/tags/only-draft/" not in body
    assert "/tags/unused/" not in body


# Sections


def test_every_page_lists_the_sections_in_its_navigation(client, article):
    factories.make_section(name="Sport", slug="sport")
    for url in ("/", article.get_absolute_url(), "/search/?q=anything"):
        html = client.get(url).content.decode()
        nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
        assert '<a href="/sections/sport/">Sport</a>' in nav
        assert f">{article.section.name}</a>" in nav


def test_navigation_marks_the_section_being_read(client, article):
    other = factories.make_section(name="Sport", slug="sport")
    section = article.section

    section_page = client.get(section.get_absolute_url()).content.decode()
    article_page = client.get(article.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()

    current = f'<a href="{section.get_absolute_url()}" aria-current="page">'
    assert current in section_page
    assert f'<a href="{section.get_absolute_url()}" aria-current="true">' in article_page
    assert section_page.count("aria-current") == article_page.count("aria-current") == 1
    assert f'<a href="{other.get_absolute_url()}">' in section_page
    assert home.count("aria-current") == 1  # "Latest news" only


def test_navigation_costs_one_query_whatever_the_number_of_sections(
    client, django_assert_num_queries
):
    factories.make_article()
    client.get("/")  # the footer's pages, cached from then on (articles/pages/footer.py)
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")
    for _ in range(10):
        factories.make_section()
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


HOME_QUERIES = 3  # the count, the page of articles, the navigation's sections


def test_article_page_links_its_section(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<p class="section-name"><a href="{article.section.get_absolute_url()}">'
        f"{article.section.name}</a></p>"
    ) in html


@pytest.mark.parametrize("page", ["home", "author", "tag"])
def test_list_items_link_their_section(client, page):
    tag = factories.make_tag()
    article = factories.make_article(byline="Jo Bloggs")
    article.tags.add(tag)
    url = {"home": "/", "author": article.get_author_url(), "tag": tag.get_absolute_url()}[page]
    html = client.get(url).content.decode()
    link = f'<a class="section-link" href="{article.section.get_absolute_url()}">'
    assert f"{link}{article.section.name}</a>" in html


# The admin


def test_editors_tag_articles_in_the_admin(editor_client):
    section, tag = factories.make_section(), factories.make_tag(name="Kyiv")
    data = {
        "headline": "Tagged news",
        "slug": "tagged-news",
        "standfirst": "",
        "byline": factories.make_author().pk,
        "section": section.pk,
        "tags": [tag.pk],
        "dateline": "",
        "body": "Text.",
        "status": Article.Status.PUBLISHED,
        "published_at_0": timezone.now().strftime("%Y-%m-%d"),
        "published_at_1": "00:00:00",
        "comment_mode": Article.CommentMode.SITE_DEFAULT,
    }
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert list(Article.objects.get().tags.all()) == [tag]


def test_article_form_picks_tags_and_section_by_autocomplete(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'name="tags"' in html and 'name="section"' in html
    assert html.count("admin-autocomplete") >= 2


def test_autocomplete_finds_tags_by_name(editor_client):
    kyiv = factories.make_tag(name="Kyiv")
    factories.make_tag(name="Army")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "ky", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert response.json()["results"] == [{"id": str(kyiv.pk), "text": "Kyiv"}]


def test_tag_changelist_counts_published_and_all_articles(editor_client):
    tag = factories.make_tag(name="Kyiv")
    for status in (Article.Status.PUBLISHED, Article.Status.PUBLISHED, Article.Status.DRAFT):
        factories.make_article(status=status).tags.add(tag)
    factories.make_article(published_at=timezone.now() + timedelta(days=1)).tags.add(tag)
    factories.make_tag(name="Unused")

    html = editor_client.get(reverse("admin:articles_tag_changelist")).content.decode()

    changelist = reverse("admin:articles_article_changelist")
    assert f'<a href="{changelist}?tags__id__exact={tag.pk}">2</a>' in html
    assert f'<a href="{changelist}?tags__id__exact={tag.pk}">4</a>' in html


def test_tag_changelist_query_count_does_not_grow_with_tags(
    editor_client, django_assert_max_num_queries
):
    factories.make_article().tags.add(factories.make_tag())
    with django_assert_max_num_queries(12) as one:
        editor_client.get(reverse("admin:articles_tag_changelist"))
    for _ in range(20):
        factories.make_article().tags.add(factories.make_tag())
    with django_assert_max_num_queries(len(one.captured_queries)):
        editor_client.get(reverse("admin:articles_tag_changelist"))


def test_a_tag_cannot_be_added_twice_in_another_case(editor_client):
    factories.make_tag(name="Kyiv", slug="kyiv")
    response = editor_client.post(
        reverse("admin:articles_tag_add"), {"name": "KYIV", "slug": "kyiv-again"}
    )
    assert response.status_code == 200
    assert "A tag with this name already exists." in response.content.decode()
    assert Tag.objects.count() == 1


def test_a_tags_count_links_to_its_articles_in_the_admin(editor_client):
    tag = factories.make_tag()
    factories.make_article(headline="Tagged one").tags.add(tag)
    factories.make_article(headline="Untagged one")
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"tags__id__exact": tag.pk})
    assert response.status_code == 200
    assert [a.headline for a in response.context["cl"].result_list] == ["Tagged one"]
