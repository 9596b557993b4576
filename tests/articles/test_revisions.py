"""Every save of an article is kept: editors compare versions and restore one in the admin."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article
from newsroom.http_cache import SITE
from tests.factories import make_article, make_section, make_user

pytestmark = pytest.mark.django_db


def form_data(article: Article, **changes) -> dict:
    """The article's admin change form as an editor submits it, with ``changes``."""
    published_at = timezone.localtime(article.published_at)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "byline": article.byline_id,
        "section": article.section_id,
        "dateline": article.dateline,
        "body": article.body,
        "status": article.status,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "comment_mode": article.comment_mode,
        **changes,
    }
    return {name: value for name, value in data.items() if value != ""}


def edit(client, article: Article, **changes) -> None:
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form_data(article, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()


def versions(article: Article) -> list[Version]:
    """Its kept versions, oldest first."""
    return list(
        Version.objects.get_for_object(article).select_related("revision__user").order_by("pk")
    )


def version_url(article: Article, version: Version) -> str:
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def history_rows(html: str) -> list[str]:
    """The history page's rows, as text."""
    body = re.search(r'<table id="change-history".*?<tbody>(.*?)</tbody>', html, re.S)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


@pytest.fixture
def story(db):
    return make_article(
        headline="Minister resigns",
        body="The minister resigned on Monday.\n\nShe had been in office for two years.",
    )


def test_each_save_in_the_admin_is_a_version_listed_on_the_history_page(editor_client, story):
    edit(editor_client, story, body="The minister resigned on Tuesday.")
    edit(editor_client, story, headline="Minister quits")

    kept = versions(story)
    assert len(kept) == 2
    assert {version.revision.user.username for version in kept} == {"editor"}
    html = editor_client.get(reverse("admin:articles_article_history", args=[story.pk])).text
    rows = history_rows(html)
    assert len(rows) == 2
    # Newest first, each with who saved it and what changed.
    assert "editor" in rows[0] and "Headline" in rows[0]
    assert "editor" in rows[1] and "Body" in rows[1]
    for version in kept:
        assert f'href="{version_url(story, version)}"' in html


def test_a_versions_page_shows_the_words_it_changed(editor_client, story):
    edit(editor_client, story, body="Placeholder.")
    edit(
        editor_client,
        story,
        body="The minister resigned on Tuesday.\n\nShe had been in office for two years.",
    )
    older, newer = versions(story)

    html = editor_client.get(version_url(story, newer)).text

    # A paragraph rewritten from scratch: the old one out, the new ones in.
    assert "<del>Placeholder.</del>" in html
    assert "<ins>The minister resigned on Tuesday.</ins>" in html
    assert "<ins>She had been in office for two years.</ins>" in html
    # The first version kept: all of it is new.
    html = editor_client.get(version_url(story, older)).text
    assert "The first version kept" in html
    assert "<ins>Placeholder.</ins>" in html
    assert "<ins>Minister resigns</ins>" in html


def test_a_changed_word_is_struck_out_and_the_new_one_marked(editor_client, story):
    edit(editor_client, story, body=story.body)  # the version before the change
    edit(
        editor_client,
        story,
        body="The minister resigned on Tuesday.\n\nShe had been in office for two years.",
    )

    html = editor_client.get(version_url(story, versions(story)[-1])).text

    assert re.search(r"The minister resigned on <del>Monday</del><ins>Tuesday</ins>\.", html)
    assert "She had been in office for two years." in html
    assert "<del>She" not in html and "<ins>She" not in html


def test_html_in_a_version_is_shown_as_text(editor_client, story):
    edit(editor_client, story, body=story.body)
    edit(editor_client, story, body='<script>alert("x")</script> resigned.')

    html = editor_client.get(version_url(story, versions(story)[-1])).text

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_long_unchanged_text_is_folded_around_the_change(editor_client, story):
    paragraphs = [f"Paragraph number {n}." for n in range(1, 11)]
    edit(editor_client, story, body="\n\n".join(paragraphs))
    paragraphs[5] = "Paragraph number six, corrected."
    edit(editor_client, story, body="\n\n".join(paragraphs))

    html = editor_client.get(version_url(story, versions(story)[-1])).text

    # One unchanged paragraph each side of the change; the rest folded.
    assert "4 unchanged paragraphs" in html
    assert "3 unchanged paragraphs" in html
    assert "Paragraph number 5." in html and "Paragraph number 7." in html
    assert "Paragraph number 1." not in html and "Paragraph number 10." not in html
    assert re.search(r"Paragraph number <del>6</del><ins>six, corrected</ins>\.", html)


def test_restoring_brings_the_old_body_back_for_readers_and_purges_the_page(
    editor_client, client, story, purged_keys
):
    edit(editor_client, story, body=story.body)
    edit(editor_client, story, body="A wrong body, saved by mistake.")
    assert "A wrong body" in client.get(story.get_absolute_url()).text
    good = versions(story)[0]

    page = editor_client.get(version_url(story, good)).text
    assert "Restore this version" in page
    with purged_keys.committing():
        response = editor_client.post(version_url(story, good))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[story.pk])
    assert story.cache_key in purged_keys
    reader_page = client.get(story.get_absolute_url()).text
    assert "The minister resigned on Monday." in reader_page
    assert "A wrong body" not in reader_page
    # The restore is itself kept: the mistake can be restored in turn.
    kept = versions(story)
    assert len(kept) == 3
    assert kept[-1].revision.comment.startswith("Restored the version of")
    assert kept[-1].revision.user.username == "editor"
    assert kept[-1].field_dict["body"] == good.field_dict["body"]


