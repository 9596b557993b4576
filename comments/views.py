from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from articles.models import Article
from comments import moderation, session
from comments.forms import CommentForm
from comments.section import comment_section
from comments.services import submit_comment


@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """Take a reader's comment; on success redirect to it (POST/redirect/GET)."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not moderation.comments_open(article):
        return render(request, "comments/comments_closed.html", {"article": article}, status=403)

    form = CommentForm(article, data=request.POST)
    if not form.is_valid():
        # The article again, the reader's text kept and each error beside its field.
        response = render(
            request,
            "articles/article_detail.html",
            {"article": article, "comment_section": comment_section(request, article, form)},
            status=400,
        )
        patch_cache_control(response, private=True, no_store=True)
        return response

    comment = submit_comment(article=article, data=form.cleaned_data, request_meta=request.META)
    session.remember_comment(request, comment, save_details=form.cleaned_data["save_details"])
    return HttpResponseRedirect(comment.get_absolute_url())
