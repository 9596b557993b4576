"""The article form's preview: the unsaved headline, standfirst, dateline and body, rendered
by the site's own renderer (``Article.body_html``, the article page's) and styled by the
site's stylesheet.

The form's script posts the fields here as the editor types and shows the answer's article
in a panel beside the body (``?partial=1``: the article alone); without JavaScript the
Preview button in the submit row posts the whole form here and the page opens in a new tab.
Staff who may add or change articles only, with the form's CSRF token; nothing is saved and
nobody keeps the answer (the admin's ``never_cache``: ``private, no-store``).
"""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
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
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    # As the form would save them: its fields strip surrounding whitespace.
    fields = {name: request.POST.get(name, "").strip() for name in PREVIEWED_FIELDS}
    # The form's script asks for the article alone; the Preview button, for a whole page.
    partial_page = bool(request.GET.get("partial"))
    template = "articles/_article_preview.html" if partial_page else "articles/article_preview.html"
    length = len(fields["body"])
    if length > writing.PREVIEW_MAX_CHARS:
        error = _(
            "This body is too long to preview: %(length)s characters, the limit is %(limit)s. "
            "Nothing was lost: it is still in the form, and saving it works as before."
        ) % {"length": f"{length:,}", "limit": f"{writing.PREVIEW_MAX_CHARS:,}"}
        return TemplateResponse(request, template, {"error": error}, status=413)
    article = Article(**fields)
    return TemplateResponse(request, template, {"article": article})
