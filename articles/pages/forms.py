from django import forms
from django.conf import settings
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from articles.pages.models import FooterLink


class PageForm(FlatpageForm):
    """A page of this site: its address, title and Markdown text, and its place in the footer.

    Django's flat page form, for the one site (``SITE_ID``): no sites, templates or sign-in
    to choose; an address another page of the site already answers is refused.
    """

    in_footer = forms.BooleanField(
        label=_("Show in the footer"),
        required=False,
        help_text=_("Listed at the foot of every page of the site."),
    )
    footer_position = forms.IntegerField(
        label=_("Position in the footer"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Lower numbers come first; pages at the same position by title."),
    )

    class Meta:
        model = FlatPage
        fields = ["url", "title", "content"]
        help_texts = {
            "content": _(
                "Markdown, as in articles: a blank line between paragraphs, ## for a "
                "subheading, [text](https://…) for a link, [text](mailto:…) for an email "
                "address. HTML is shown as typed, never run."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link = FooterLink.objects.filter(page_id=self.instance.pk).first()
        if link is not None:
            self.initial.setdefault("in_footer", True)
            self.initial.setdefault("footer_position", link.position)

    def clean_url(self) -> str:
        url = super().clean_url()
        try:
            match = resolve(url)
        except Resolver404:
            match = None
        if match is None or match.view_name != "pages:page":
            raise ValidationError(
                _("%(url)s is the address of another part of the site; choose another."),
                code="taken_by_the_site",
                params={"url": url},
            )
        same_url = FlatPage.objects.filter(url=url, sites=settings.SITE_ID)
        if same_url.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another page already has the address %(url)s."),
                code="duplicate_url",
                params={"url": url},
            )
        return url

    @property
    def footer_position_chosen(self) -> int | None:
        if not self.cleaned_data.get("in_footer"):
            return None
        return self.cleaned_data["footer_position"]
