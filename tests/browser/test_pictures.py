"""An editor puts a picture in the library and on an article; readers see it, at the size
their screen needs."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Image
from tests.browser.admin import choose, sign_in
from tests.factories import image_bytes, make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EDITOR_PASSWORD = "a long editor passphrase"
ALT = "Fishing boats moored in the harbour at dawn"
CAPTION = "The harbour the morning before the storm."
CREDIT = "Jo Bloggs / Coast Agency"


def test_editor_uploads_a_picture_and_makes_it_an_articles_featured_image(
    new_page, editor, tmp_path
):
    editor.set_password(EDITOR_PASSWORD)
    editor.save()
    article = make_article(headline="Storm warning for the coast")
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(image_bytes(size=(1800, 1200)))

    page = new_page()
    sign_in(page, editor.username, EDITOR_PASSWORD)
    # The library: upload a picture with its words.
    page.goto("/admin/articles/image/add/")
    # Labelled by a <label> on Django 5.2, by its fieldset's <legend> on 6.x.
    page.locator('input[type="file"][name="file"]').set_input_files(photo)
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Credit").fill(CREDIT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    # The library's list shows it as a thumbnail (decorative: the alt text is beside it).
    thumbnail = page.get_by_role("row").filter(has_text=ALT).locator("img")
    expect(thumbnail).to_be_visible()
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 480

    # The article: choose it as the featured image by searching the library.
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    choose(page, "featured_image", "harbour", ALT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    # A reader sees it above the story, with its words, in a size chosen from the srcset.
    reader = new_page()
    reader.goto(article.get_absolute_url())
    picture = reader.get_by_role("img", name=ALT)
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute(
        "srcset", re.compile(r"-480w\.jpg 480w, .*-1600w\.jpg 1600w$")
    )
    expect(reader.get_by_role("figure")).to_contain_text(CAPTION)
    expect(reader.get_by_role("figure")).to_contain_text(CREDIT)
    # Loaded (from this site's /media/, which the Content-Security-Policy allows), as WebP.
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("img => img.naturalWidth") > 0
    assert re.search(r"-\d+w\.webp$", picture.evaluate("img => img.currentSrc"))
    assert Image.objects.get().featured_in.get() == article
