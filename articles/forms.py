"""The article form editors write in (``ArticleAdmin.form``).

The widgets carry the numbers an editor writes against (``articles/writing.py``) as data
attributes; ``static/js/article-writing.js`` reads them to count characters and words, adds
the body's formatting toolbar and its live preview. Without JavaScript the fields are plain
ones (the body a tall box) and the Preview button in the submit row opens the preview.
"""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget, AdminTextInputWidget
from django.utils.translation import gettext_lazy as _

from articles.models import Article, BodyFormat
from articles.writing import (
    DESCRIPTION_SHOWN_CHARS,
    HEADLINE_SHOWN_CHARS,
    PREVIEW_MAX_CHARS,
    WORDS_PER_MINUTE,
)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        # The fields it dresses; the admin's fieldsets choose the fields the form shows.
        fields = ["headline", "standfirst", "dateline", "body"]
        widgets = {
            "headline": AdminTextInputWidget(attrs={"data-shown-chars": HEADLINE_SHOWN_CHARS}),
            "standfirst": AdminTextareaWidget(
                attrs={"rows": 3, "data-shown-chars": DESCRIPTION_SHOWN_CHARS}
            ),
            "body": AdminTextareaWidget(
                attrs={
                    "rows": 24,
                    "class": "vLargeTextField body-editor-text",
                    "data-body-editor": "",
                    "data-words-per-minute": WORDS_PER_MINUTE,
                    "data-preview-max-chars": PREVIEW_MAX_CHARS,
                }
            ),
        }

    class Media:
        css = {"all": ["css/article-writing.css"]}
        js = ["js/article-writing.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.body_format == BodyFormat.HTML and "body" in self.fields:
            self.fields["body"].help_text = _(
                "HTML, as imported from WordPress: <p> for paragraphs, <a href> for links, "
                '<img src="image:42" alt="…"> for picture 42 of the image library. Scripts, '
                "frames, styles and other markup outside the site's list are removed when the "
                "article is shown (articles/html_body.py); nothing typed here ever runs."
            )
