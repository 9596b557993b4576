"""Readers see published articles only; bodies are Markdown, rendered safely."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.markdown import render_markdown
from articles.models import Article
from tests import factories

pytestmark = pytest.mark.django_db


def test_published_queryset_holds_only_published_articles_whose_time_has_come():
    live = factories.make_article()
    factories.make_article(status=Article.Status.DRAFT)
    factories.make_article(published_at=timezone.now() + timedelta(minutes=5))

    assert list(Article.objects.published()) == [live]


def test_home_lists_latest_articles_newest_first_with_headline_standfirst_byline_date(client):
    now = timezone.now()
    older = factories.make_article(headline="Older story", published_at=now - timedelta(days=2))
    newer = factories.make_article(
        headline="Newer story",
        standfirst="What happened today.",
        byline="Jo Bloggs",
        published_at=now - timedelta(hours=1),
    )

    response = client.get(reverse("articles:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer story") < html.index("Older story")
    assert f'href="{newer.get_absolute_url()}"' in html
    assert f'href="{older.get_absolute_url()}"' in html
    assert "What happened today." in html
    assert "Jo Bloggs" in html
    assert newer.published_at.strftime("%-d %B %Y") in html


def test_home_hides_drafts_and_scheduled_articles(client):
    factories.make_article(headline="Unfinished draft", status=Article.Status.DRAFT)
    factories.make_article(
        headline="Tomorrow's story", published_at=timezone.now() + timedelta(days=1)
    )

    html = client.get(reverse("articles:list")).content.decode()

    assert "Unfinished draft" not in html
    assert "Tomorrow's story" not in html


def test_home_shows_each_articles_count_of_approved_comments_only(client):
    article = factories.make_article()
    factories.make_comment(article)
    factories.make_comment(article)
    factories.make_comment(article, status="pending")
    factories.make_comment(article, status="spam")
    factories.make_article()  # no comments

    html = client.get(reverse("articles:list")).content.decode()

    assert "2 comments" in html
    assert "0 comments" in html


def test_home_is_paginated(client, settings):
    for _ in range(12):
        factories.make_article()

    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list"), {"page": 2})

    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'rel="next"' in first.content.decode()
    assert client.get(reverse("articles:list"), {"page": 9}).status_code == 404


def test_home_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    for _ in range(10):
        article = factories.make_article()
        factories.make_comment(article)
    # The count, the page of articles, the navigation's sections and the footer's pages
    # (cached from then on, articles/pages/footer.py).
    with django_assert_max_num_queries(4):
        client.get(reverse("articles:list"))


def test_article_page_shows_headline_as_h1_and_title_byline_date_and_body(client):
    article = factories.make_article(
        headline="Bridge reopens",
        byline="Sam Writer",
        dateline="Leeds",
        body="Traffic flowed again.\n\n## What comes next\n\nRepairs continue.",
    )

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Bridge reopens</h1>" in html
    assert "<title>Bridge reopens | Newsroom</title>" in html
    assert "Sam Writer" in html
    assert f'datetime="{article.published_at.strftime("%Y-%m-%dT%H:%M:%S%z")}"' in html
    assert '<p><span class="dateline">Leeds</span> – Traffic flowed again.</p>' in html
    assert "<h2>What comes next</h2>" in html


@pytest.mark.parametrize(
    "make",
    [
        lambda: factories.make_article(status=Article.Status.DRAFT),
        lambda: factories.make_article(published_at=timezone.now() + timedelta(hours=1)),
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_is_not_found_for_readers(client, make):
    assert client.get(make().get_absolute_url()).status_code == 404


def test_unknown_article_is_not_found(client):
    response = client.get(reverse("articles:detail", kwargs={"slug": "no-such-story"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_markdown_body_never_runs_html_or_script_links():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) [data](data:text/html,x) [ok](https://example.org)"
    )

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="data:' not in html
    assert '<a href="https://example.org">ok</a>' in html


def test_markdown_headings_start_below_the_headline():
    assert render_markdown("# Big\n\n### Small") == "<h2>Big</h2>\n<h3>Small</h3>\n"


def test_dateline_is_escaped():
    html = render_markdown("Text.", dateline="<b>Rome</b>")
    assert '<span class="dateline">&lt;b&gt;Rome&lt;/b&gt;</span> – Text.' in html
