"""Comments imported from WordPress: the tags WordPress allowed commenters are kept, any
other markup reads as typed, and another site's pingback or trackback is shown as a mention
of the article."""

import re
from html import unescape

import pytest
from django.urls import reverse

from comments.markup import commenter_html
from comments.models import Comment
from tests.factories import make_comment

# Comment texts of the export (/work/shared/wordpress/newsroom-archive.xml), verbatim.
SCRIPT = "<script>alert('comment-xss')</script>Nice try."
IMAGE = "<img src=x onerror=alert(1)>Look at this"
CODE = "Use <code>&lt;b&gt;</code> tags, they said."
EMPHASIS = "I <em>strongly</em> agree with the <strong>second</strong> point."
LINK = 'See <a href="https://example.org/analysis">this analysis</a>.'
BREAK = "Line one<br>Line two"
PINGBACK = "[…] as reported here, the talks […]"


def test_markup_wordpress_did_not_allow_reads_exactly_as_typed():
    assert commenter_html(SCRIPT) == (
        "<p>&lt;script&gt;alert('comment-xss')&lt;/script&gt;Nice try.</p>\n"
    )
    assert commenter_html(IMAGE) == "<p>&lt;img src=x onerror=alert(1)&gt;Look at this</p>\n"


def test_the_tags_wordpress_allowed_commenters_are_kept():
    assert commenter_html(EMPHASIS) == (
        "<p>I <em>strongly</em> agree with the <strong>second</strong> point.</p>\n"
    )
    assert commenter_html(
        '<b>b</b> <i>i</i> <s>s</s> <strike>x</strike> <del datetime="2023-01-01">d</del> '
        '<abbr title="Red Cross">ICRC</abbr> <acronym title="t">A</acronym> <cite>c</cite> '
        '<q cite="https://example.org/">q</q>'
    ) == (
        '<p><b>b</b> <i>i</i> <s>s</s> <strike>x</strike> <del datetime="2023-01-01">d</del> '
        '<abbr title="Red Cross">ICRC</abbr> <acronym title="t">A</acronym> <cite>c</cite> '
        '<q cite="https://example.org/">q</q></p>\n'
    )


def test_entities_stay_entities_so_code_shows_the_tag_it_names():
    assert commenter_html(CODE) == "<p>Use <code>&lt;b&gt;</code> tags, they said.</p>\n"
    assert commenter_html("AT&T &amp; a < b") == "<p>AT&amp;T &amp; a &lt; b</p>\n"


def test_a_readers_link_is_marked_as_a_readers_and_only_a_web_or_mail_address_links():
    assert commenter_html(LINK) == (
        '<p>See <a href="https://example.org/analysis" rel="nofollow ugc noopener">'
        "this analysis</a>.</p>\n"
    )
    shown = commenter_html(
        '<a href="javascript:alert(1)" onclick="x" title="t">one</a> '
        '<a href=" JAVASCRIPT:alert(1)">two</a> <a href="mailto:a@example.org">three</a> '
        '<blockquote cite="javascript:alert(1)">four</blockquote>'
    )
    assert "javascript" not in shown.lower()
    assert "onclick" not in shown
    assert '<a title="t" rel="nofollow ugc noopener">one</a>' in shown
    assert '<a href="mailto:a@example.org" rel="nofollow ugc noopener">three</a>' in shown
    assert "<blockquote><p>four</p></blockquote>" in shown


def test_a_web_address_in_the_text_is_a_link_as_wordpress_made_it_and_its_full_stop_is_not():
    assert commenter_html("Source: https://example.org/report_(final). Read it.") == (
        '<p>Source: <a href="https://example.org/report_(final)" rel="nofollow ugc noopener">'
        "https://example.org/report_(final)</a>. Read it.</p>\n"
    )
    # One already linked is not linked again; other schemes stay text.
    assert commenter_html('<a href="https://a.example/">https://a.example/</a>') == (
        '<p><a href="https://a.example/" rel="nofollow ugc noopener">https://a.example/</a></p>\n'
    )
    assert commenter_html("javascript:alert(1)") == "<p>javascript:alert(1)</p>\n"


def test_line_breaks_are_paragraphs_and_breaks_as_wordpress_shows_comments():
    assert commenter_html(BREAK) == "<p>Line one<br>Line two</p>\n"
    assert commenter_html("First.\n\nSecond,\nand more.") == (
        "<p>First.</p>\n<p>Second,<br>\nand more.</p>\n"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "<div onmouseover=alert(1)>x</div>",
        "<a href='https://example.org/' style='position:fixed'>x</a>",
        "<!-- <script>alert(1)</script> -->",
        "<svg/onload=alert(1)>",
        "<b onclick=alert(1)>x</b>",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<q cite="jav&#x0A;ascript:alert(1)">x</q>',
        "<<script>script>alert(1)<</script>/script>",
        "<a href=https://example.org/ <script>alert(1)</script>>x</a>",
    ],
)
def test_no_comment_markup_runs_whatever_its_spelling(hostile):
    shown = commenter_html(hostile)

    for tag, attributes in re.findall(r"<(/?\w+)([^>]*)>", shown):
        assert tag.lstrip("/") in {"p", "br", "a", "b", "q"}, tag
        read = re.sub(r"\s", "", unescape(attributes)).lower()  # as a browser reads it
        assert not re.search(r"\bon\w+|style|javascript", read), attributes


