"""The article page's work that is the same for every reader is done once, not per view.

An article's body is rendered from Markdown once per text (in each worker), and rendered
again as soon as the text or dateline changes, however it was saved. None of it changes the
page readers get.
"""

import re

import pytest

from articles import markdown
from articles.models import Article
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The texts markdown-it parses from now on, with nothing remembered from before."""
    markdown.render_markdown.cache_clear()
    markdown.plain_text.cache_clear()
    texts = []
    parse = markdown._md.parse

    def counting_parse(text, *args, **kwargs):
        texts.append(text)
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(markdown._md, "parse", counting_parse)
    return texts


def without_form_timestamp(html: bytes) -> bytes:
    """The page without the form's signed timestamp, which differs on every view."""
    return re.sub(rb'(name="timestamp" value=")[^"]*', rb"\1", html)


def test_body_is_rendered_once_for_two_views(client, parsed):
    article = make_article(standfirst="", body="The *first* version.")

    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())

    assert b"The <em>first</em> version." in first.content
    assert without_form_timestamp(first.content) == without_form_timestamp(second.content)
    assert parsed == ["The *first* version."]


def test_body_is_rendered_again_after_an_edit(client, parsed):
    article = make_article(body="The *first* version.")
    client.get(article.get_absolute_url())

    article.body = "The *second* version."
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()

    assert "The <em>second</em> version." in html
    assert "<em>first</em>" not in html
    assert parsed == ["The *first* version.", "The *second* version."]


def test_a_change_that_bypasses_save_is_shown_too(client, parsed):
    """A bulk update sets no modification time: the rendering follows the text itself."""
    article = make_article(standfirst="", body="Old words.")
    client.get(article.get_absolute_url())

    Article.objects.filter(pk=article.pk).update(body="New words.", dateline="Kyiv")
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<p><span class="dateline">Kyiv</span> – New words.</p>' in html
    assert '<meta name="description" content="Kyiv – New words.">' in html
    assert "Old words." not in html


def test_page_is_the_same_from_a_fresh_rendering_and_a_remembered_one(client, parsed):
    article = make_article(standfirst="", dateline="Rome", body="# Heading\n\nSome *text*.")
    make_comment(article, text="First!")

    fresh = client.get(article.get_absolute_url())
    remembered = client.get(article.get_absolute_url())
    markdown.render_markdown.cache_clear()
    markdown.plain_text.cache_clear()
    fresh_again = client.get(article.get_absolute_url())

    assert len(parsed) == 2
    pages = {without_form_timestamp(r.content) for r in (fresh, remembered, fresh_again)}
    assert len(pages) == 1


def test_comment_ids_are_never_written_as_localised_numbers(client, settings):
    """Ids and depths in the comment list are for links and scripts, not for reading."""
    settings.USE_THOUSAND_SEPARATOR = True
    article = make_article()
    comment = make_comment(article, pk=12345)

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<li id="comment-{comment.pk}" class="comment depth-1">' in html
    assert f'data-comment-id="{comment.pk}"' in html
