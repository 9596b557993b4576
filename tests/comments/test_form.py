"""The "Leave a Reply" form readers see under an article: WordPress's form, field by field."""

import re

import pytest

from articles.models import Article
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def form_html(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index('<div id="respond"') :]


def field_tag(html: str, name: str) -> str:
    return re.search(rf"<(?:input|textarea)[^>]*name=\"{name}\"[^>]*>", html).group(0)


def test_form_has_the_heading_note_and_button_of_the_page(client, article):
    html = form_html(client, article)

    assert '<span class="reply-title-text">Leave a Reply</span>' in html
    assert "Your email address will not be published." in html
    assert re.search(r"Required fields are marked\s*<span[^>]*>\*</span>", html)
    assert 'value="Post Comment"' in html
    assert 'method="post"' in html
    # No per-reader token: the page is the same for everyone (cross-site posts are refused
    # by origin instead, tests/comments/test_posting.py).
    assert "csrfmiddlewaretoken" not in html


def test_fields_come_in_wordpress_order_with_a_star_on_required_labels(client, article):
    html = form_html(client, article)
    labels = re.findall(r"<label[^>]*>\s*(.*?)\s*</label>", html, re.S)

    assert labels == [
        'Comment<span class="asteriskField">*</span>',
        'Name<span class="asteriskField">*</span>',
        'Email<span class="asteriskField">*</span>',
        "Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Notify me of follow-up comments by email.",  # off unless ticked
        "Replies to my comment only",
        "Every new comment on this article",
        "Leave this field empty",  # the honeypot, hidden from people
    ]


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("comment", ["required", 'maxlength="10000"']),
        ("author", ["required", 'maxlength="245"', 'autocomplete="name"', 'type="text"']),
        ("email", ["required", 'maxlength="254"', 'autocomplete="email"', 'type="email"']),
        ("url", ['maxlength="200"', 'autocomplete="url"', 'type="url"']),
        ("save_details", ['type="checkbox"']),
        ("parent", ['type="hidden"']),
    ],
)
def test_each_field_carries_its_type_limit_and_autocomplete(client, article, name, attributes):
    tag = field_tag(form_html(client, article), name)
    for attribute in attributes:
        assert re.search(rf"\s{attribute}[\s>/]", tag), f"{name} lacks {attribute}: {tag}"


def test_website_and_consent_are_optional(client, article):
    html = form_html(client, article)
    assert " required" not in field_tag(html, "url")
    assert " required" not in field_tag(html, "save_details")


def test_email_field_points_at_the_privacy_note(client, article):
    html = form_html(client, article)
    assert 'aria-describedby="email-notes"' in field_tag(html, "email")
    assert '<span id="email-notes">' in html


def test_closed_article_shows_comments_are_closed_instead_of_the_form(client):
    article = factories.make_article(comment_mode=Article.CommentMode.CLOSED)
    factories.make_comment(article, text="Said before closing.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Comments are closed." in html
    assert "Said before closing." in html
    assert "Leave a Reply" not in html
    assert "comment-reply-link" not in html


def test_reply_link_sets_the_parent_and_heading_without_javascript(client, article):
    parent = factories.make_comment(article, author_name="Grace")

    response = client.get(article.get_absolute_url(), {"replytocom": parent.pk})

    html = response.content.decode()
    assert f'href="{article.get_absolute_url()}?replytocom={parent.pk}#respond"' in html
    heading = rf'Leave a Reply to <a href="[^"]*#comment-{parent.pk}"><bdi>Grace</bdi></a>'
    assert re.search(heading, html)
    assert f'name="parent" value="{parent.pk}"' in html
    assert "Cancel reply" in html


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_replytocom_of_an_unapproved_comment_is_ignored(client, article, status):
    hidden = factories.make_comment(article, status=status, author_name="Hidden Person")

    html = client.get(article.get_absolute_url(), {"replytocom": hidden.pk}).content.decode()

    assert '<span class="reply-title-text">Leave a Reply</span>' in html
    assert "Hidden Person" not in html


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "١٢", ""])
def test_replytocom_garbage_is_ignored(client, article, value):
    response = client.get(article.get_absolute_url(), {"replytocom": value})
    assert response.status_code == 200
    assert '<span class="reply-title-text">Leave a Reply</span>' in response.content.decode()


def test_replytocom_from_another_article_is_ignored(client, article):
    elsewhere = factories.make_comment(factories.make_article(), author_name="Elsewhere")

    html = client.get(article.get_absolute_url(), {"replytocom": elsewhere.pk}).content.decode()

    assert "Leave a Reply to" not in html
