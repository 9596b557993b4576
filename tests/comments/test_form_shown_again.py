"""A form shown again after a mistake: the reader fixes it and posts, with a screen reader too."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories
from tests.pages import CommentFormFields

pytestmark = pytest.mark.django_db


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def test_a_reader_who_fixes_their_email_is_not_then_refused_as_a_bot(client, article):
    # The browser's autofill put the reader's name in the hidden field, and the email lacks
    # its domain: both are refused, and the form comes back with the hidden field empty.
    typed = factories.comment_data(article, email="ada@", honeypot="Ada Reader")
    refused = client.post(post_url(article), typed)
    assert refused.status_code == 400
    assert "a field meant to stay empty was filled in" in refused.content.decode()

    again = CommentFormFields(refused.content.decode()).values
    again["email"] = "ada@example.org"
    response = client.post(post_url(article), again)

    assert response.status_code == 302
    assert Comment.objects.get().text == "I have a thought about this."


def test_a_screen_reader_reads_the_email_error_with_the_email_field(client, article):
    response = client.post(post_url(article), factories.comment_data(article, email="ada@"))

    html = response.content.decode()
    field = re.search(r'<input[^>]*name="email"[^>]*>', html)[0]
    described_by = re.search(r'aria-describedby="([^"]*)"', field)[1].split()
    assert "email-notes" in described_by  # the privacy note, still
    errors = [name for name in described_by if name != "email-notes"]
    assert len(errors) == 1
    error = re.search(rf'<div id="{re.escape(errors[0])}"[^>]*>(.*?)</div>', html, re.S)
    assert error, "aria-describedby names no element on the page"
    assert "Please enter a valid email address" in error[1]
