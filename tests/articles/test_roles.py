"""Contributors write and submit drafts; editors publish, schedule and unpublish."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Author, Image
from tests.admin_pages import listed
from tests.factories import (
    image_upload,
    make_article,
    make_author,
    make_image,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
DRAFT, REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(**fields) -> dict:
    """The article form as an author fills it in."""
    if "byline" not in fields:
        fields["byline"] = make_author("Jo Bloggs").pk
    if "section" not in fields:
        fields["section"] = make_section().pk
    return {
        "headline": "Council votes on the bridge",
        "slug": "council-votes-on-the-bridge",
        "standfirst": "",
        "dateline": "",
        "body": "The vote is at noon.",
        "status": DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "comment_mode": Article.CommentMode.SITE_DEFAULT,
        "comments_close_after_days": "",
        **fields,
    }


def edit_data(article: Article, **changes) -> dict:
    current = {
        "headline": article.headline,
        "slug": article.slug,
        "body": article.body,
        "byline": article.byline_id,
        "section": article.section_id,
        "status": article.status,
    }
    return form_data(**{**current, **changes})


@pytest.fixture
def contributor(db):
    user = make_user("contributor", is_staff=True)
    user.groups.add(Group.objects.get(name="Contributors"))
    return user


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


@pytest.fixture
def own_draft(contributor):
    return make_article(
        headline="My draft", status=DRAFT, published_at=None, created_by=contributor
    )


# What a contributor may do


def test_contributor_saves_a_draft_and_submits_it_for_review(contributor_client, contributor):
    response = contributor_client.post(ADD, form_data())

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == DRAFT
    assert article.created_by == contributor

    response = contributor_client.post(change_url(article), edit_data(article, status=REVIEW))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == REVIEW
    assert article.published_at is None
    assert article not in Article.objects.published()


def test_contributor_form_offers_draft_and_review_but_not_published(contributor_client):
    form = contributor_client.get(ADD).context["adminform"].form

    assert [value for value, _ in form.fields["status"].choices] == [DRAFT, REVIEW]
    assert "published_at" not in form.fields


def test_contributor_cannot_publish_through_the_form(contributor_client):
    response = contributor_client.post(ADD, form_data(status=PUBLISHED))

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_contributor_cannot_schedule_by_posting_a_publish_time(contributor_client, own_draft):
    data = edit_data(own_draft, published_at_0="2031-01-01", published_at_1="09:00:00")

    response = contributor_client.post(change_url(own_draft), data)

    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.published_at is None
    assert own_draft.status == DRAFT


def test_contributor_cannot_change_their_article_once_published(contributor_client, contributor):
    published = make_article(headline="Out there", created_by=contributor)

    page = contributor_client.get(change_url(published))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]  # shown read-only

    response = contributor_client.post(
        change_url(published), edit_data(published, headline="Changed", status=DRAFT)
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.headline == "Out there"
    assert published.status == PUBLISHED


def test_contributor_sees_only_their_own_articles(contributor_client, own_draft):
    someone_elses = make_article(headline="Not mine", status=DRAFT)

    assert listed(contributor_client.get(CHANGELIST)) == {own_draft}
    response = contributor_client.get(change_url(someone_elses))
    assert response.status_code == 302  # "doesn't exist", as for any missing article
    assert contributor_client.get(someone_elses.get_absolute_url()).status_code == 404


def test_contributor_cannot_publish_in_bulk(contributor_client, own_draft):
    page = contributor_client.get(CHANGELIST)
    assert page.context["action_form"] is None  # no action at all: neither publish nor delete

    contributor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [own_draft.pk]}
    )

    own_draft.refresh_from_db()
    assert own_draft.status == DRAFT


def test_contributor_previews_their_own_draft_privately(contributor_client, own_draft):
    response = contributor_client.get(own_draft.get_absolute_url())

    assert response.status_code == 200
    assert "Preview: readers cannot see this article yet (draft)." in response.text
    assert "no-store" in response["Cache-Control"]


def test_contributor_articles_carry_their_author_profile(contributor_client, contributor):
    mine = make_author("Jo Bloggs", user=contributor)

    form = contributor_client.get(ADD).context["adminform"].form

    assert form.initial["byline"] == mine.pk


def test_contributor_finds_a_byline_by_name_in_the_form(contributor_client):
    make_author("Jo Bloggs")

    response = contributor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "byline", "term": "jo"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Jo Bloggs"]


def test_contributor_may_not_delete_or_manage_authors(contributor_client, own_draft):
    assert (
        contributor_client.get(
            reverse("admin:articles_article_delete", args=[own_draft.pk])
        ).status_code
        == 403
    )
    assert contributor_client.get(reverse("admin:articles_author_add")).status_code == 403
    assert contributor_client.get(reverse("admin:comments_comment_changelist")).status_code == 403


def test_submitting_for_review_emails_the_editors_once(
    contributor_client, own_draft, editor, mailoutbox, django_capture_on_commit_callbacks
):
    editor.email = "desk@example.org"
    editor.save()
    make_user("reader", email="reader@example.org")  # may not publish: not told

    with django_capture_on_commit_callbacks(execute=True):
        contributor_client.post(change_url(own_draft), edit_data(own_draft, status=REVIEW))
    with django_capture_on_commit_callbacks(execute=True):  # saved again, still in review
        contributor_client.post(
            change_url(own_draft), edit_data(own_draft, status=REVIEW, body="More.")
        )

    [message] = mailoutbox
    assert message.to == ["desk@example.org"]
    assert message.subject == '[Newsroom] Ready for review: "My draft"'
    assert '"My draft" by Staff reporter is ready for review.' in message.body
    assert "Submitted by: contributor" in message.body
    assert f"http://127.0.0.1:8000{change_url(own_draft)}" in message.body


# What an editor may do


def test_editor_sees_articles_in_review_under_their_own_filter(editor_client, contributor):
    waiting = make_article(status=REVIEW, published_at=None, created_by=contributor)
    make_article(status=DRAFT, published_at=None)

    assert listed(editor_client.get(CHANGELIST, {"state": "review"})) == {waiting}


def test_editor_publishes_a_contributors_article(editor_client, contributor):
    waiting = make_article(status=REVIEW, published_at=None, created_by=contributor)

    response = editor_client.post(change_url(waiting), edit_data(waiting, status=PUBLISHED))

    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.is_public
    assert waiting.created_by == contributor


# Making contributors


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("NEWSROOM_EDITOR_PASSWORD", "ink-stained quokka 1848")


def test_createcontributor_makes_a_staff_contributor_with_their_byline(password):
    out = StringIO()

    call_command("createcontributor", "jo", "--byline", "Jo Bloggs", "--no-input", stdout=out)

    user = get_user_model().objects.get(username="jo")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Contributors"]
    assert not user.has_perm("articles.publish_article")
    assert Author.objects.get(user=user).get_absolute_url() == "/authors/jo-bloggs/"
    assert "Contributor 'jo' created" in out.getvalue()


def test_createeditor_links_an_existing_byline_to_the_new_account(password):
    existing = make_author("Sam Writer")

    call_command("createeditor", "sam", "--byline", "Sam Writer", "--no-input", verbosity=0)

    existing.refresh_from_db()
    assert existing.user.username == "sam"
    assert existing.user.has_perm("articles.publish_article")


def test_a_byline_someone_else_writes_as_is_refused_and_no_account_is_made(password):
    make_author("Sam Writer", user=make_user("sam"))

    with pytest.raises(CommandError, match="already writes as"):
        call_command("createcontributor", "imposter", "--byline", "Sam Writer", "--no-input")

    assert not get_user_model().objects.filter(username="imposter").exists()


# Pictures


def test_a_contributor_uploads_a_picture_and_features_it_on_their_draft(
    contributor_client, own_draft
):
    uploaded = contributor_client.post(
        reverse("admin:articles_image_add"),
        {"file": image_upload(), "alt_text": "The bridge at dawn", "credit": "Jo Bloggs"},
    )
    image = Image.objects.get(alt_text="The bridge at dawn")
    found = contributor_client.get(
        reverse("admin:autocomplete"),
        {"term": "bridge", "app_label": "articles", "model_name": "article",
         "field_name": "featured_image"},
    )  # fmt: skip
    saved = contributor_client.post(
        change_url(own_draft), edit_data(own_draft, featured_image=image.pk)
    )

    assert uploaded.status_code == 302
    assert [result["id"] for result in found.json()["results"]] == [str(image.pk)]
    assert saved.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.featured_image == image


def test_a_contributor_cannot_change_or_delete_library_pictures(contributor_client):
    image = make_image()

    changed = contributor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {"alt_text": "Something else", "credit": image.credit},
    )
    deleted = contributor_client.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
    )

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert Image.objects.get(pk=image.pk).alt_text == image.alt_text


def test_a_contributor_cannot_feature_an_article_on_the_home_page(contributor_client, own_draft):
    page = contributor_client.get(change_url(own_draft))
    assert page.status_code == 200
    assert 'name="featured"' not in page.text
    response = contributor_client.post(change_url(own_draft), edit_data(own_draft, featured="on"))
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert not own_draft.featured
