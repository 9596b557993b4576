"""What holds a comment for an editor: links however they are written, words only whole."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def status_of_new_comment(client, article, text: str) -> str:
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    assert client.post(url, factories.comment_data(article, comment=text)).status_code == 302
    return Comment.objects.get(text=text).status


@pytest.mark.parametrize(
    "text",
    [
        "SEE HTTP://ONE.EXAMPLE AND HTTPS://TWO.EXAMPLE",
        "Bare and shouted: WWW.ONE.EXAMPLE and Www.two.example",
        'Typed HTML: <A HREF="https://one.example">one</A> and WWW.TWO.EXAMPLE',
    ],
)
def test_links_written_in_capitals_count_toward_the_link_limit(client, article, open_door, text):
    assert open_door.max_links == 2
    assert status_of_new_comment(client, article, text) == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("words", "text", "held"),
    [
        ("ass", "I assume you are right.", False),
        ("ass", "What an ass.", True),
        ("cheap pills", "Cheap pillstands for the garden.", False),
        ("cheap pills", "Cheap pills, delivered.", True),
    ],
)
def test_a_moderation_word_holds_the_word_itself_not_longer_words_it_begins(
    client, article, open_door, words, text, held
):
    open_door.moderation_words = words
    open_door.save()
    expected = Comment.Status.PENDING if held else Comment.Status.APPROVED
    assert status_of_new_comment(client, article, text) == expected
