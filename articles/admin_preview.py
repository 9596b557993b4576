"""The article form's preview: the unsaved headline, standfirst, dateline and body, rendered
by the site's own renderer (``Article.body_html``, the article page's) and styled by the
site's stylesheet.

The form's script posts the fields here as the editor types and shows the answer's article
in a panel beside the body (``?partial=1``: the article alone); without JavaScript the
"Preview in a new tab" button in the submit row posts the whole form here. On an existing
article's form the address names it (``?article=<pk>``): the preview is that article with
the typed fields in place of its saved ones, so a renderer that needs the article itself
(its images, say) has it, and an article imported from WordPress is previewed in its own
format, HTML (``Article.body_format``). Nothing is saved.

Staff who may add articles (a new one) or change this one, with the form's CSRF token;
nobody keeps the answer (the admin's ``never_cache``: ``private, no-store``). Each preview
passes through the renderer's per-worker memory of recent texts (``articles/bodies.py``),
as a page view does; the body's length is capped at ``writing.PREVIEW_MAX_CHARS``.
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import writing
from articles.models import Article

PREVIEWED_FIELDS = ["headline", "standfirst", "dateline", "body"]


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view(partial(preview_view, model_admin=model_admin))
    return [path("preview/", view, name="articles_article_preview")]


@require_POST
def preview_view(request: HttpRequest, model_admin) -> HttpResponse:
    article = _article_to_preview(request, model_admin)
    # The form's script asks for the article alone; the Preview button, for a whole page.
    partial_page = bool(request.GET.get("partial"))
    template = "articles/_article_preview.html" if partial_page else "articles/article_preview.html"
    # As the form would save them: its fields strip surrounding whitespace.
    fields = {name: request.POST.get(name, "").strip() for name in PREVIEWED_FIELDS}
    length = len(fields["body"])
    if length > writing.PREVIEW_MAX_CHARS:
        error = _(
            "This body is too long to preview: %(length)s characters, the limit is %(limit)s. "
            "Nothing was lost: it is still in the form, and saving it works as before."
        ) % {"length": f"{length:,}", "limit": f"{writing.PREVIEW_MAX_CHARS:,}"}
        return TemplateResponse(request, template, {"error": error}, status=413)
    for name, value in fields.items():
        setattr(article, name, value)
    return TemplateResponse(request, template, {"article": article})


def _article_to_preview(request: HttpRequest, model_admin) -> Article:
    """The article being edited (``?article=<pk>``), or a new one; refused unless the editor
    may change that one, or add one."""
    pk = request.GET.get("article")
    if not pk:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return Article()
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    article = model_admin.get_object(request, pk)
    if article is None:
        raise Http404(_("No article with that id."))
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article