def test_restoring_a_version_in_another_section_moves_it_in_the_lists(
    editor_client, story, purged_keys
):
    edit(editor_client, story, body=story.body)
    edit(editor_client, story, section=make_section(name="Politics").pk)
    first = versions(story)[0]

    with purged_keys.committing():
        editor_client.post(version_url(story, first))

    story.refresh_from_db()
    assert story.section.name != "Politics"
    assert {story.cache_key, ARTICLE_LISTS, ARTICLE_INDEX} <= purged_keys


def test_a_user_who_may_not_change_articles_cannot_restore(client, story):
    services.save_article(story, changed_fields=[], created=False)
    story.body = "Changed later."
    services.save_article(story, changed_fields=["body"], created=False)
    viewer = make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    first = versions(story)[0]

    page = client.get(version_url(story, first))
    refused = client.post(version_url(story, first))

    assert page.status_code == 200
    assert '<input type="submit"' not in page.text
    assert "permission to change articles" in page.text
    assert refused.status_code == 403
    story.refresh_from_db()
    assert story.body == "Changed later."
    assert len(versions(story)) == 2


def test_a_version_whose_address_another_article_now_has_is_not_restored(editor_client, story):
    edit(editor_client, story, body=story.body)
    old_slug = story.slug
    edit(editor_client, story, slug="minister-resigns-monday")
    make_article(slug=old_slug)
    first = versions(story)[0]

    response = editor_client.post(version_url(story, first), follow=True)

    story.refresh_from_db()
    assert story.slug == "minister-resigns-monday"
    assert "This version was not restored" in response.text
    assert "Article with this Slug already exists." in response.text
    assert len(versions(story)) == 2


def test_the_service_keeps_a_version_with_its_user_and_comment(story, editor):
    story.body = "Updated."
    services.save_article(
        story, changed_fields=["body"], created=False, user=editor, comment="Fixed a typo."
    )
    services.save_article(story, changed_fields=["headline", "body"], created=False)

    first, second = versions(story)
    assert (first.revision.user, first.revision.comment) == (editor, "Fixed a typo.")
    assert first.field_dict["body"] == "Updated."
    assert second.revision.user is None
    assert second.revision.comment == "Changed headline, body."


def test_a_deleted_article_comes_back_from_its_last_version(editor, client, story, purged_keys):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    services.save_article(story, changed_fields=[], created=False)
    pk = story.pk
    client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    recover_list = client.get(reverse("admin:articles_article_recoverlist")).text
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert f'href="{recover_url}"' in recover_list

    assert "Restore this version" in client.get(recover_url).text
    with purged_keys.committing():
        client.post(recover_url)

    article = Article.objects.get(pk=pk)
    assert article.body == story.body
    assert ARTICLE_LISTS in purged_keys
    assert client.get(article.get_absolute_url()).status_code == 200


def test_articles_written_before_versions_were_kept_get_a_first_version(story):
    migration = __import__(
        "articles.migrations.0012_first_kept_versions", fromlist=["keep_first_versions"]
    )
    schema_editor = SimpleNamespace(connection=connection)
    assert versions(story) == []

    migration.keep_first_versions(apps, schema_editor)
    migration.keep_first_versions(apps, schema_editor)

    (first,) = versions(story)
    assert first.field_dict["body"] == story.body
    assert first.object_repr == "Minister resigns"
    assert len(Version.objects.get_for_object(story.section)) == 1


def test_a_contributor_restoring_their_draft_never_publishes_it(client, editor_client):
    contributor = make_user("contributor", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributors"))
    draft = make_article(body="First words.", status=Article.Status.PUBLISHED)
    Article.objects.filter(pk=draft.pk).update(created_by=contributor)
    edit(editor_client, draft, body="First words.")  # kept while it was published
    published = versions(draft)[-1]
    edit(editor_client, draft, body="Taken back.", status=Article.Status.DRAFT)
    client.force_login(contributor)

    response = client.post(version_url(draft, published))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "First words."
    assert draft.status == Article.Status.DRAFT
    assert client.logout() is None and Client().get(draft.get_absolute_url()).status_code == 404


def test_the_version_the_article_is_in_now_offers_nothing_to_restore(editor_client, story):
    edit(editor_client, story, body=story.body)
    edit(editor_client, story, body="Second thoughts.")

    html = editor_client.get(version_url(story, versions(story)[-1])).text

    assert "there is nothing to restore" in html
    assert 'value="Restore this version"' not in html


def test_a_section_renamed_by_mistake_is_restored_from_its_history(
    editor_client, client, purged_keys
):
    section = make_section(name="World", slug="world")
    article = make_article(section=section)
    change = reverse("admin:articles_section_change", args=[section.pk])
    for name in ("World news", "Wrold"):
        response = editor_client.post(change, {"name": name, "slug": "world"})
        assert response.status_code == 302
    first = Version.objects.get_for_object(section).order_by("pk").first()
    url = reverse("admin:articles_section_revision", args=[section.pk, first.pk])

    assert 'value="World news"' in editor_client.get(url).text  # django-reversion's page
    with purged_keys.committing():
        response = editor_client.post(url, {"name": "World news", "slug": "world"})

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.name == "World news"
    assert SITE in purged_keys  # every page's navigation names the section
    assert "World news" in client.get(article.get_absolute_url()).text
    assert Version.objects.get_for_object(section).count() == 3


def test_a_restore_posted_from_another_site_is_refused(editor, story):
    services.save_article(story, changed_fields=[], created=False)
    story.body = "Changed later."
    services.save_article(story, changed_fields=["body"], created=False)
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(editor)

    response = forged.post(version_url(story, versions(story)[0]))

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.body == "Changed later."
