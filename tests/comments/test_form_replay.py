"""A form's signed timestamp works on the article it was shown on, for every reader of it."""

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.forms import TIMESTAMP_SALT
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def token_from(response) -> str:
    return response.context["comment_section"].form["timestamp"].value()


def assert_refused_as_altered_with_text_kept(response):
    html = response.content.decode()
    assert response.status_code == 400
    assert "the form was damaged or altered" in html
    assert "I have a thought about this." in html  # the reader's text, kept
    assert not Comment.objects.exists()


def test_a_form_from_another_articles_page_is_refused_as_altered(client, article):
    # A bot that fetched one page cannot post its form to every article for a day.
    elsewhere = factories.make_article()
    token = factories.comment_data(elsewhere)["timestamp"]

    response = client.post(url(article), factories.comment_data(article, timestamp=token))

    assert_refused_as_altered_with_text_kept(response)
    fresh = token_from(response)
    assert (
        client.post(url(article), factories.comment_data(article, timestamp=fresh)).status_code
        == 302
    )


def test_the_form_on_a_cached_page_works_for_every_reader_who_sees_it(article):
    # The page, and the token in it, is the same for every reader: none is tied to one.
    token = token_from(Client().get(article.get_absolute_url()))

    for n, reader in enumerate([Client(), Client(), Client()]):
        data = factories.comment_data(
            article, timestamp=token, comment=f"Reader {n} here.", email=f"r{n}@example.org"
        )
        assert reader.post(url(article), data).status_code == 302
    assert Comment.objects.count() == 3


def test_a_timestamp_signed_without_its_article_is_refused(client, article):
    # Tokens in the form's old shape (a time alone) fit every article: no longer taken.
    bare = signing.dumps(time.time() - 60, salt=TIMESTAMP_SALT)

    response = client.post(url(article), factories.comment_data(article, timestamp=bare))

    assert_refused_as_altered_with_text_kept(response)
