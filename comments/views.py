from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import article_page_context
from comments import moderation, session, throttle
from comments.conversation import comment_location
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.services import DuplicateComment, client_ip, submit_comment
from newsroom import cross_origin


@csrf_exempt  # the form carries no per-reader token, so that caches may keep the page
@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """Take a reader's comment; on success redirect to it (POST/redirect/GET).

    Anything refused shows the article again with the reader's text kept and the reason
    beside the field or above the form: 400 for the form, 403 for a post from another
    site's page, 429 for too many comments, 409 for a duplicate.
    """
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    discussion = moderation.rules()
    if cross_origin.is_cross_origin(request):
        form = CommentForm(article, discussion, data=request.POST)
        form.is_valid()  # the text comes back to the reader, with any other mistake
        message = _(
            "Your comment was not posted: it was sent from a page on another site. Your text "
            "is below: if you wrote it, post it again from here."
        )
        form.add_error(None, ValidationError(message, code="cross_origin"))
        return _form_again(request, article, form, discussion, status=403)
    if not moderation.comments_open(article, discussion):
        return render(request, "comments/comments_closed.html", {"article": article}, status=403)

    form = CommentForm(article, discussion, data=request.POST)
    if not form.is_valid():
        return _form_again(request, article, form, discussion, status=400)

    ip, email = client_ip(request.META), form.cleaned_data["email"]
    wait = None if moderation.is_moderator(request.user) else throttle.retry_after(ip, email)
    if wait:
        message = _(
            "You are posting comments too quickly. Your comment is below: post it again in "
            "%(seconds)d seconds."
        ) % {"seconds": wait}
        form.add_error(None, ValidationError(message, code="flood"))
        response = _form_again(request, article, form, discussion, status=429)
        response["Retry-After"] = str(wait)
        return response

    try:
        comment = submit_comment(
            article=article,
            data=form.cleaned_data,
            request_meta=request.META,
            discussion=discussion,
        )
    except DuplicateComment:
        message = _("You have already posted this comment here; it was not posted twice.")
        form.add_error(None, ValidationError(message, code="duplicate"))
        return _form_again(request, article, form, discussion, status=409)

    throttle.record(ip, email)
    session.remember_comment(request, comment, save_details=form.cleaned_data["save_details"])
    return HttpResponseRedirect(comment_location(request, comment, discussion))


@require_GET
def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's lasting address: to its article, on the page of comments that holds it."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    article = comment.article
    if not (article.is_public or request.user.has_perm("articles.view_article")):
        raise Http404
    return redirect(comment_location(request, comment))


def _form_again(
    request: HttpRequest,
    article: Article,
    form: CommentForm,
    discussion: DiscussionSettings,
    status: int,
):
    """The article again, the reader's text kept and each error beside its field."""
    context = article_page_context(request, article, form, discussion)
    response = render(request, "articles/article_detail.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response
