"""A form shown again after a mistake: the reader fixes it and posts, with a screen reader too."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


class Form(HTMLParser):
    """The comment form's fields as the page shows them, as a browser would post them."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea = None
        self.feed(html[html.index('id="commentform"') :])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":  # a browser drops the newline right after <textarea>
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None


def test_a_reader_who_fixes_their_email_is_not_then_refused_as_a_bot(client, article):
    # The browser's autofill put the reader's name in the hidden field, and the email lacks
    # its domain: both are refused, and the form comes back with the hidden field empty.
    typed = factories.comment_data(article, email="ada@", honeypot="Ada Reader")
    refused = client.post(post_url(article), typed)
    assert refused.status_code == 400
    assert "a field meant to stay empty was filled in" in refused.content.decode()

    again = Form(refused.content.decode()).values
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
