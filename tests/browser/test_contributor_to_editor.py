"""A contributor writes an article and submits it; an editor publishes it: in a real browser."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.admin import choose, sign_in
from tests.factories import make_author, make_section, make_user

pytestmark = pytest.mark.browser

PASSWORD = "a long contributor passphrase"
HEADLINE = "Trams return to the high street"


# Transactional with serialized_rollback, as in test_reader_to_editor.py: the groups the
# migrations made must be there for the live server.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_contributors_article_goes_out_once_an_editor_publishes_it(new_page, editor):
    editor.set_password(PASSWORD)
    editor.save()
    jo = make_user("jo", password=PASSWORD, is_staff=True)
    jo.groups.add(Group.objects.get(name="Contributors"))
    make_author("Jo Bloggs", user=jo)
    make_section(name="Transport")

    # The contributor writes the article; the byline is already theirs.
    writer = new_page()
    sign_in(writer, "jo", PASSWORD)
    writer.goto("/admin/articles/article/add/")
    writer.get_by_label("Headline:").fill(HEADLINE)
    writer.get_by_label("Body:").fill("The first tram in forty years ran at dawn.")
    choose(writer, "section", "Trans", "Transport")
    expect(writer.locator("#select2-id_byline-container")).to_have_text("Jo Bloggs")
    status = writer.get_by_label("Status:")
    expect(status.locator("option")).to_have_text(["Draft", "In review"])
    status.select_option(label="In review")
    writer.get_by_role("button", name="Save", exact=True).click()
    expect(writer.get_by_text("was added successfully")).to_be_visible()

    # Readers cannot see it yet.
    reader = new_page()
    article_path = "/articles/trams-return-to-the-high-street/"
    assert reader.goto(article_path).status == 404

    # The editor finds it under "In review" and publishes it.
    desk = new_page()
    sign_in(desk, editor.username, PASSWORD)
    desk.goto("/admin/articles/article/")
    desk.get_by_role("link", name="In review", exact=True).click()
    row = desk.get_by_role("row").filter(has_text=HEADLINE)
    expect(row).to_contain_text("In review")
    row.get_by_role("checkbox").check()
    desk.get_by_role("combobox", name="Action").select_option(label="Publish now")
    desk.get_by_role("button", name=re.compile(r"^(Go|Run)$")).click()
    expect(desk.get_by_text("1 article published.")).to_be_visible()

    # Now every reader sees it, under the contributor's byline.
    assert reader.goto(article_path).status == 200
    expect(reader.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
    expect(reader.get_by_role("link", name="Jo Bloggs")).to_have_attribute(
        "href", "/authors/jo-bloggs/"
    )
