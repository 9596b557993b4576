"""Author profiles: each byline's page, its bio and articles, and bylines from before."""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Author, Image
from tests.factories import make_article, make_author, make_image

pytestmark = pytest.mark.django_db


def structured(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    return json.loads(block)


def test_author_page_shows_the_bio_then_the_articles(client):
    author = make_author("Jo Bloggs", bio="Jo covers **transport**.\n\n<script>x</script>")
    make_article(byline=author, headline="Trams return")

    response = client.get("/authors/jo-bloggs/")

    html = response.text
    assert response.status_code == 200
    assert '<h1 class="page-title">Jo Bloggs</h1>' in html
    assert "Jo covers <strong>transport</strong>." in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert html.index("Jo covers") < html.index("Trams return")
    assert '<meta name="description" content="Articles by Jo Bloggs in Newsroom">' in html


def test_author_page_is_paged(client):
    author = make_author("Jo Bloggs")
    for _ in range(11):
        make_article(byline=author)

    assert len(client.get(author.get_absolute_url()).context["article_list"]) == 10
    page_two = client.get(author.get_absolute_url(), {"page": 2})
    assert len(page_two.context["article_list"]) == 1


def test_author_page_carries_person_structured_data(client):
    author = make_author("Jo Bloggs", bio="Transport correspondent.")
    make_article(byline=author)

    data = structured(client.get(author.get_absolute_url()).text)

    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"] == {
        "@type": "Person",
        "name": "Jo Bloggs",
        "url": "http://testserver/authors/jo-bloggs/",
        "description": "Transport correspondent.",
    }


def test_author_page_is_cached_under_its_own_key_so_an_edit_purges_it(client):
    author = make_author("Jo Bloggs")
    article = make_article(byline=author)

    keys = set(client.get(author.get_absolute_url())["Surrogate-Key"].split())
    article_keys = set(client.get(article.get_absolute_url())["Surrogate-Key"].split())

    assert author.cache_key in keys
    assert author.cache_key in article_keys  # the byline's name shows there too


def test_an_authors_photo_shows_on_their_page_and_cannot_be_deleted_while_it_does(client):
    photo = make_image(alt_text="Jo Bloggs at her desk")
    author = make_author("Jo Bloggs", photo=photo)
    make_article(byline=author)

    response = client.get(author.get_absolute_url())
    html = response.text
    data = structured(html)

    assert 'alt="Jo Bloggs at her desk"' in html and "srcset=" in html
    assert data["mainEntity"]["image"].startswith("http://testserver/media/")
    assert photo.cache_key in response["Surrogate-Key"].split()  # a new caption purges it
    with pytest.raises(ProtectedError):
        services.delete_images([photo])
    assert Image.objects.filter(pk=photo.pk).exists()


def test_an_unknown_author_is_not_found(client):
    assert client.get(reverse("articles:author", args=["nobody"])).status_code == 404


def test_renaming_an_author_renames_every_byline(client):
    author = make_author("Jo Bloggs")
    article = make_article(byline=author)
    author.name = "Jo Bloggs-Smith"
    author.save()

    assert "Jo Bloggs-Smith" in client.get(article.get_absolute_url()).text
    assert client.get(reverse("articles:feed")).text.count("<name>Jo Bloggs-Smith</name>") == 1


def test_editors_find_articles_by_their_authors_name(editor_client):
    wanted = make_article(byline="Jo Bloggs")
    make_article(byline="Sam Writer")

    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "bloggs"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_an_editor_edits_an_author_in_the_admin(editor_client, django_capture_on_commit_callbacks):
    author = make_author("Jo Bloggs")

    response = editor_client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {"name": "Jo Bloggs", "slug": "jo-bloggs", "bio": "New bio.", "user": ""},
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.bio == "New bio."


# Bylines from before author profiles


# Transactional: SQLite cannot change its schema inside a plain test's transaction.
# serialized_rollback: the flush after it would empty the groups the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bylines_become_authors_at_their_old_addresses_and_back(client):
    executor = MigrationExecutor(connection)
    before = [("articles", "0003_article_byline_slug")]
    latest = executor.loader.graph.leaf_nodes("articles")
    call_command("migrate", "articles", "0003", verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    OldArticle, OldSection = (
        old.get_model("articles", "Article"),
        old.get_model("articles", "Section"),
    )
    section = OldSection.objects.create(name="News", slug="news")
    common = {"section": section, "body": "Text.", "status": "published",
              "published_at": timezone.now()}  # fmt: skip
    for n, byline in enumerate(["Jo Bloggs", "jo bloggs", "Sam Writer", "Олена"]):
        slug = re.sub(r"[^a-z0-9]+", "-", byline.lower()).strip("-")
        OldArticle.objects.create(headline=f"H{n}", slug=f"h{n}", byline=byline,
                                  byline_slug=slug, **common)  # fmt: skip

    call_command("migrate", "articles", latest[0][1], verbosity=0)

    assert sorted(Author.objects.values_list("name", "slug")) == [
        ("Jo Bloggs", "jo-bloggs"),
        ("Sam Writer", "sam-writer"),
        ("Олена", "author-3"),
    ]
    by_jo = Article.objects.filter(byline__slug="jo-bloggs")
    assert sorted(by_jo.values_list("headline", flat=True)) == ["H0", "H1"]
    assert client.get("/authors/jo-bloggs/").status_code == 200  # the old address
    assert client.get("/authors/sam-writer/").status_code == 200

    call_command("migrate", "articles", "0003", verbosity=0)

    rows = MigrationExecutor(connection).loader.project_state(before).apps
    restored = rows.get_model("articles", "Article").objects.order_by("slug")
    assert list(restored.values_list("byline", "byline_slug")) == [
        ("Jo Bloggs", "jo-bloggs"),
        ("Jo Bloggs", "jo-bloggs"),
        ("Sam Writer", "sam-writer"),
        ("Олена", "author-3"),
    ]
    call_command("migrate", verbosity=0)
