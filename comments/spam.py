"""An outside spam check (Akismet), when one is configured (being written)."""

import enum

from comments.models import Comment


class Verdict(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    UNKNOWN = "unknown"  # the service could not be asked or did not answer
    NOT_CHECKED = "not checked"  # no service configured


def check(comment: Comment) -> Verdict:
    return Verdict.NOT_CHECKED