# Comment.text_html


@pytest.mark.django_db
def test_a_comment_posted_here_is_plain_text_as_before(article):
    comment = make_comment(article, text="<em>Not</em> markup.\n\nSecond & last.")

    assert comment.text_html == (
        "<p>&lt;em&gt;Not&lt;/em&gt; markup.</p>\n\n<p>Second &amp; last.</p>"
    )


# On the page


def imported(article, text: str, **fields) -> Comment:
    return make_comment(article, text=text, text_format=Comment.TextFormat.HTML, **fields)


def page_of(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_article_page_shows_imported_comments_inert_with_their_allowed_markup(client, article):
    imported(article, SCRIPT)
    imported(article, IMAGE)
    imported(article, EMPHASIS)

    page = page_of(client, article)

    assert "alert('comment-xss')" not in page.replace("&lt;script&gt;alert('comment-xss')", "")
    assert "&lt;script&gt;alert('comment-xss')&lt;/script&gt;Nice try." in page
    assert "&lt;img src=x onerror=alert(1)&gt;Look at this" in page
    assert "<em>strongly</em>" in page
    assert "<img src=x" not in page


@pytest.mark.django_db
def test_a_pingback_is_a_mention_of_the_article_without_a_reply_link(client, article):
    make_comment(article, author_name="Reader", text="A reader's comment.")
    make_comment(
        article,
        author_name="Another Site » Weekly roundup",
        author_url="https://another.example/weekly-roundup/",
        text=PINGBACK,
        kind=Comment.Kind.PINGBACK,
    )

    page = page_of(client, article)

    mention = page[page.index('class="comment mention') :].split("</li>", 1)[0]
    assert (
        'Mentioned on <a href="https://another.example/weekly-roundup/" rel="nofollow ugc" '
        'class="url"><bdi>Another Site » Weekly roundup</bdi></a>'
    ) in mention
    assert "[…] as reported here, the talks […]" in mention
    assert "comment-reply-link" not in mention
    assert page.count('class="comment-reply-link"') == 1  # the reader's comment's


@pytest.mark.django_db
def test_a_trackback_without_a_web_address_is_a_mention_without_a_link(client, article):
    make_comment(
        article, author_name="A blog", author_url="", text="Excerpt.", kind=Comment.Kind.TRACKBACK
    )

    page = page_of(client, article)

    assert "Mentioned on <bdi>A blog</bdi>" in page


@pytest.mark.django_db
def test_a_comment_changing_its_format_is_shown_again(client, article):
    comment = make_comment(article, text=EMPHASIS)
    assert "&lt;em&gt;strongly&lt;/em&gt;" in page_of(client, article)

    Comment.objects.filter(pk=comment.pk).update(text_format=Comment.TextFormat.HTML)

    assert "<em>strongly</em>" in page_of(client, article)


@pytest.mark.django_db
def test_the_report_form_quotes_an_imported_comment_inert(client, article):
    comment = imported(article, SCRIPT + "\n\n" + EMPHASIS)

    page = client.get(reverse("comments:report", args=[comment.pk])).content.decode()

    quote = page[page.index('class="report-quote"') :].split("</blockquote>", 1)[0]
    assert "<p>&lt;script&gt;alert('comment-xss')&lt;/script&gt;Nice try.</p>" in quote
    assert "<em>strongly</em>" in quote


@pytest.mark.django_db
def test_the_admin_comment_card_shows_an_imported_comment_inert_and_cut_short(
    editor_client, article
):
    comment = imported(article, SCRIPT + " <strong>" + "Long words. " * 80 + "</strong>")

    page = editor_client.get(
        reverse("admin:comments_comment_moderate", args=[comment.pk, "trash"])
    ).content.decode()

    card = page[page.index('class="moderated-comment-text"') :].split("</blockquote>", 1)[0]
    assert "&lt;script&gt;alert(&#x27;comment-xss&#x27;)&lt;/script&gt;Nice try." in card
    assert "<script" not in card
    assert "<strong>Long words." in card
    assert "…</strong></p>" in card
    assert len(card) < 800


@pytest.mark.django_db
def test_the_comments_feed_shows_imported_comments_as_the_page_does(client, article):
    imported(article, SCRIPT + "\n\n" + EMPHASIS)
    make_comment(article, text="<em>Typed here</em>")

    feed = client.get(reverse("comments:feed", args=[article.slug])).content.decode()

    # Escaped once more inside the feed's XML.
    assert "&lt;p&gt;&amp;lt;script&amp;gt;alert('comment-xss')" in feed
    assert "&lt;em&gt;strongly&lt;/em&gt;" in feed
    assert "&amp;lt;em&amp;gt;Typed here&amp;lt;/em&amp;gt;" in feed
