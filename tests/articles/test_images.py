"""The image library: editors upload pictures (checked, cleaned of camera data, resized) and
show them as an article's featured image or in its body."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PillowImage

from articles import images, markdown, services
from articles.models import Article, Image
from tests.factories import (
    image_bytes,
    image_upload,
    make_article,
    make_image,
    make_section,
)

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(client, file, **fields):
    data = {"alt_text": "Firefighters at the warehouse", "caption": "", "credit": "Jo Bloggs"}
    return client.post(reverse("admin:articles_image_add"), {"file": file, **{**data, **fields}})


def photo_with_gps_and_orientation() -> bytes:
    """A camera's JPEG, 300 wide and 200 high as stored, to be turned upright (EXIF
    orientation 6: 200 wide, 300 high), with the place it was taken."""
    picture = PillowImage.new("RGB", (300, 200), (10, 120, 200))
    exif = picture.getexif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera maker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match[1] if match else None


# --- Uploading --------------------------------------------------------------------------


def test_editor_uploads_a_picture_with_its_words_and_renditions_are_made(
    editor_client, editor, settings
):
    response = upload(
        editor_client,
        image_upload("Harbour at dawn.jpg", size=(2000, 1000)),
        alt_text="Fishing boats in the harbour at dawn",
        caption="The harbour before the storm.",
        credit="Jo Bloggs / Agency",
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.caption, image.credit) == (
        "Fishing boats in the harbour at dawn",
        "The harbour before the storm.",
        "Jo Bloggs / Agency",
    )
    assert (image.width, image.height) == (2000, 1000)
    assert image.uploaded_by == editor
    files = stored_files(settings)
    assert image.file.name in files
    for width in (480, 800, 1200, 1600):
        for extension, pillow_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            name = images.rendition_name(image.file.name, width, extension)
            assert name in files
            with default_storage.open(name) as file, PillowImage.open(file) as rendition:
                assert rendition.format == pillow_format
                assert rendition.size == (width, width // 2)


def test_a_small_picture_is_never_enlarged():
    image = make_image(size=(600, 400))

    assert image.picture.widths == (480, 600)
    assert image.picture.display_width == 600
    assert not default_storage.exists(images.rendition_name(image.file.name, 800, "jpg"))


def test_location_and_camera_data_are_gone_from_every_stored_file_and_it_stands_upright(
    editor_client, settings
):
    upload(editor_client, image_upload("camera.jpg", photo_with_gps_and_orientation()))

    image = Image.objects.get()
    assert (image.width, image.height) == (200, 300)
    files = stored_files(settings)
    assert len(files) == 1 + 2 * len(image.picture.widths)
    for name in files:
        with default_storage.open(name) as file, PillowImage.open(file) as stored:
            exif = stored.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo), name
            assert ExifTags.Base.Make not in exif, name
            assert ExifTags.Base.Orientation not in exif, name
            assert stored.height > stored.width, name
    with default_storage.open(image.file.name) as file:
        assert b"Camera maker" not in file.read()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"These are my notes, not a picture." * 10, "This file is not a picture"),
        (
            "cut-short.jpg",
            image_bytes(size=(800, 600), colour=(1, 2, 3))[:600],
            "damaged or incomplete",
        ),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG and other drawings are not accepted",
        ),
        (
            "drawing.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "SVG and other drawings are not accepted",
        ),
        (
            "drawing.jpg",
            b'\xef\xbb\xbf\n  <svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "SVG and other drawings are not accepted",
        ),
        ("animation.gif", image_bytes(image_format="GIF"), "GIF files are not accepted"),
    ],
)
def test_a_file_that_is_not_an_accepted_picture_is_refused_and_nothing_is_stored(
    editor_client, settings, name, content, message
):
    response = upload(editor_client, image_upload(name, content))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_with_both_sizes(editor_client, settings):
    content = image_bytes(size=(1200, 900), quality=100)
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(content) - 1

    response = upload(editor_client, image_upload("big.jpg", content))

    assert response.status_code == 200
    assert "the largest image the library takes is" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_picture_over_the_pixel_limit_is_refused_before_it_is_decoded(
    editor_client, settings, monkeypatch
):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000
    wide = image_upload("wide.jpg", size=(2000, 600))
    decoded = []
    monkeypatch.setattr(PillowImage.Image, "load", lambda self: decoded.append(self))

    response = upload(editor_client, wide)

    assert "This picture is 2000 × 600 pixels; the library takes at most 1 megapixels." in (
        response.content.decode()
    )
    assert decoded == []
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_decompression_bomb_is_refused(editor_client, settings, monkeypatch):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 10**12  # only Pillow's own guard stands
    monkeypatch.setattr(PillowImage, "MAX_IMAGE_PIXELS", 1000)

    response = upload(editor_client, image_upload("bomb.png", image_format="PNG", size=(100, 100)))

    assert "too many pixels to be opened safely" in response.content.decode()
    assert not Image.objects.exists()


def test_alt_text_and_credit_are_required(editor_client, settings):
    response = upload(editor_client, image_upload(), alt_text="", credit="")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"alt_text", "credit"}
    assert stored_files(settings) == []


def test_a_png_with_transparency_keeps_it_in_webp_and_gets_white_in_jpeg(editor_client):
    content = image_bytes(size=(500, 300), image_format="PNG", colour=(0, 0, 0, 0))
    upload(editor_client, image_upload("logo.png", content))

    image = Image.objects.get()
    assert image.file.name.endswith(".png")
    with default_storage.open(images.rendition_name(image.file.name, 480, "webp")) as file:
        assert PillowImage.open(file).getpixel((5, 5))[3] == 0
    with default_storage.open(images.rendition_name(image.file.name, 480, "jpg")) as file:
        assert PillowImage.open(file).getpixel((5, 5)) >= (250, 250, 250)


@pytest.mark.parametrize("mode", ["CMYK", "L"])
def test_a_print_or_greyscale_jpeg_gets_its_renditions(editor_client, mode):
    buffer = io.BytesIO()
    PillowImage.new(mode, (900, 600)).save(buffer, format="JPEG")

    upload(editor_client, image_upload("print.jpg", buffer.getvalue()))

    image = Image.objects.get()
    with default_storage.open(images.rendition_name(image.file.name, 480, "webp")) as file:
        assert PillowImage.open(file).size == (480, 320)


def test_the_admin_takes_a_body_as_large_as_the_largest_picture(settings):
    from newsroom.bad_requests import max_body_size

    class AdminRequest:
        path = reverse("admin:articles_image_add")

    assert max_body_size(AdminRequest()) > settings.NEWSROOM_IMAGE_MAX_BYTES >= 20 * 1024**2


# --- The library in the admin -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "term"),
    [("alt_text", "lighthouse"), ("caption", "storm"), ("credit", "Bloggs"), ("file", "harbour")],
)
def test_library_search_finds_pictures_by_words_and_file_name(editor_client, field, term):
    found = make_image(
        **{"alt_text": "A picture", "caption": "", "credit": "Someone", field: f"x {term} y"}
        if field != "file"
        else {"file": image_upload("old-harbour.jpg")}
    )
    other = make_image(alt_text="Something else", caption="", credit="Nobody")

    response = editor_client.get(reverse("admin:articles_image_changelist"), {"q": term})

    shown = list(response.context["cl"].result_list)
    assert found in shown
    assert other not in shown


def test_library_list_shows_thumbnails(editor_client):
    image = make_image()

    html = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()

    assert default_storage.url(images.rendition_name(image.file.name, 480, "jpg")) in html


def test_change_page_lists_the_articles_using_the_picture(editor_client):
    image = make_image()
    featured = make_article(headline="Storm hits coast", featured_image=image)
    in_body = make_article(headline="Clean-up begins", body="Before.")
    in_body.body = f"![]({'image'}:{image.pk})"
    services.save_article(in_body, changed_fields=["body"], created=False)
    make_article(headline="Unrelated")

    html = editor_client.get(
        reverse("admin:articles_image_change", args=[image.pk])
    ).content.decode()

    assert reverse("admin:articles_article_change", args=[featured.pk]) in html
    assert reverse("admin:articles_article_change", args=[in_body.pk]) in html
    assert "Unrelated" not in html


def test_an_unused_picture_is_deleted_with_its_files(
    editor_client, settings, django_capture_on_commit_callbacks
):
    image = make_image()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize("use", ["featured", "body"])
def test_a_picture_an_article_uses_cannot_be_deleted(editor_client, settings, use):
    image = make_image()
    article = make_article(headline="Storm hits coast")
    if use == "featured":
        article.featured_image = image
    else:
        article.body = f"Intro.\n\n![](image:{image.pk})\n"
    services.save_article(article, changed_fields=["featured_image", "body"], created=False)
    files = stored_files(settings)

    page = editor_client.get(reverse("admin:articles_image_delete", args=[image.pk]))
    editor_client.post(reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"})

    html = page.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert "Storm hits coast" in html
    assert Image.objects.filter(pk=image.pk).exists()
    assert stored_files(settings) == files
    with pytest.raises(ProtectedError):
        services.delete_images([image])


def test_bulk_delete_refuses_a_selection_with_a_used_picture(editor_client):
    used, unused = make_image(), make_image()
    make_article(featured_image=used)

    response = editor_client.post(
        reverse("admin:articles_image_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"},
    )

    assert "protected related objects" in response.content.decode()
    assert Image.objects.count() == 2


def test_editor_chooses_a_featured_image_by_searching_the_library(editor_client):
    image = make_image(alt_text="Lighthouse in fog")
    make_image(alt_text="Something else")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "lighthouse",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "featured_image",
        },
    )

    assert response.json()["results"] == [{"id": str(image.pk), "text": "Lighthouse in fog"}]


# --- What readers see ---------------------------------------------------------------------


def test_article_page_shows_its_featured_image_with_caption_credit_and_every_size(client):
    image = make_image(
        size=(2000, 1000),
        alt_text="Fishing boats in the harbour",
        caption="The harbour before the storm.",
        credit="Jo Bloggs / Agency",
    )
    article = make_article(featured_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="picture">.*?</figure>', html, re.S)[0]
    assert "The harbour before the storm." in figure
    assert "Jo Bloggs / Agency" in figure
    webp = re.search(r'<source type="image/webp" srcset="([^"]*)" sizes="[^"]+">', figure)
    assert webp[1] == ", ".join(
        f"{default_storage.url(images.rendition_name(image.file.name, w, 'webp'))} {w}w"
        for w in (480, 800, 1200, 1600)
    )
    (img,) = img_tags(figure)
    assert attribute(img, "alt") == "Fishing boats in the harbour"
    assert (attribute(img, "width"), attribute(img, "height")) == ("1600", "800")
    assert "1600w" in attribute(img, "srcset") and ".jpg" in attribute(img, "srcset")
    # Above the fold: fetched first, never lazily.
    assert attribute(img, "fetchpriority") == "high"
    assert attribute(img, "loading") is None


def test_shares_and_search_engines_get_the_featured_image_at_an_absolute_address(client):
    image = make_image(size=(2000, 1000), alt_text="Boats", caption="", credit="Jo Bloggs")
    article = make_article(featured_image=image)
    share_url = "http://testserver" + default_storage.url(
        images.rendition_name(image.file.name, 1200, "jpg")
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<meta property="og:image" content="{share_url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="600">' in html
    assert '<meta property="og:image:alt" content="Boats">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{share_url}">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": share_url,
            "width": 1200,
            "height": 600,
            "caption": "Boats",
            "creditText": "Jo Bloggs",
        }
    ]


def test_an_article_without_a_picture_has_a_small_card_and_no_image(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in html
    assert '"image"' not in html


def test_home_and_section_lists_show_small_pictures_lazily_after_the_first(client):
    section = make_section()
    older = make_article(section=section, featured_image=make_image(alt_text="Older picture"))
    make_article(section=section)
    newest = make_article(section=section, featured_image=make_image(alt_text="Newest picture"))

    for url in (reverse("articles:list"), section.get_absolute_url()):
        html = client.get(url).content.decode()
        tags = {attribute(tag, "alt"): tag for tag in img_tags(html)}
        assert tags.keys() == {"Older picture", "Newest picture"}
        assert attribute(tags["Newest picture"], "fetchpriority") == "high"
        assert attribute(tags["Older picture"], "loading") == "lazy"
        assert "480w" in attribute(tags["Older picture"], "srcset")
    assert newest.published_at > older.published_at


def test_home_query_count_does_not_grow_with_pictures(client, django_assert_max_num_queries):
    for _ in range(5):
        make_article(featured_image=make_image(), body=f"![](image:{make_image().pk})")

    # As without pictures (test_articles.py): count, page, navigation, footer.
    with django_assert_max_num_queries(4):
        client.get(reverse("articles:list"))


def test_article_page_query_count_is_the_same_with_one_picture_or_many(client):
    plain = make_article()
    one = make_article(featured_image=make_image(), body=f"![](image:{make_image().pk})")
    many = make_article(
        featured_image=make_image(),
        body="\n\n".join(f"![](image:{make_image().pk})" for _ in range(4)),
    )

    client.get(plain.get_absolute_url())  # the footer's pages, cached from then on
    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as with_one:
        assert 'fetchpriority="high"' in client.get(one.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as with_many:
        html = client.get(many.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 5

    # One query for the body's pictures; the featured one comes with the article.
    assert len(with_one) == len(with_many) == len(without) + 1


def test_a_body_reference_shows_the_library_picture_as_a_figure_with_its_words(client):
    image = make_image(alt_text="Library alt", caption="A caption.", credit="A credit")
    article = make_article(body=f"First paragraph.\n\n![](image:{image.pk})\n\nLast paragraph.")

    html = client.get(article.get_absolute_url()).content.decode()
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S)[1]

    figure = re.search(r'<figure class="picture">.*?</figure>', body, re.S)[0]
    assert "A caption." in figure and "A credit" in figure
    (img,) = img_tags(figure)
    assert attribute(img, "alt") == "Library alt"
    assert attribute(img, "loading") == "lazy"
    assert attribute(img, "decoding") == "async"
    assert "<p><figure" not in body


def test_the_description_in_a_reference_replaces_the_alt_text_inline_too(client):
    image = make_image(alt_text="Library alt")
    article = make_article(body=f"Look: ![The mayor, smiling](image:{image.pk}) here.")

    html = client.get(article.get_absolute_url()).content.decode()

    (img,) = [tag for tag in img_tags(html) if "srcset" in tag]
    assert attribute(img, "alt") == "The mayor, smiling"
    assert "<p>Look: <picture>" in html


def test_a_reference_to_a_missing_picture_shows_readers_nothing_and_editors_a_note(
    editor_client,
):
    article = make_article(body="Before.\n\n![Gone](image:999999)\n\nAfter.")

    reader = Client().get(article.get_absolute_url()).content.decode()
    editor = editor_client.get(article.get_absolute_url()).content.decode()

    assert "image:999999" not in reader
    assert "Gone" not in reader
    assert "<p>Before.</p>\n<p>After.</p>" in reader
    assert "not in the image library" not in reader
    assert "refers to picture 999999, which is not in the image library" in editor


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            '![A "chart"](https://example.org/chart.png)',
            '<a href="https://example.org/chart.png">A &quot;chart&quot;</a>',
        ),
        (
            "![](http://example.org/x.png)",
            '<a href="http://example.org/x.png">http://example.org/x.png</a>',
        ),
        ("![Pixel](data:image/png;base64,iVBORw0KGgo=)", "<p>Pixel</p>"),
        ("![Bad](javascript:alert(1))", "![Bad](javascript:alert(1))"),
    ],
)
def test_a_picture_from_elsewhere_becomes_a_link_never_an_image(text, shown):
    html = markdown.render_markdown(text)

    assert "<img" not in html
    assert shown in html


def test_a_changed_caption_renders_the_body_again(client):
    image = make_image(caption="Old caption.")
    article = make_article(body=f"![](image:{image.pk})")
    client.get(article.get_absolute_url())

    image.caption = "New caption."
    services.save_image(image, changed_fields=["caption"])
    html = client.get(article.get_absolute_url()).content.decode()

    assert "New caption." in html
    assert "Old caption." not in html


def test_the_demo_story_has_a_featured_image_with_its_words(client):
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)

    article = Article.objects.get()
    assert Image.objects.count() == 1
    assert article.featured_image.alt_text.startswith("Illustration:")
    assert article.featured_image.credit
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'fetchpriority="high"' in html


# --- Cache and files -------------------------------------------------------------------


def test_changing_a_picture_purges_every_page_showing_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    image = make_image()
    purged = []
    monkeypatch.setattr("newsroom.http_cache.purge", lambda keys: purged.append(set(keys)))

    with django_capture_on_commit_callbacks(execute=True):
        image.alt_text = "New words"
        services.save_image(image, changed_fields=["alt_text"])

    assert purged == [{f"image-{image.pk}", "article-index"}]


def test_pages_showing_a_picture_carry_its_key(client):
    featured, in_body = make_image(), make_image()
    article = make_article(featured_image=featured, body=f"![](image:{in_body.pk})")

    for url in (article.get_absolute_url(), reverse("articles:list")):
        keys = client.get(url)["Surrogate-Key"].split()
        assert f"image-{featured.pk}" in keys, url
    assert f"image-{in_body.pk}" in client.get(article.get_absolute_url())["Surrogate-Key"]


def test_a_replaced_file_gets_new_names_and_the_old_files_go(
    settings, editor_client, django_capture_on_commit_callbacks
):
    image = make_image(size=(900, 600))
    old_files = set(stored_files(settings))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_change", args=[image.pk]),
            {
                "file": image_upload("replacement.jpg", size=(700, 500)),
                "alt_text": image.alt_text,
                "caption": image.caption,
                "credit": image.credit,
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (700, 500)
    new_files = set(stored_files(settings))
    assert not old_files & new_files
    assert image.file.name in new_files


def test_media_files_are_served_with_a_long_cache_lifetime(client):
    image = make_image()
    url = default_storage.url(images.rendition_name(image.file.name, 480, "webp"))

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert PillowImage.open(io.BytesIO(response.content)).width == 480


@pytest.mark.parametrize(
    "path",
    ["/media/../newsroom/settings.py", "/media/../../../etc/x.jpg", "/media/x.py", "/media/no.jpg"],
)
def test_only_library_pictures_are_served_from_media(client, path):
    assert client.get(path).status_code == 404


def test_makerenditions_makes_only_what_is_missing(settings, capsys):
    complete, damaged = make_image(), make_image()
    missing = images.rendition_name(damaged.file.name, 480, "webp")
    default_storage.delete(missing)
    complete_files = [complete.file.name] + [
        images.rendition_name(complete.file.name, width, extension)
        for width in complete.picture.widths
        for extension in ("webp", "jpg")
    ]
    before = {
        name: (Path(settings.MEDIA_ROOT) / name).stat().st_mtime_ns for name in complete_files
    }

    call_command("makerenditions", "--dry-run")
    assert not default_storage.exists(missing)
    assert capsys.readouterr().out == "Would make renditions for 1 picture.\n"

    call_command("makerenditions", verbosity=0)

    assert default_storage.exists(missing)
    assert before == {
        name: (Path(settings.MEDIA_ROOT) / name).stat().st_mtime_ns for name in before
    }
    assert capsys.readouterr().out == ""
