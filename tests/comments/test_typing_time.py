"""The minimum time between showing the form and posting it is a minimum: it is enough."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from comments import forms
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The form's clock (when it was shown, when it came back), set by the test."""
    clock = SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def test_a_comment_posted_exactly_the_minimum_time_after_the_form_was_shown_is_taken(
    client, article, settings, clock
):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 3
    data = factories.comment_data(article)  # the form as shown now

    clock.now += 3  # sooner is refused (test_antispam.py)
    response = client.post(reverse("comments:post", kwargs={"article_id": article.pk}), data)

    assert response.status_code == 302
