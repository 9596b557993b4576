"""Reading the Django admin's pages the way an editor does: what is listed, where a filter goes."""

import re
from html import unescape

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from comments.models import Comment


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
