"""An article's or a page's body, whatever it is written in: the one place that dispatches on
its format (``BodyFormat``). Markdown for what editors write here (``articles/markdown.py``),
HTML for what was imported from WordPress (``articles/html_body.py``).
"""

from django.db import models
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from articles.html_body import referenced_image_ids_in_html, render_html_body
from articles.images import Picture
from articles.markdown import referenced_image_ids, render_markdown


class BodyFormat(models.TextChoices):
    """What an article's or a page's text is written in (``Article.body_format``,
    ``PageFormat.body_format``)."""

    MARKDOWN = "markdown", _("Markdown")
    # Bodies imported from WordPress keep their HTML, sanitised by an allowlist whenever it
    # is shown (articles/html_body.py): nothing in it ever runs.
    HTML = "html", _("HTML (imported from WordPress)")


def render_body(
    text: str, body_format: str, *, dateline: str = "", pictures: tuple[Picture, ...] = ()
) -> SafeString:
    """``text`` as readers see it. Anything but HTML is Markdown, the format new text has."""
    render = render_html_body if body_format == BodyFormat.HTML else render_markdown
    return render(text, dateline=dateline, pictures=pictures)


def referenced_ids(text: str, body_format: str) -> set[int]:
    """The library pictures ``text`` refers to."""
    if body_format == BodyFormat.HTML:
        return referenced_image_ids_in_html(text)
    return referenced_image_ids(text)
