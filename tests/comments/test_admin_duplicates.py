"""An editor's step that would repeat a comment gets a clear message and changes nothing."""

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.admin_pages import edit, messages, said_again
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
TRASH = Comment.Status.TRASH


def test_restoring_a_comment_whose_words_were_posted_again_keeps_it_in_the_trash(
    editor_client, article
):
    trashed = make_comment(article, status=TRASH, previous_status=APPROVED)
    again = said_again(trashed)
    also_trashed = make_comment(article, status=TRASH, previous_status=APPROVED)

    response = editor_client.post(
        CHANGELIST,
        {"action": "restore", "_selected_action": [trashed.pk, also_trashed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    trashed.refresh_from_db()
    also_trashed.refresh_from_db()
    assert (trashed.status, also_trashed.status) == (TRASH, APPROVED)
    assert Comment.objects.get(pk=again.pk).status == PENDING
    assert "1 comment restored from the trash." in messages(response)
    assert any("1 comment stayed in the trash" in m for m in messages(response))


def test_approving_from_the_email_a_trashed_repeat_says_why_nothing_changed(editor_client, article):
    trashed = make_comment(article, status=TRASH, previous_status=PENDING)
    said_again(trashed)
    url = reverse("admin:comments_comment_moderate", args=[trashed.pk, "approve"])

    response = editor_client.post(url, follow=True)

    assert response.status_code == 200
    assert Comment.objects.get(pk=trashed.pk).status == TRASH
    assert messages(response) == [str(services.DUPLICATE_MESSAGE)]


def test_an_edit_that_would_repeat_another_comment_is_refused_with_a_message(
    editor_client, article
):
    first = make_comment(article, author_name="Ada", author_email="ada@example.org")
    second = make_comment(
        article, author_name="Ada", author_email="ada@example.org", text="Something else."
    )

    response = edit(editor_client, second, text=first.text)

    assert response.status_code == 200  # the form again
    assert str(services.DUPLICATE_MESSAGE) in response.content.decode()
    assert Comment.objects.get(pk=second.pk).text == "Something else."


def test_taking_a_comment_out_of_the_trash_in_its_form_is_refused_when_it_repeats(
    editor_client, article
):
    trashed = make_comment(article, status=TRASH, previous_status=APPROVED)
    said_again(trashed)

    response = edit(editor_client, trashed, status=APPROVED)

    assert response.status_code == 200
    assert str(services.DUPLICATE_MESSAGE) in response.content.decode()
    assert Comment.objects.get(pk=trashed.pk).status == TRASH


def test_an_edit_that_repeats_but_goes_to_the_trash_is_saved(editor_client, article):
    first = make_comment(article, author_name="Ada", author_email="ada@example.org")
    second = make_comment(
        article, author_name="Ada", author_email="ada@example.org", text="Something else."
    )

    response = edit(editor_client, second, text=first.text, status=TRASH)

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.text, second.status, second.previous_status) == (first.text, TRASH, APPROVED)


def test_the_service_refuses_a_repeating_edit_even_without_the_form(article):
    first = make_comment(article, author_name="Ada", author_email="ada@example.org")
    second = make_comment(
        article, author_name="Ada", author_email="ada@example.org", text="Something else."
    )
    second.text = first.text
    with pytest.raises(services.DuplicateComment):
        services.edit_comment(second, status=APPROVED)
    assert Comment.objects.get(pk=second.pk).text == "Something else."
