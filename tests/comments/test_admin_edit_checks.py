"""An editor's edit in the admin passes the same checks as the reader's comment did."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.admin_pages import edit
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form again, not a redirect after saving"
    return response.context["adminform"].form.errors.get(field, [])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("author_name", "Ada\r\nBcc: victim@example.org", "line breaks"),
        ("author_name", "Ada\x07Reader", "control characters"),
        ("author_name", "\u202eredaeR adA", "reverse the text"),
        ("author_name", "\u200b\u200c", "a name people can read"),
        ("author_url", "ftp://example.org/", "http:// or https://"),
        ("author_url", "javascript:alert(1)", "http:// or https://"),
        ("author_url", "https://user:pass@evil.example/", "without a user name or password"),
    ],
    ids=["crlf-name", "bell-name", "bidi-name", "invisible-name", "ftp", "js", "credentials"],
)
def test_an_edit_the_public_form_would_refuse_is_refused_and_nothing_changes(
    editor_client, article, field, value, message
):
    comment = make_comment(article, author_name="Ada Reader", author_url="https://ada.example")

    response = edit(editor_client, comment, **{field: value})

    assert any(message in error for error in errors(response, field))
    assert Comment.objects.get(pk=comment.pk).author_name == "Ada Reader"
    assert Comment.objects.get(pk=comment.pk).author_url == "https://ada.example"


def test_a_fair_edit_is_saved(editor_client, article):
    comment = make_comment(article, author_name="Ada Reader")

    response = edit(
        editor_client, comment, author_name="Ada R.", author_url="ada.example.org", text="Fixed."
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.author_name, comment.author_url, comment.text) == (
        "Ada R.",
        "https://ada.example.org",
        "Fixed.",
    )


def test_the_editor_who_posted_a_comment_is_shown_and_cannot_be_changed(
    editor_client, editor, article
):
    comment = make_comment(article, user=editor)

    page = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    edit(editor_client, comment, user="", text="Edited.")

    assert "Posted by editor" in page.content.decode()
    assert Comment.objects.get(pk=comment.pk).user == editor
