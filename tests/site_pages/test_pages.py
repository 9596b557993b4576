"""About, Corrections, Contact…: pages editors write in the admin, in the footer and sitemap.

(The pages app's tests: tests/pages.py is the helper that reads pages as a browser does.)
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.pages import services
from articles.pages.models import PAGE_INDEX, FooterLink, page_cache_key
from newsroom.http_cache import SITE
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:flatpages_flatpage_add")


def make_page(url="/about/", title="About us", content="We report the news.", footer=None):
    page = FlatPage(url=url, title=title, content=content)
    services.save_page(page, footer_position=footer)
    return page


def footer_links(html: str) -> list[tuple[str, str]]:
    """The footer's links: address and text, in order."""
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)[1]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)


def page_form(**fields) -> dict:
    data = {"url": "/about/", "title": "About us", "content": "We report.", "footer_position": 0}
    return {**data, **fields}


# Reading a page


def test_a_page_shows_its_title_and_markdown_text_in_the_sites_design(client):
    make_page(content="## Who we are\n\nA newsroom. [Write to us](mailto:news@example.org).")

    response = client.get("/about/")

    assert response.status_code == 200
    html = response.text
    assert "<title>About us | Newsroom</title>" in html
    assert "<h1>About us</h1>" in html
    assert "<h2>Who we are</h2>" in html
    assert '<a href="mailto:news@example.org">Write to us</a>' in html
    assert 'class="site-header"' in html  # base.html's
    assert '<link rel="canonical" href="http://testserver/about/">' in html
    assert '<meta name="description" content="Who we are A newsroom. Write to us.">' in html


def test_html_typed_into_a_page_is_shown_as_text_never_run(client):
    make_page(content="<script>alert(1)</script>\n\n[click](javascript:alert(2))")

    html = client.get("/about/").text

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_a_page_is_the_same_for_every_reader_and_kept_by_the_shared_cache(client):
    page = make_page()

    response = client.get("/about/")

    assert "public" in response["Cache-Control"]
    assert set(response["Surrogate-Key"].split()) == {SITE, page_cache_key(page.pk)}
    assert not response.cookies  # no CSRF cookie, no session
    assert "Cookie" not in response.get("Vary", "")


def test_an_address_without_a_page_is_not_found_and_without_its_slash_is_sent_on(client):
    make_page()

    assert client.get("/nothing-here/").status_code == 404
    response = client.get("/about")
    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_a_page_marked_for_sign_in_is_not_shown(client):
    page = make_page()
    page.registration_required = True
    page.save()

    assert client.get("/about/").status_code == 404


def test_the_contact_page_is_where_the_privacy_note_says_to_ask(client):
    article = make_article()
    make_page(url="/contact/", title="Contact us")

    html = client.get(article.get_absolute_url()).text

    note = re.search(r'<p class="comment-privacy".*?</p>', html, re.S)[0]
    assert '<a href="/contact/">Ask us</a>' in note
    assert client.get("/contact/").status_code == 200


# The footer


def test_the_footer_lists_the_pages_chosen_for_it_in_their_order(client):
    make_page("/contact/", "Contact us", footer=2)
    make_page("/about/", "About us", footer=0)
    make_page("/corrections/", "Corrections", footer=1)
    make_page("/jobs/", "Jobs")  # not in the footer
    article = make_article()

    expected = [
        ("/about/", "About us"),
        ("/corrections/", "Corrections"),
        ("/contact/", "Contact us"),
    ]
    assert footer_links(client.get("/").text) == expected
    assert footer_links(client.get(article.get_absolute_url()).text) == expected
    assert footer_links(client.get("/jobs/").text) == expected


def test_the_footer_marks_the_page_the_reader_is_on(client):
    make_page(footer=0)

    html = client.get("/about/").text

    assert re.search(r'<a href="/about/" aria-current="page">About us</a>', html)


def test_the_footer_costs_no_query_once_read(client, django_assert_max_num_queries):
    make_page("/about/", "About us", footer=0)
    make_page("/contact/", "Contact us", footer=1)
    client.get("/")  # the footer read once

    with django_assert_max_num_queries(10) as with_pages:
        client.get("/")
    FooterLink.objects.all().delete()  # behind the service's back: not forgotten
    with django_assert_max_num_queries(10) as again:
        html = client.get("/").text

    assert len(with_pages) == len(again)
    assert "Contact us" in html  # still the remembered footer


def test_no_footer_list_without_pages_in_it(client):
    make_page()  # not in the footer

    html = client.get("/").text

    assert 'class="footer-nav"' not in html


# Editing pages in the admin


@pytest.fixture
def editor_client(client):
    # A user as `createeditor` makes them: what the Editors group may do, nothing more.
    editor = make_user("pages-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_an_editor_adds_a_page_to_the_footer_and_readers_see_it_at_once(
    editor_client, client, purged_keys
):
    client.get("/")  # the footer remembered, without the page

    with purged_keys.committing():
        response = editor_client.post(ADD, page_form(in_footer="on", footer_position=3))

    assert response.status_code == 302, response.context["adminform"].form.errors
    page = FlatPage.objects.get()
    assert list(page.sites.values_list("pk", flat=True)) == [settings.SITE_ID]
    assert page.footer_link.position == 3
    assert SITE in purged_keys  # every page shows the footer
    assert footer_links(client.get("/").text) == [("/about/", "About us")]
    assert client.get("/about/").status_code == 200


