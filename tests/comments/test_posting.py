"""A reader posts through the form: it waits for an editor, seen only by its poster meanwhile."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests import factories
from tests.factories import comment_data

pytestmark = pytest.mark.django_db


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def test_valid_comment_is_stored_pending_with_ip_and_user_agent_then_redirects_to_it(
    client, article
):
    response = client.post(
        post_url(article),
        comment_data(article, url="https://ada.example.org"),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Test)",
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert (comment.author_name, comment.author_email, comment.author_url) == (
        "Ada Reader",
        "ada@example.org",
        "https://ada.example.org",
    )
    assert comment.text == "I have a thought about this."
    assert comment.ip_address == "203.0.113.7"
    assert comment.user_agent == "Mozilla/5.0 (Test)"
    assert comment.parent is None


def test_forwarded_for_header_from_the_client_is_not_trusted_for_the_ip(client, article):
    client.post(
        post_url(article),
        comment_data(article),
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert Comment.objects.get().ip_address == "203.0.113.7"


def test_over_long_user_agent_is_cut_not_refused(client, article):
    client.post(post_url(article), comment_data(article), HTTP_USER_AGENT="x" * 1000)
    assert Comment.objects.get().user_agent == "x" * 255


def test_poster_sees_their_pending_comment_with_the_awaiting_note(client, article):
    response = client.post(
        post_url(article), comment_data(article, comment="My first thought."), follow=True
    )

    html = response.content.decode()
    assert "My first thought." in html
    assert "Your comment is awaiting moderation." in html
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_pending_comment_is_hidden_from_other_readers(client, article):
    client.post(post_url(article), comment_data(article, comment="Only mine for now."))

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Only mine for now." not in html
    assert "awaiting moderation" not in html


def test_article_page_without_personal_data_is_not_marked_private(client, article):
    response = client.get(article.get_absolute_url())
    assert "private" not in response.get("Cache-Control", "")


def test_approved_comment_is_seen_by_every_reader(client, article):
    client.post(post_url(article), comment_data(article, comment="Worth reading."))
    Comment.objects.update(status=Comment.Status.APPROVED)

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Worth reading." in html
    assert "awaiting moderation" not in html


def test_posting_needs_post(client, article):
    response = client.get(post_url(article))
    assert response.status_code == 405


def test_a_post_from_another_sites_page_is_refused_and_the_text_comes_back(article):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        post_url(article),
        comment_data(article, comment="Words typed on evil.example"),
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "it was sent from a page on another site" in page
    assert "Words typed on evil.example</textarea>" in page
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()


def test_a_same_origin_post_without_any_cookie_or_token_is_taken(article):
    """The page a cache kept for everyone carries no token: the browser's word is enough."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(article.get_absolute_url())
    assert not page.cookies

    response = browser.post(
        post_url(article),
        comment_data(article),
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_an_older_browser_posting_from_this_sites_page_is_taken(article):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        post_url(article), comment_data(article), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302


def test_a_trusted_origin_may_post(article, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example.org"]
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        post_url(article),
        comment_data(article),
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://news.example.org",
    )
    assert response.status_code == 302


def test_the_admin_keeps_djangos_csrf_tokens(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = browser.post(
        reverse("admin:articles_section_add"),
        {"name": "Forged", "slug": "forged"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403


INVALID = {
    "missing comment": ({"comment": ""}, "comment", "Please type your comment."),
    "blank comment": ({"comment": "   \n "}, "comment", "Please type your comment."),
    "missing name": ({"author": ""}, "author", "Please enter your name."),
    "missing email": ({"email": ""}, "email", "Please enter your email address."),
    "bad email": ({"email": "ada@"}, "email", "Please enter a valid email address"),
    "comment too long": ({"comment": "x" * 10_001}, "comment", "at most 10000 characters"),
    "name too long": ({"author": "x" * 246}, "author", "at most 245 characters"),
    "email too long": ({"email": "a" * 250 + "@example.org"}, "email", "at most 254"),
    "website too long": ({"url": "https://e.org/" + "x" * 200}, "url", "at most 200"),
    "website ftp": ({"url": "ftp://example.org/"}, "url", "starts with http:// or https://"),
    "website javascript": ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
    "website data": ({"url": "data:text/html,hi"}, "url", "http:// or https://"),
    "name with line break": ({"author": "Ada\r\nBcc: x@y"}, "author", "line breaks"),
}


@pytest.mark.parametrize(("change", "field", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_input_shows_the_page_again_with_400_text_kept_error_beside_field(
    client, article, change, field, message
):
    data = comment_data(article, comment="Keep this text, please.", url="https://ada.example")
    data.update(change)

    response = client.post(post_url(article), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "<h1>" in html and article.headline in html  # the article page again
    form = response.context["comment_section"].form
    assert message in " ".join(form.errors[field])
    # The message sits in the field's own block, right after the field.
    block = html[html.index(f'id="div_id_{field}"') :]
    assert block.index(message.replace("'", "&#x27;")) < block.index("</div>\n")
    for name, value in data.items():
        if name not in {field, "timestamp"} and value:
            assert value in html, f"{name} was not kept"
    assert "no-store" in response["Cache-Control"]


def test_comment_text_with_html_is_kept_as_text_on_the_error_page(client, article):
    response = client.post(
        post_url(article), comment_data(article, comment="<script>alert(1)</script>", email="")
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_website_without_scheme_is_taken_as_https(client, article):
    client.post(post_url(article), comment_data(article, url="ada.example.org"))
    assert Comment.objects.get().author_url == "https://ada.example.org"


def test_comment_on_closed_article_is_forbidden_and_stores_nothing(client):
    article = factories.make_article(comment_mode=Article.CommentMode.CLOSED)

    response = client.post(post_url(article), comment_data(article))

    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda: factories.make_article(status=Article.Status.DRAFT),
        lambda: factories.make_article(published_at=factories.timezone.now().replace(year=2999)),
    ],
    ids=["draft", "scheduled"],
)
def test_comment_on_unpublished_article_is_not_found(client, make):
    article = make()
    assert client.post(post_url(article), comment_data(article)).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", [0, 999_999, 10**20])
def test_comment_on_unknown_article_is_not_found(client, db, article_id):
    response = client.post(f"/comments/post/{article_id}/", comment_data(article_id))
    assert response.status_code == 404


def test_reply_to_an_approved_comment_is_stored_under_it(client, article):
    parent = factories.make_comment(article)

    client.post(post_url(article), comment_data(article, parent=parent.pk))

    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent
    assert reply.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "parent",
    [
        lambda article: factories.make_comment(factories.make_article()).pk,
        lambda article: factories.make_comment(article, status=Comment.Status.PENDING).pk,
        lambda article: factories.make_comment(article, status=Comment.Status.SPAM).pk,
        lambda article: factories.make_comment(article, status=Comment.Status.TRASH).pk,
        lambda article: 999_999,
    ],
    ids=["other article", "pending", "spam", "trash", "missing"],
)
def test_reply_to_a_comment_not_shown_on_this_article_is_refused(client, article, parent):
    parent_id = parent(article)
    before = Comment.objects.count()

    response = client.post(post_url(article), comment_data(article, parent=parent_id))

    assert response.status_code == 400
    assert "The comment you are replying to is not on this article" in response.content.decode()
    assert Comment.objects.count() == before


@pytest.mark.parametrize("parent", ["-1", "0", "abc", str(10**20), "1.5"])
def test_reply_with_a_malformed_parent_is_refused(client, article, parent):
    response = client.post(post_url(article), comment_data(article, parent=parent))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_consent_saves_name_email_and_website_for_next_time(client, article):
    client.post(
        post_url(article),
        comment_data(article, url="https://ada.example", save_details="on"),
    )

    html = client.get(factories.make_article().get_absolute_url()).content.decode()

    assert 'value="Ada Reader"' in html
    assert 'value="ada@example.org"' in html
    assert 'value="https://ada.example"' in html
    assert re.search(r'<input type="checkbox" name="save_details"[^>]* checked>', html)


def test_saved_details_stay_in_that_browser_only(client, article):
    client.post(post_url(article), comment_data(article, save_details="on"))

    html = Client().get(article.get_absolute_url()).content.decode()

    assert "Ada Reader" not in html
    assert "ada@example.org" not in html


def test_without_consent_nothing_is_remembered(client, article):
    client.post(post_url(article), comment_data(article))
    Comment.objects.update(status=Comment.Status.APPROVED)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'value="Ada Reader"' not in html
    assert 'value="ada@example.org"' not in html


def test_unticking_consent_forgets_what_was_saved_before(client, article):
    client.post(post_url(article), comment_data(article, save_details="on"))
    client.post(post_url(article), comment_data(article, comment="Second thought."))

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'value="ada@example.org"' not in html
    assert 'value="Ada Reader"' not in html


def test_consent_keeps_the_details_for_a_year(client, article):
    client.post(post_url(article), comment_data(article, save_details="on"))
    assert client.session.get_expiry_age() > 364 * 24 * 3600


def test_a_refused_comment_costs_a_bounded_number_of_queries(
    client, article, discussion, django_assert_max_num_queries
):
    for _ in range(30):
        factories.make_comment(article)
    # article and its tags, settings, session, comments, the staff's names that a reader's may
    # not imitate (comments/impersonation.py), and the navigation's sections: the settings are
    # read once for the whole request. And the footer's pages, which the cache forgets within
    # a minute (articles/pages/footer.py).
    with django_assert_max_num_queries(8):
        response = client.post(post_url(article), comment_data(article, comment=""))
    assert response.status_code == 400
