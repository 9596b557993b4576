"""Writing an article in the admin: the body's live preview (rendered as the article page
renders it), and the form that carries the counters' numbers."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles import writing
from articles.models import Article
from tests.factories import make_article, make_user

PREVIEW = reverse("admin:articles_article_preview")
PARTIAL = f"{PREVIEW}?partial=1"
ADD = reverse("admin:articles_article_add")


def article_body(html: str) -> str:
    """What the page shows inside its ``<div class="article-body">``."""
    match = re.search(r'<div class="article-body">(.*?)</div>\s*</article>', html, re.S)
    assert match, "no article body"
    return match[1].strip()


def staff_with(*codenames: str):
    user = make_user("writer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


# What the preview shows


def test_preview_shows_the_body_exactly_as_the_article_page_does(editor_client):
    body = (
        "First paragraph with *emphasis* and a [link](https://example.org/report).\n\n"
        "# A heading typed as h1\n\n## Witnesses\n\n> A quotation.\n\n- one\n- two\n\n1. first\n"
    )
    article = make_article(body=body, dateline="Kyiv")

    page = editor_client.get(article.get_absolute_url())
    preview = editor_client.post(PARTIAL, {"body": body, "dateline": "Kyiv"})

    assert preview.status_code == 200
    assert article_body(preview.text) == article_body(page.text)
    assert " style=" not in preview.text
    assert '<span class="dateline">Kyiv</span>' in article_body(preview.text)
    assert "<h2>Witnesses</h2>" in preview.text


def test_preview_shows_the_unsaved_headline_and_standfirst(editor_client):
    response = editor_client.post(
        PARTIAL,
        {"headline": "Dam breaks upstream", "standfirst": "Villages evacuated.", "body": "x"},
    )

    assert "<h1>Dam breaks upstream</h1>" in response.text
    assert '<p class="standfirst">Villages evacuated.</p>' in response.text
    assert "nothing is saved or published" in response.text


def test_preview_strips_surrounding_whitespace_as_saving_does(editor_client):
    # Saved, "    code" loses its indent (the form strips it) and is a paragraph, not code.
    response = editor_client.post(PARTIAL, {"body": "    Indented first line\n"})

    assert article_body(response.text) == "<p>Indented first line</p>"


@pytest.mark.parametrize(
    "field", ["body", "headline", "standfirst", "dateline"], ids=lambda field: f"in the {field}"
)
def test_a_script_typed_into_the_form_comes_back_as_text(editor_client, field):
    typed = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = {"headline": "h", "body": "b", field: typed}

    response = editor_client.post(PARTIAL, data)

    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "<img" not in response.text
    assert "&lt;script&gt;alert(" in response.text


def test_a_javascript_link_in_the_body_is_not_made_a_link(editor_client):
    response = editor_client.post(PARTIAL, {"body": "[click](javascript:alert(1))"})

    assert "<a " not in article_body(response.text)


def test_preview_without_javascript_is_a_whole_page_styled_like_the_site(editor_client):
    # The Preview button in the submit row posts the whole form here, to a new tab.
    response = editor_client.post(
        PREVIEW, {"headline": "Floods", "body": "## Rain\n\nMore rain.", "status": "draft"}
    )

    assert response.status_code == 200
    html = response.text
    assert "<title>Preview: Floods | " in html
    assert "css/newsroom.css" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "<h2>Rain</h2>" in html


def test_preview_saves_nothing(editor_client):
    editor_client.post(PREVIEW, {"headline": "Unsaved", "slug": "unsaved", "body": "x"})

    assert not Article.objects.exists()


# Its limits


def test_a_body_too_long_to_preview_is_refused_with_a_clear_error(editor_client):
    body = "a" * (writing.PREVIEW_MAX_CHARS + 1)

    response = editor_client.post(PARTIAL, {"body": body})

    assert response.status_code == 413
    error = re.search(r"<p [^>]*data-preview-error>(.*?)</p>", response.text, re.S)
    assert error
    assert f"{writing.PREVIEW_MAX_CHARS + 1:,} characters" in error[1]
    assert f"the limit is {writing.PREVIEW_MAX_CHARS:,}" in error[1]
    assert "Nothing was lost" in error[1]


def test_a_body_at_the_limit_is_previewed(editor_client):
    body = "word " * (writing.PREVIEW_MAX_CHARS // 5)

    response = editor_client.post(PARTIAL, {"body": body})

    assert response.status_code == 200
    assert article_body(response.text).startswith("<p>word word")


def test_preview_is_private_and_never_kept(editor_client):
    response = editor_client.post(PARTIAL, {"body": "x"})

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert "Surrogate-Key" not in response


# Who may use it


def test_preview_needs_a_post(editor_client):
    assert editor_client.get(PARTIAL).status_code == 405


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.post(PARTIAL, {"body": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("codenames", "new", "existing"),
    [
        (["add_article"], 200, 403),
        (["change_article"], 403, 200),
        (["add_article", "change_article"], 200, 200),
        (["view_article"], 403, 403),
        (["view_comment", "change_comment"], 403, 403),
    ],
    ids=["may add", "may change", "may add and change", "may only view", "moderator only"],
)
def test_preview_is_for_staff_who_may_write_that_article(db, client, codenames, new, existing):
    staff = staff_with(*codenames)
    # Their own draft: staff who may change but not view every article (contributors)
    # work on the drafts they created.
    article = make_article(status=Article.Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(created_by=staff)
    client.force_login(staff)

    assert client.post(PARTIAL, {"body": "x"}).status_code == new
    assert client.post(f"{PARTIAL}&article={article.pk}", {"body": "x"}).status_code == existing


def test_a_contributor_cannot_preview_someone_elses_article(db, client):
    contributor = staff_with("add_article", "change_article")
    client.force_login(contributor)
    theirs = make_article()

    assert client.post(f"{PARTIAL}&article={theirs.pk}", {"body": "x"}).status_code == 404


def test_an_articles_preview_shows_its_typed_fields_and_saves_nothing(editor_client):
    article = make_article(headline="Saved headline", body="Saved body.")

    response = editor_client.post(
        f"{PARTIAL}&article={article.pk}", {"headline": "Typed headline", "body": "Typed body."}
    )

    assert "<h1>Typed headline</h1>" in response.text
    assert article_body(response.text) == "<p>Typed body.</p>"
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Saved headline", "Saved body.")


@pytest.mark.parametrize("pk", ["999999", "not-a-number"])
def test_previewing_an_article_that_does_not_exist_is_not_found(editor_client, pk):
    assert editor_client.post(f"{PARTIAL}&article={pk}", {"body": "x"}).status_code == 404


def test_preview_refuses_a_post_without_the_forms_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    refused = client.post(PARTIAL, {"body": "x"})
    client.get(ADD)  # the form sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    accepted = client.post(PARTIAL, {"body": "x", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 200


# The form


def field_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no {name} field"
    return match[0]


def test_the_body_is_a_tall_box_taller_than_the_standfirst(editor_client):
    html = editor_client.get(ADD).text

    body_rows = int(re.search(r'rows="(\d+)"', field_tag(html, "body"))[1])
    standfirst_rows = int(re.search(r'rows="(\d+)"', field_tag(html, "standfirst"))[1])
    assert body_rows >= 20
    assert body_rows > standfirst_rows


def test_the_form_carries_the_lengths_search_results_show_and_the_reading_speed(editor_client):
    html = editor_client.get(ADD).text

    assert f'data-shown-chars="{writing.HEADLINE_SHOWN_CHARS}"' in field_tag(html, "headline")
    assert f'data-shown-chars="{writing.DESCRIPTION_SHOWN_CHARS}"' in field_tag(html, "standfirst")
    body = field_tag(html, "body")
    assert f'data-words-per-minute="{writing.WORDS_PER_MINUTE}"' in body
    assert f'data-preview-max-chars="{writing.PREVIEW_MAX_CHARS}"' in body


def test_the_form_loads_the_writing_desk_from_our_own_static_files(editor_client, article):
    change = reverse("admin:articles_article_change", args=[article.pk])
    for url, preview_url in [
        (ADD, PARTIAL),
        (change, f"{PARTIAL}&amp;article={article.pk}"),
    ]:
        html = editor_client.get(url).text

        assert re.search(r'<script src="/static/js/article-writing\.js"', html)
        assert 'href="/static/css/article-writing.css"' in html
        assert f'data-preview-url="{preview_url}"' in html
        # No inline script or style: the admin's CSP is the site's strict one.
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert " style=" not in html


def test_the_submit_row_has_a_preview_button_that_opens_a_new_tab(editor_client, article):
    change = reverse("admin:articles_article_change", args=[article.pk])
    for url, action in [(ADD, PREVIEW), (change, f"{PREVIEW}?article={article.pk}")]:
        html = editor_client.get(url).text

        button = re.search(r'<input type="submit" value="Preview in a new tab"[^>]*>', html)
        assert button
        assert f'formaction="{action}"' in button[0]
        assert 'formtarget="_blank"' in button[0]


def test_saving_still_works_through_the_new_form(editor_client):
    article = make_article()
    response = editor_client.post(
        ADD,
        {
            "headline": "A story",
            "slug": "a-story",
            "standfirst": "",
            "byline": article.byline.pk,
            "section": article.section.pk,
            "dateline": "",
            "body": "## Sub\n\nText.",
            "status": "draft",
            "published_at_0": "2031-01-01",
            "published_at_1": "09:00:00",
            "comment_mode": Article.CommentMode.SITE_DEFAULT,
        },
    )

    assert response.status_code == 302
    assert Article.objects.get(slug="a-story").body == "## Sub\n\nText."


def test_an_article_without_standfirst_is_described_in_as_many_characters_as_results_show():
    article = Article(body="word " * 200)

    assert len(article.description) == writing.DESCRIPTION_SHOWN_CHARS
