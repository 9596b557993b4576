"""Readers can tell the newsroom's own people, and nobody else can pass for them."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

APPROVED = Comment.Status.APPROVED
STAFF_NAME_REFUSED = "is, or looks like, the name of someone at Newsroom"


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def make_editor(username: str, **fields):
    user = factories.make_user(username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def perry(db):
    return make_editor("pwhite", first_name="Perry", last_name="White")


def author_heading(html: str, comment: Comment) -> str:
    """The heading that names the comment's author, as the article page shows it."""
    match = re.search(
        rf'<li id="{comment.anchor}".*?<h3 class="comment-author">(.*?)</h3>', html, re.S
    )
    assert match, f"comment {comment.pk} is not on the page"
    return match[1]


def has_badge(html: str, comment: Comment) -> bool:
    return '<span class="comment-staff-badge">Staff</span>' in author_heading(html, comment)


def published(comment: Comment) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(status=APPROVED)
    comment.refresh_from_db()
    return comment


def test_an_editors_comment_carries_a_staff_badge_and_a_readers_does_not(client, article, perry):
    client.force_login(perry)
    client.post(post_url(article), factories.comment_data(article, author="Perry White"))
    Client().post(post_url(article), factories.comment_data(article, comment="A reader's."))
    by_editor = published(Comment.objects.get(author_name="Perry White"))
    by_reader = published(Comment.objects.get(text="A reader's."))

    html = Client().get(article.get_absolute_url()).content.decode()

    assert by_editor.user == perry
    assert has_badge(html, by_editor)  # in words, inside the name's heading
    assert by_reader.user is None
    assert not has_badge(html, by_reader)


def test_a_signed_in_user_who_may_not_moderate_gets_no_badge(client, article, staff_viewer):
    client.force_login(staff_viewer)
    client.post(post_url(article), factories.comment_data(article))

    assert Comment.objects.get().user is None


def test_the_badge_appears_as_soon_as_a_comment_is_known_to_be_an_editors(article, perry):
    # Each comment's HTML is written once and reused: the badge is part of what it shows.
    comment = factories.make_comment(article, author_name="Perry White")
    assert not has_badge(Client().get(article.get_absolute_url()).content.decode(), comment)

    Comment.objects.filter(pk=comment.pk).update(user=perry)

    assert has_badge(Client().get(article.get_absolute_url()).content.decode(), comment)


@pytest.mark.parametrize(
    "name",
    [
        "Perry White",
        "perry white",
        "P\u0435rry Whit\u0435",  # Cyrillic е
        "Pe\u200drry Wh\u200dite",  # zero-width joiners
        "Perry White \u2713",
        "Perry White \u2714\ufe0f",
        "Perry White (staff)",
        "Perry White, editor",
        "\U0001d40f\U0001d41e\U0001d42b\U0001d42b\U0001d432 White",  # mathematical bold
        "Newsroom",  # the site's own name
    ],
)
def test_a_reader_cannot_comment_under_an_editors_name_or_a_look_alike(
    client, article, perry, name
):
    response = client.post(post_url(article), factories.comment_data(article, author=name))

    assert response.status_code == 400
    assert STAFF_NAME_REFUSED in response.content.decode()
    assert response.context["comment_section"].form.has_error("author", "staff_name")
    assert not Comment.objects.exists()


def test_a_name_that_ends_in_the_badges_word_is_refused(client, article):
    response = client.post(post_url(article), factories.comment_data(article, author="Ann Staff"))

    assert response.status_code == 400
    assert "cannot end in “Staff”" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_editor_without_a_full_name_is_known_by_their_user_name(client, article):
    make_editor("Lois")

    response = client.post(post_url(article), factories.comment_data(article, author="L\u043eis"))

    assert response.status_code == 400
    assert STAFF_NAME_REFUSED in response.content.decode()


def test_the_user_name_behind_an_editors_full_name_is_no_one_elses_to_lose(client, article, perry):
    # Readers never see it: guarding it would refuse every reader who happens to share it.
    response = client.post(post_url(article), factories.comment_data(article, author="pwhite"))

    assert response.status_code == 302


@pytest.mark.parametrize("name", ["Perry Whitehead", "Harry White", "Perrine"])
def test_a_name_merely_near_an_editors_is_taken(client, article, perry, name):
    response = client.post(post_url(article), factories.comment_data(article, author=name))

    assert response.status_code == 302
    assert Comment.objects.get().author_name == name


def test_an_editor_may_comment_under_their_own_name_and_the_sites(client, article, perry):
    client.force_login(perry)

    own = client.post(post_url(article), factories.comment_data(article, author="Perry White"))
    site = client.post(
        post_url(article), factories.comment_data(article, author="Newsroom", comment="Note.")
    )

    assert (own.status_code, site.status_code) == (302, 302)
    assert Comment.objects.filter(user=perry).count() == 2


def test_an_editor_cannot_comment_under_another_editors_name(client, article, perry):
    client.force_login(make_editor("lois", first_name="Lois", last_name="Lane"))

    response = client.post(post_url(article), factories.comment_data(article, author="Perry White"))

    assert response.status_code == 400
    assert STAFF_NAME_REFUSED in response.content.decode()


def test_names_follow_the_staff_as_it_changes(client, article, perry):
    perry.first_name = "Clark"
    perry.last_name = "Kent"
    perry.save()
    renamed = client.post(post_url(article), factories.comment_data(article, author="Clark Kent"))
    freed = client.post(post_url(article), factories.comment_data(article, author="Perry White"))
    perry.is_active = False
    perry.save()
    gone = client.post(
        post_url(article), factories.comment_data(article, author="Clark Kent", comment="Hi.")
    )

    assert renamed.status_code == 400
    assert freed.status_code == 302
    assert gone.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pass@evil.example/",
        "https://user@evil.example/",
        "http://news.example.org:secret@evil.example",
        "evil.example@news.example.org",  # typed without https://, which the form adds
    ],
)
def test_a_website_with_a_user_name_or_password_is_refused(client, article, url):
    response = client.post(post_url(article), factories.comment_data(article, url=url))

    assert response.status_code == 400
    assert "without a user name or password" in response.content.decode()
    assert not Comment.objects.exists()
