"""The seed story ships as demo content, loaded once by `loaddemo` (which `make run` calls)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from articles.management.commands.loaddemo import SEED, parse_seed
from articles.models import Article

pytestmark = pytest.mark.django_db

HEADLINE = "The Future of North Korean POWs in Ukraine"
SUBHEADINGS = ["Options for North Korean POWs", "North Korean troop casualties rise"]


def seed_story_lines() -> list[str]:
    """The seed's lines without the trailing form ("Leave a Reply" and what follows)."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    return lines[: lines.index("Leave a Reply")]


class TextBlocks(HTMLParser):
    """The text of each <h1>, <h2> and <p> inside the article, in order."""

    def __init__(self):
        super().__init__()
        self.blocks, self._tags, self._in_article = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag == "article" and ("class", "article") in attrs:
            self._in_article = True
        if self._in_article and tag in {"h1", "h2", "p"}:
            self._tags.append(tag)
            self.blocks.append([tag, ""])

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article = False
        if self._tags and tag == self._tags[-1]:
            self._tags.pop()

    def handle_data(self, data):
        if self._tags:
            self.blocks[-1][1] += data


@pytest.fixture
def demo_article():
    call_command("loaddemo", verbosity=0)
    return Article.objects.get()


def test_loaddemo_publishes_the_seed_story_with_a_staff_byline(demo_article):
    assert demo_article.headline == HEADLINE
    assert demo_article.is_public
    assert demo_article.byline.name == "Newsroom staff"
    assert demo_article.dateline == "Kyiv"
    assert demo_article.comment_mode == Article.CommentMode.SITE_DEFAULT


def test_loaddemo_tags_the_seed_story(client, demo_article):
    assert [tag.name for tag in demo_article.tags.all()] == [
        "North Korea",
        "Prisoners of war",
        "Ukraine",
    ]
    assert client.get("/tags/prisoners-of-war/").context["article_list"][0] == demo_article


def test_loaddemo_twice_changes_nothing(demo_article):
    call_command("loaddemo", verbosity=0)
    assert Article.objects.count() == 1
    assert Article.objects.get().updated_at == demo_article.updated_at


def test_demo_page_shows_the_seed_text_exactly_minus_the_form_lines(client, demo_article):
    parser = TextBlocks()
    parser.feed(client.get(demo_article.get_absolute_url()).content.decode())
    blocks = [(tag, re.sub(r"\s+", " ", text).strip()) for tag, text in parser.blocks]
    headline, *story = seed_story_lines()

    assert ("h1", headline) in blocks
    body = blocks[blocks.index(("p", story[0])) :]  # the story: after the header's lines
    body = body[: body.index(("h2", "Tags"))]  # and before the tags under it
    assert [text for _, text in body] == story
    assert [text for tag, text in body if tag == "h2"] == SUBHEADINGS
    assert "Leave a Reply" not in [text for _, text in body]


def test_demo_quotations_keep_their_curly_quotes_and_standalone_ones_are_blockquotes(
    client, demo_article
):
    html = client.get(demo_article.get_absolute_url()).content.decode()

    assert "<p>“It is only a matter of time before our forces capture more,” Zelenskyy" in html
    assert (
        "<blockquote>\n<p>“The world must have no doubt that Russian soldiers rely on military "
        "aid from North Korea.”</p>\n</blockquote>"
    ) in html


def test_seed_parser_keeps_markdown_characters_literal():
    fields = parse_seed("Headline\n\nParis – Prices rose 5* in *one* [day] #1.\n1. Not a list.\n")

    assert fields["dateline"] == "Paris"
    assert fields["body"] == "Prices rose 5\\* in \\*one\\* \\[day\\] \\#1.\n\n1\\. Not a list.\n"


def test_loaddemo_says_what_it_loaded_once_and_is_quiet_at_verbosity_zero(capsys):
    call_command("loaddemo")
    assert "Loaded The Future of North Korean POWs in Ukraine" in capsys.readouterr().out
    call_command("loaddemo")
    assert capsys.readouterr().out == ""
    Article.objects.all().delete()
    call_command("loaddemo", verbosity=0)
    assert capsys.readouterr().out == ""
