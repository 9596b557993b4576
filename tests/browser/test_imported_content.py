"""An article and comments imported from WordPress, as a reader's browser shows them: the
hostile markup of the archive reads as text or is gone, nothing of it even tries to run (the
site's Content-Security-Policy would report the attempt), and the pictures are the library's."""

import pytest
from playwright.sync_api import expect

from articles.models import BodyFormat
from comments.models import Comment
from tests.factories import make_article, make_comment, make_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Post 16 of the export and two of its comments, verbatim.
HOSTILE_POST = """<p>Editor's test of hostile markup.</p>
<script>alert('post-xss')</script>
<p><img src="x" onerror="alert('onerror')"> and <a href="javascript:alert('href')">a javascript link</a></p>
<iframe src="https://evil.example/"></iframe>
<p style="position:fixed;top:0">Styled paragraph.</p>"""  # noqa: E501
HOSTILE_COMMENT = "<script>alert('comment-xss')</script>Nice try."
IMAGE_COMMENT = "<img src=x onerror=alert(1)>Look at this"


def test_a_reader_sees_the_imported_article_and_its_comments_and_nothing_runs(new_page):
    picture = make_image(alt_text="A checkpoint with two soldiers and a barrier")
    article = make_article(
        headline="Bread and fuel prices climb by a fifth",
        body_format=BodyFormat.HTML,
        body=HOSTILE_POST
        + f'\n<figure><img src="image:{picture.pk}" alt=""><figcaption>Soldiers at a '
        "checkpoint near the border, 2023.</figcaption></figure>",
    )
    for text in (HOSTILE_COMMENT, IMAGE_COMMENT):
        make_comment(article, text=text, text_format=Comment.TextFormat.HTML)
    make_comment(
        article,
        author_name="Another Site » Weekly roundup",
        author_url="https://another.example/roundup/",
        text="[…] as reported here, the talks […]",
        kind=Comment.Kind.PINGBACK,
    )

    page = new_page()
    dialogs, console_errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.goto(article.get_absolute_url())

    expect(page.get_by_text("Styled paragraph.")).to_be_visible()
    expect(
        page.get_by_role("img", name="A checkpoint with two soldiers and a barrier")
    ).to_be_visible()
    expect(page.get_by_text("Soldiers at a checkpoint near the border, 2023.")).to_be_visible()
    expect(page.get_by_text(HOSTILE_COMMENT, exact=True)).to_be_visible()
    expect(page.get_by_text(IMAGE_COMMENT, exact=True)).to_be_visible()
    mention = page.get_by_role("heading", name="Mentioned on Another Site » Weekly roundup")
    expect(mention).to_be_visible()
    expect(mention.get_by_role("link")).to_have_attribute(
        "href", "https://another.example/roundup/"
    )
    # The page's own scripts are files; its one inline script is data (JSON-LD).
    inline_code = "iframe, script:not([src]):not([type='application/ld+json'])"
    assert page.locator(inline_code).count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [style]').length") == 0
    page.wait_for_timeout(300)  # a script would have run by now
    assert dialogs == []
    assert [error for error in console_errors if "Content Security Policy" in error] == []
