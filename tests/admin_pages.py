"""Reading the Django admin's pages the way an editor does: what is listed, where a filter goes."""

import re
from html import unescape

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_comment


def listed(response) -> set:
    """The objects on a changelist page."""
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def filter_link(changelist: str, html: str, title: str, choice: str) -> str:
    """The address of ``choice`` in the sidebar's "By <title>" filter, as an editor clicks it."""
    block = re.search(rf'data-filter-title="{re.escape(title)}".*?</details>', html, re.S)
    assert block, f"no {title} filter"
    link = re.search(rf'<a href="([^"]*)"[^>]*>\s*{re.escape(choice)}\s*</a>', block[0])
    assert link, f"no {choice} choice in the {title} filter"
    return changelist + unescape(link[1])


def history(comment: Comment) -> list[LogEntry]:
    """The comment's admin history: who did what, when."""
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
        )
    )


def edit(editor_client, comment: Comment, **changes):
    """Save the comment's admin change form with ``changes``, as an editor does."""
    data = {
        "status": comment.status,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "text": comment.text,
        **changes,
    }
    return editor_client.post(reverse("admin:comments_comment_change", args=[comment.pk]), data)


CHANGELIST = reverse("admin:comments_comment_changelist")


def run_action(client, action: str, *comments: Comment):
    """Tick ``comments`` in the changelist, choose ``action`` and press Go."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments], "index": 0},
        follow=True,
    )


def messages(response) -> list[str]:
    """The messages the admin shows the editor after an action."""
    return [str(message) for message in response.context["messages"]]


def statuses(*comments: Comment) -> list[str]:
    """Each comment's status as it is now in the database."""
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def said_again(comment: Comment) -> Comment:
    """The same person's same words in the same place, posted after ``comment``."""
    return make_comment(
        comment.article,
        author_name=comment.author_name,
        author_email=comment.author_email,
        text=comment.text,
        status=Comment.Status.PENDING,
    )
