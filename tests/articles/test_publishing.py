"""When an article goes out: its publish time, scheduling, and publishing in bulk."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from articles.models import Article
from tests.admin_pages import filter_link, listed
from tests.articles.test_admin import row_cell
from tests.articles.test_roles import ADD, CHANGELIST, change_url, edit_data, form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED


def published_now(article: Article) -> bool:
    return abs(article.published_at - timezone.now()) < timedelta(minutes=1)


# The publish time


def test_publish_form_opens_with_no_publish_time(editor_client):
    form = editor_client.get(ADD).context["adminform"].form

    assert form["published_at"].value() is None


def test_a_draft_published_later_gets_the_time_it_was_published(editor_client):
    draft = make_article(status=DRAFT, published_at=None)
    # Written three days ago: the form was opened then, not now.
    Article.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=3))

    response = editor_client.post(change_url(draft), edit_data(draft, status=PUBLISHED))

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert published_now(draft)
    assert draft.is_public


def test_a_time_to_come_set_by_the_editor_schedules_the_article(editor_client):
    response = editor_client.post(
        ADD, form_data(status=PUBLISHED, published_at_0="2031-05-04", published_at_1="09:30:00")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.published_at == datetime(2031, 5, 4, 9, 30, tzinfo=UTC)
    assert article.is_scheduled
    assert article not in Article.objects.published()


def test_editing_a_published_article_keeps_its_publish_time(editor_client):
    first_published = timezone.now() - timedelta(days=10)
    article = make_article(published_at=first_published)
    data = edit_data(
        article,
        headline="Corrected headline",
        published_at_0=first_published.strftime("%Y-%m-%d"),
        published_at_1=first_published.strftime("%H:%M:%S"),
    )

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline == "Corrected headline"
    assert article.published_at == first_published.replace(microsecond=0)


# Scheduled in the list


@pytest.fixture
def each_state(db):
    return {
        "draft": make_article(status=DRAFT, published_at=None),
        "review": make_article(status=REVIEW, published_at=None),
        "scheduled": make_article(
            status=PUBLISHED, published_at=timezone.now() + timedelta(days=1)
        ),
        "published": make_article(status=PUBLISHED),
    }


def test_the_list_shows_draft_review_scheduled_and_published(editor_client, each_state):
    html = editor_client.get(CHANGELIST).text

    shown = {name: row_cell(html, "publication_state", a) for name, a in each_state.items()}

    assert shown == {
        "draft": "Draft",
        "review": "In review",
        "scheduled": "Scheduled",
        "published": "Published",
    }


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("Draft", "draft"),
        ("In review", "review"),
        ("Scheduled", "scheduled"),
        ("Published", "published"),
    ],
)
def test_the_status_filter_has_scheduled_on_its_own(editor_client, each_state, choice, expected):
    html = editor_client.get(CHANGELIST).text

    response = editor_client.get(filter_link(CHANGELIST, html, "status", choice))

    assert listed(response) == {each_state[expected]}


# Publishing and unpublishing in bulk


def bulk(client, action: str, articles) -> list[str]:
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [a.pk for a in articles]}
    )
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_publish_now_publishes_drafts_and_scheduled_articles_at_once(editor_client, each_state):
    chosen = [each_state["draft"], each_state["review"], each_state["scheduled"]]

    messages = bulk(editor_client, "publish_now", chosen)

    assert messages == ["3 articles published."]
    for article in chosen:
        article.refresh_from_db()
        assert article.is_public
        assert published_now(article)


def test_publish_now_keeps_the_first_publish_time_and_counts_only_what_changed(editor_client):
    first = timezone.now() - timedelta(days=5)
    taken_back = make_article(status=DRAFT, published_at=first)
    live = make_article()

    messages = bulk(editor_client, "publish_now", [taken_back, live])

    assert messages == ["1 article published."]
    taken_back.refresh_from_db()
    assert taken_back.is_public
    assert taken_back.published_at == first


def test_unpublish_takes_published_and_scheduled_articles_back_to_draft(editor_client, each_state):
    chosen = [each_state["published"], each_state["scheduled"], each_state["draft"]]

    messages = bulk(editor_client, "unpublish", chosen)

    assert messages == ["2 articles taken back to draft."]
    for article in chosen:
        article.refresh_from_db()
        assert article.status == DRAFT
    assert not Article.objects.published().exists()
