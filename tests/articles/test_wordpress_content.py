"""A WordPress post's content converted once, at import: what WordPress did each time it
showed the post is done once, and whatever is dropped is said for the editors' report."""

import pytest

from articles.wordpress.autop import wpautop
from articles.wordpress.content import convert_post_content

# Posts of the export (/work/shared/wordpress/newsroom-archive.xml), verbatim.
# Post 12, "Seoul weighs asylum for captured soldiers": the classic editor.
CLASSIC = """Analysts in Seoul said the announcement was timed to coincide with the summit.

Prices for bread and fuel rose by more than a fifth over the month, official data show.
A line break inside the same paragraph.

[caption id="attachment_11" align="alignright" width="300"]<img class="size-medium wp-image-11" src="http://127.0.0.1:8081/wp-content/uploads/2026/11/Photo-3-a-300x188.jpg" alt="A checkpoint with two soldiers and a barrier" width="300" height="200" /> Soldiers at a checkpoint near the border, 2023.[/caption]

<em>Additional reporting</em> by the <strong>foreign desk</strong>. <a href="https://example.org/report.pdf">Read the full report</a>.

[gallery ids="11"]

https://www.youtube.com/watch?v=dQw4w9WgXcQ
"""  # noqa: E501
# Post 9, "Talks on prisoner exchange stall for a third day": the block editor (abridged to
# its first blocks, its heading and quote, verbatim).
BLOCKS = """<!-- wp:paragraph -->
<p>Prices for bread and fuel rose by more than a fifth over the month, official data show. “We are not going to trade people like goods,” a senior diplomat said, speaking on condition of anonymity.</p>
<!-- /wp:paragraph -->

<!-- wp:image {"id":8,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="http://127.0.0.1:8081/wp-content/uploads/2026/11/Photo-1-a-1024x640.jpg" alt="A checkpoint with two soldiers and a barrier" class="wp-image-8"/><figcaption class="wp-element-caption">Soldiers at a checkpoint near the border, 2023.</figcaption></figure>
<!-- /wp:image -->

<!-- wp:heading -->
<h2 class="wp-block-heading">What happens next</h2>
<!-- /wp:heading -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>“Nobody should be returned to face punishment.”</p>
<!-- /wp:paragraph --><cite>A UN spokesperson</cite></blockquote>
<!-- /wp:quote -->
"""  # noqa: E501
# Post 16, "Bread and fuel prices climb by a fifth": hostile markup an editor pasted.
HOSTILE = """<p>Editor's test of hostile markup.</p>
<script>alert('post-xss')</script>
<p><img src="x" onerror="alert('onerror')"> and <a href="javascript:alert('href')">a javascript link</a></p>
<iframe src="https://evil.example/"></iframe>
<p style="position:fixed;top:0">Styled paragraph.</p>"""  # noqa: E501

UPLOADS = "http://127.0.0.1:8081/wp-content/uploads/2026/11/"


class Library:
    """The import's lookup: WordPress attachment 8 is our picture 108, 11 is 111; it knows
    the originals' addresses only."""

    def __init__(self, by_id=None, by_url=None):
        self.ids = {8: 108, 11: 111} if by_id is None else by_id
        self.urls = {UPLOADS + "Photo-1-a.jpg": 108} if by_url is None else by_url
        self.asked_urls = []

    def by_wp_id(self, wp_id):
        return self.ids.get(wp_id)

    def by_url(self, url):
        self.asked_urls.append(url)
        return self.urls.get(url)


def test_a_classic_post_gets_wordpress_paragraphs_and_line_breaks():
    html = convert_post_content(CLASSIC, Library()).html

    assert html.startswith(
        "<p>Analysts in Seoul said the announcement was timed to coincide with the summit.</p>\n"
        "<p>Prices for bread and fuel rose by more than a fifth over the month, official data "
        "show.<br>\nA line break inside the same paragraph.</p>"
    )
    assert (
        "<p><em>Additional reporting</em> by the <strong>foreign desk</strong>. "
        '<a href="https://example.org/report.pdf" rel="noopener noreferrer nofollow">'
        "Read the full report</a>.</p>"
    ) in html


def test_a_caption_becomes_a_figure_of_our_library_picture_with_its_caption():
    converted = convert_post_content(CLASSIC, Library())

    assert (
        '<figure><img src="image:111" alt="A checkpoint with two soldiers and a barrier">'
        "<figcaption>Soldiers at a checkpoint near the border, 2023.</figcaption></figure>"
    ) in converted.html
    assert "[caption" not in converted.html
    assert "<p><figure>" not in converted.html
    assert converted.image_ids == {111}


def test_a_gallery_becomes_ours_and_a_bare_url_a_link_not_a_player():
    converted = convert_post_content(CLASSIC, Library())

    assert '<div class="gallery"><img src="image:111" alt=""></div>' in converted.html
    assert (
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" '
        'rel="noopener noreferrer nofollow">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>'
    ) in converted.html
    assert "<iframe" not in converted.html
    assert converted.notes == []


