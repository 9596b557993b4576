"""Featured on the home page (WordPress's sticky posts): first on the home page, nowhere
else, and only editors who may publish decide it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def headlines(response) -> list[str]:
    return [article.headline for article in response.context["article_list"]]


def test_a_featured_article_leads_the_home_page_however_old(client):
    section = make_section()
    make_article(headline="Yesterday", section=section)
    make_article(
        headline="Last year, featured",
        section=section,
        featured=True,
        published_at=timezone.now() - timedelta(days=365),
    )
    make_article(headline="Today", section=section, published_at=timezone.now())

    assert headlines(client.get("/")) == ["Last year, featured", "Today", "Yesterday"]
    # A section's page (and a tag's, an author's) stays newest first.
    assert headlines(client.get(section.get_absolute_url())) == [
        "Today",
        "Yesterday",
        "Last year, featured",
    ]


def test_a_featured_draft_is_not_on_the_home_page(client):
    make_article(headline="Draft", featured=True, status=Article.Status.DRAFT)
    make_article(headline="Published")
    assert headlines(client.get("/")) == ["Published"]


def test_an_editor_features_an_article_and_the_lists_are_purged(editor_client, purged_keys):
    article = make_article(headline="Council votes")
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = editor_client.get(url)
    assert 'name="featured"' in page.text
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"tags", "published_at", "featured"}
    }
    published = timezone.localtime(article.published_at)
    data.update(
        {
            "featured": "on",
            "published_at_0": published.strftime("%Y-%m-%d"),
            "published_at_1": published.strftime("%H:%M:%S"),
            "comments_close_after_days": "",
            "featured_image": "",
            "dateline": "",
        }
    )
    with purged_keys.committing():
        response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.featured
    assert "article-lists" in purged_keys