def test_editing_a_pages_text_purges_it_and_every_page_with_the_footer(
    editor_client, client, purged_keys
):
    page = make_page(footer=0)
    url = reverse("admin:flatpages_flatpage_change", args=[page.pk])

    with purged_keys.committing():
        response = editor_client.post(
            url, page_form(content="We correct mistakes.", in_footer="on")
        )

    assert response.status_code == 302
    assert purged_keys == {SITE, page_cache_key(page.pk), PAGE_INDEX}
    assert "We correct mistakes." in client.get("/about/").text


def test_renaming_a_page_in_the_footer_purges_every_page(editor_client, client, purged_keys):
    page = make_page(footer=0)
    client.get("/")
    url = reverse("admin:flatpages_flatpage_change", args=[page.pk])

    with purged_keys.committing():
        editor_client.post(url, page_form(title="Who we are", in_footer="on"))

    assert SITE in purged_keys
    assert footer_links(client.get("/").text) == [("/about/", "Who we are")]


def test_taking_a_page_out_of_the_footer_purges_every_page(editor_client, client, purged_keys):
    page = make_page(footer=0)
    client.get("/")
    url = reverse("admin:flatpages_flatpage_change", args=[page.pk])

    with purged_keys.committing():
        editor_client.post(url, page_form())  # "Show in the footer" unticked

    assert SITE in purged_keys
    assert not FooterLink.objects.exists()
    assert 'class="footer-nav"' not in client.get("/").text


def test_deleting_a_page_purges_every_page_and_empties_its_address(
    editor_client, client, purged_keys
):
    page = make_page(footer=0)
    client.get("/")
    url = reverse("admin:flatpages_flatpage_delete", args=[page.pk])

    with purged_keys.committing():
        editor_client.post(url, {"post": "yes"})

    assert SITE in purged_keys
    assert client.get("/about/").status_code == 404
    assert 'class="footer-nav"' not in client.get("/").text


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("/feed/", "is the address of another part of the site"),
        ("/admin/", "is the address of another part of the site"),
        ("/contact/", "Another page already has the address /contact/."),
        ("about/", "URL is missing a leading slash."),
        ("/about", "URL is missing a trailing slash."),
        ("/a b/", "This value must contain only letters"),
    ],
)
def test_an_address_the_site_cannot_give_a_page_is_refused_and_nothing_lost(
    editor_client, url, error
):
    make_page(url="/contact/", title="Contact us")

    response = editor_client.post(ADD, page_form(url=url, content="Kept text."))

    assert response.status_code == 200
    assert error in response.text
    assert "Kept text." in response.text
    assert FlatPage.objects.count() == 1


def test_the_page_form_offers_no_raw_templates_sites_or_sign_in(editor_client):
    html = editor_client.get(ADD).text

    for field in ("template_name", "sites", "registration_required", "enable_comments"):
        assert f'name="{field}"' not in html
    assert 'name="in_footer"' in html


# Being found, and the demo


def test_the_sitemap_lists_the_pages(client):
    make_page()
    make_page(url="/contact/", title="Contact us")

    response = client.get("/sitemap.xml")

    assert "http://127.0.0.1:8000/about/</loc>" in response.text
    assert "http://127.0.0.1:8000/contact/</loc>" in response.text
    assert PAGE_INDEX in response["Surrogate-Key"].split()


def test_the_demo_has_about_corrections_and_contact_pages_in_the_footer(client):
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)  # twice: nothing doubled

    assert footer_links(client.get("/").text) == [
        ("/about/", "About us"),
        ("/corrections/", "Corrections"),
        ("/contact/", "Contact us"),
    ]
    contact = client.get("/contact/").text
    assert f'<a href="mailto:{settings.DEFAULT_FROM_EMAIL}">' in contact
    assert "erase" in contact
    assert "Newsroom is an independent newsroom." in client.get("/about/").text


def test_the_demo_leaves_a_page_an_editor_changed_alone(client):
    make_page(url="/about/", title="About the Gazette", content="Our own words.")

    call_command("loaddemo", verbosity=0)

    assert "Our own words." in client.get("/about/").text
    assert FlatPage.objects.filter(url="/about/").count() == 1


# Versions


def test_each_save_of_a_page_is_kept_and_an_old_title_restored_in_the_footer(
    editor_client, client, purged_keys
):
    editor_client.post(ADD, page_form(title="About us", in_footer="on"))
    page = FlatPage.objects.get()
    change = reverse("admin:flatpages_flatpage_change", args=[page.pk])
    editor_client.post(change, page_form(title="Abuot us", in_footer="on"))
    assert footer_links(client.get("/").text) == [("/about/", "Abuot us")]
    kept = Version.objects.get_for_object(page).order_by("pk")
    assert [version.field_dict["title"] for version in kept] == ["About us", "Abuot us"]
    assert {version.revision.user.username for version in kept} == {"pages-editor"}

    history = editor_client.get(reverse("admin:flatpages_flatpage_history", args=[page.pk]))
    url = reverse("admin:flatpages_flatpage_revision", args=[page.pk, kept[0].pk])
    assert f'href="{url}"' in history.text
    form = editor_client.get(url).text
    assert re.search(r"<del>Abuot</del><ins>About</ins> us", form)
    with purged_keys.committing():
        response = editor_client.post(url, page_form(title="About us", in_footer="on"))

    assert response.status_code == 302
    assert SITE in purged_keys
    assert footer_links(client.get("/").text) == [("/about/", "About us")]
    assert Version.objects.get_for_object(page).count() == 3
