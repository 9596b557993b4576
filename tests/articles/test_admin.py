"""The articles admin: where editors write, schedule and preview stories."""

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.admin_pages import filter_link, listed
from tests.factories import make_article, make_author, make_comment, make_section, make_user

CHANGELIST = reverse("admin:articles_article_changelist")


def row_cell(html: str, field: str, article: Article) -> str:
    """The contents of the ``field-<field>`` cell in ``article``'s changelist row."""
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    rows = [
        row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f'href="{change_url}"' in row
    ]
    assert len(rows) == 1, "the article is not listed once"
    match = re.search(rf'class="field-{field}[^"]*">(.*?)</t[dh]>', rows[0], re.S)
    assert match, f"no {field} column"
    return match.group(1)


# The changelist


def test_changelist_shows_status_publish_time_and_section(editor_client):
    section = make_section(name="World")
    article = make_article(
        headline="Ceasefire talks",
        section=section,
        status=Article.Status.DRAFT,
        published_at=datetime(2031, 5, 4, 9, 30, tzinfo=UTC),
    )

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.text
    assert article.headline in row_cell(html, "headline", article)
    assert row_cell(html, "publication_state", article) == "Draft"
    assert "4 May 2031" in row_cell(html, "published_at", article)
    assert row_cell(html, "section", article) == "World"


def test_changelist_counts_approved_and_pending_comments_but_not_spam(editor_client, article):
    make_comment(article, status=Comment.Status.APPROVED)
    make_comment(article, status=Comment.Status.APPROVED)
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.SPAM)

    html = editor_client.get(CHANGELIST).text

    assert re.fullmatch(r"<a [^>]*>2</a>", row_cell(html, "approved_comments", article))
    assert re.fullmatch(r"<a [^>]*>1</a>", row_cell(html, "pending_comments", article))


def test_comment_counts_link_to_that_articles_comments_with_that_status(editor_client, article):
    approved = make_comment(article, status=Comment.Status.APPROVED)
    pending = make_comment(article, status=Comment.Status.PENDING)
    make_comment(make_article(), status=Comment.Status.APPROVED)  # another article's

    html = editor_client.get(CHANGELIST).text
    links = {
        status: unescape(
            re.search(r'href="([^"]+)"', row_cell(html, f"{status}_comments", article))[1]
        )
        for status in ("approved", "pending")
    }

    for status, expected in (("approved", approved), ("pending", pending)):
        url = links[status]
        assert url.startswith(reverse("admin:comments_comment_changelist") + "?")
        response = editor_client.get(url)
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [expected]


def test_comment_counts_are_zero_for_an_article_without_comments(editor_client, article):
    html = editor_client.get(CHANGELIST).text

    assert re.fullmatch(r"<a [^>]*>0</a>", row_cell(html, "approved_comments", article))
    assert re.fullmatch(r"<a [^>]*>0</a>", row_cell(html, "pending_comments", article))


@pytest.mark.parametrize(
    ("title", "choice", "expected"),
    [
        ("status", "Draft", {"draft"}),
        ("status", "Published", {"published", "closed"}),
        ("section", "World", {"draft"}),
        ("section", "Sport", {"published", "closed"}),
        ("comments", "Closed: no new comments", {"closed"}),
        ("comments", "Site default (the discussion settings page)", {"draft", "published"}),
    ],
)
def test_changelist_filters_by_status_section_and_comment_setting(
    editor_client, title, choice, expected
):
    world, sport = make_section(name="World"), make_section(name="Sport")
    closed = Article.CommentMode.CLOSED
    articles = {
        "draft": make_article(status=Article.Status.DRAFT, section=world),
        "published": make_article(status=Article.Status.PUBLISHED, section=sport),
        "closed": make_article(status=Article.Status.PUBLISHED, section=sport, comment_mode=closed),
    }
    html = editor_client.get(CHANGELIST).text

    response = editor_client.get(filter_link(CHANGELIST, html, title, choice))

    assert listed(response) == {articles[name] for name in expected}


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"headline": "Parliament dissolved"}, "dissolved"),
        ({"body": "The harbour froze for the first time since 1963."}, "harbour froze"),
    ],
)
def test_search_finds_articles_by_headline_and_body(editor_client, fields, term):
    wanted = make_article(**fields)
    make_article(headline="Unrelated", body="Nothing to see.")

    response = editor_client.get(CHANGELIST, {"q": term})

    assert listed(response) == {wanted}