def test_a_block_post_loses_its_markers_and_keeps_its_markup_without_extra_paragraphs():
    converted = convert_post_content(BLOCKS, Library())

    assert "wp:" not in converted.html
    assert "<!--" not in converted.html
    assert (
        '<figure><img src="image:108" alt="A checkpoint with two soldiers and a barrier">'
        "<figcaption>Soldiers at a checkpoint near the border, 2023.</figcaption></figure>"
    ) in converted.html
    assert "<h2>What happens next</h2>" in converted.html
    assert "<cite>A UN spokesperson</cite></blockquote>" in converted.html
    assert "<br>" not in converted.html  # no wpautop: the blocks have their paragraphs
    assert "\n\n" not in converted.html
    assert "wp-block" not in converted.html
    assert converted.image_ids == {108}


def test_a_resized_copy_is_found_by_its_originals_address():
    library = Library(by_id={})

    converted = convert_post_content(BLOCKS, library)

    assert converted.image_ids == {108}
    assert library.asked_urls == [
        UPLOADS + "Photo-1-a-1024x640.jpg",
        UPLOADS + "Photo-1-a.jpg",
    ]


def test_the_hostile_post_is_inert_and_the_report_says_what_went():
    converted = convert_post_content(HOSTILE, Library())

    html = converted.html.lower()
    for left in ["<script", "alert(", "onerror", "javascript:", "<iframe", "evil.", "style="]:
        assert left not in html
    assert "<p>styled paragraph.</p>" in html
    assert "<p></p>" not in html
    assert converted.notes == [
        "<script> removed",
        "onerror handler removed",
        "javascript: link removed",
        "<iframe> removed (https://evil.example/)",
        "inline styles removed",
    ]


def test_gallery_pictures_not_in_the_export_are_left_out_with_a_note():
    converted = convert_post_content('[gallery ids="11,0,404"]', Library())

    assert converted.html == '<div class="gallery"><img src="image:111" alt=""></div>'
    assert converted.notes == [
        "[gallery] picture 0 is not in the export: left out",
        "[gallery] picture 404 is not in the export: left out",
    ]


def test_a_gallery_with_no_picture_in_the_export_is_nothing_but_a_note():
    converted = convert_post_content('Before.\n\n[gallery ids="404"]\n\nAfter.', Library())

    assert converted.html == "<p>Before.</p>\n<p>After.</p>"
    assert "a [gallery] with none of its pictures in the export was removed" in converted.notes


def test_embeds_become_links_whatever_way_the_post_wrote_them():
    block_embed = (
        '<!-- wp:embed {"url":"https://vimeo.com/1"} -->\n<figure class="wp-block-embed '
        'is-type-video"><div class="wp-block-embed__wrapper">\nhttps://vimeo.com/1\n</div>'
        "</figure>\n<!-- /wp:embed -->"
    )
    for raw, url in [
        ("[embed]https://youtu.be/abc[/embed]", "https://youtu.be/abc"),
        (block_embed, "https://vimeo.com/1"),
        ("Text.\n\nhttps://example.org/video\n\nMore.", "https://example.org/video"),
    ]:
        html = convert_post_content(raw, Library()).html

        assert f'<p><a href="{url}" rel="noopener noreferrer nofollow">{url}</a></p>' in html


def test_players_and_unknown_shortcodes_go_with_a_note_and_bracketed_words_stay():
    converted = convert_post_content(
        'A [sic] and [1].\n\n[video src="https://example.org/v.mp4"]\n\n[audio]\n\n'
        '[contact-form-7 id="5" title="Contact"]\n\n[[gallery]]',
        Library(),
    )

    assert "A [sic] and [1]." in converted.html
    assert '<a href="https://example.org/v.mp4"' in converted.html
    assert "contact-form" not in converted.html
    assert "[gallery]" in converted.html  # written [[gallery]]: WordPress shows it as text
    assert converted.notes == [
        "a [video] player was replaced by a link to its file",
        "a [audio] player was removed",
        "a [contact-form-7] shortcode was removed",
    ]


def test_a_picture_not_in_the_export_is_left_for_the_page_to_link_with_a_note():
    converted = convert_post_content(
        f'<p><img class="wp-image-99" src="{UPLOADS}Gone.jpg" alt="Gone"></p>', Library()
    )

    assert f'src="{UPLOADS}Gone.jpg"' in converted.html
    assert converted.image_ids == set()
    assert converted.notes == [f"picture {UPLOADS}Gone.jpg is not in the export: left as a link"]


def test_a_caption_whose_picture_is_not_in_the_export_keeps_its_words_and_says_so_once():
    converted = convert_post_content(
        '[caption id="attachment_99" width="300"]<img class="wp-image-99" '
        f'src="{UPLOADS}Gone-300x200.jpg" alt="Gone" /> Its caption.[/caption]',
        Library(),
    )

    assert "<figcaption>Its caption.</figcaption>" in converted.html
    assert converted.notes == [
        f"picture {UPLOADS}Gone-300x200.jpg is not in the export: left as a link"
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>\n"),
        ("One\nline.", "<p>One<br />\nline.</p>\n"),
        ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"),
        ("<ul>\n<li>x</li>\n</ul>", "<ul>\n<li>x</li>\n</ul>\n"),
        ("<blockquote>q</blockquote>", "<blockquote><p>q</p></blockquote>\n"),
        ("A<br><br>B", "<p>A</p>\n<p>B</p>\n"),
        ("   ", ""),
    ],
)
def test_wpautop_makes_the_paragraphs_wordpress_makes(text, shown):
    assert wpautop(text) == shown