# The add and change forms


def test_add_form_prepopulates_slug_from_headline(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))

    assert response.status_code == 200
    match = re.search(r'data-prepopulated-fields="([^"]*)"', response.text)
    assert match, "the add page has no prepopulated-fields script"
    prepopulated = json.loads(unescape(match[1]))
    assert {
        "id": "#id_slug",
        "name": "slug",
        "dependency_ids": ["#id_headline"],
        "dependency_list": ["headline"],
        "maxLength": 200,
        "allowUnicode": True,  # a headline in Ukrainian keeps its letters
    } in prepopulated


def test_change_page_links_to_the_article_on_the_site(editor_client, article):
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    match = re.search(r'<a href="([^"]+)" class="viewsitelink">View on site</a>', response.text)
    assert match, "no View on site link"
    redirect = editor_client.get(match[1])
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(article.get_absolute_url())


def test_editor_can_save_a_new_draft(editor_client):
    section = make_section()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Budget day",
            "slug": "budget-day",
            "standfirst": "",
            "byline": make_author("Political staff").pk,
            "section": section.pk,
            "dateline": "London",
            "body": "The chancellor rose at noon.",
            "status": "draft",
            "published_at_0": "2030-01-01",
            "published_at_1": "12:00:00",
            "comment_mode": "default",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="budget-day")
    assert article.status == Article.Status.DRAFT
    assert article not in Article.objects.published()


# Previewing articles readers cannot see yet


@pytest.fixture
def draft(db):
    return make_article(headline="Embargoed story", status=Article.Status.DRAFT)


@pytest.fixture
def scheduled(db):
    return make_article(
        headline="Tomorrow in parliament",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )


@pytest.mark.parametrize("fixture", ["draft", "scheduled"])
def test_editor_previews_an_unpublished_article_privately(editor_client, request, fixture):
    article = request.getfixturevalue(fixture)

    response = editor_client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.headline in response.text
    assert "Preview: readers cannot see this article yet" in response.text
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


@pytest.mark.parametrize("fixture", ["draft", "scheduled"])
def test_anonymous_reader_gets_404_for_an_unpublished_article(client, request, fixture):
    article = request.getfixturevalue(fixture)

    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_without_view_article_permission_gets_404_for_a_draft(client, draft):
    staff = make_user("intern", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(staff)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_article_page_has_no_preview_notice(editor_client, article):
    response = editor_client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "readers cannot see this article" not in response.text


# Performance


def test_changelist_query_count_does_not_grow_with_articles(
    editor_client, django_assert_max_num_queries
):
    def one_article_with_comments():
        article = make_article()
        make_comment(article, status=Comment.Status.APPROVED)
        make_comment(article, status=Comment.Status.PENDING)

    one_article_with_comments()
    editor_client.get(CHANGELIST)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(12) as one:
        assert len(editor_client.get(CHANGELIST).context["cl"].result_list) == 1

    for _ in range(29):
        one_article_with_comments()
    with django_assert_max_num_queries(12) as thirty:
        assert len(editor_client.get(CHANGELIST).context["cl"].result_list) == 30

    assert len(thirty) == len(one)


def test_an_imported_articles_body_says_it_is_html_in_the_editors_form(editor_client):
    imported = make_article(body_format="html", body="<p>From WordPress.</p>")
    written = make_article()
    imported_page = editor_client.get(reverse("admin:articles_article_change", args=[imported.pk]))
    written_page = editor_client.get(reverse("admin:articles_article_change", args=[written.pk]))
    assert "HTML, as imported from WordPress" in imported_page.text
    assert "HTML (imported from WordPress)" in imported_page.text  # its format, read-only
    assert "HTML, as imported from WordPress" not in written_page.text
    assert "Markdown: a blank line between paragraphs" in written_page.text
