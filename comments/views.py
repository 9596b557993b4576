import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from articles.views import article_page_context
from comments import moderation, reports, session, subscriptions, throttle
from comments.conversation import comment_location
from comments.forms import SURROGATES, CommentForm, ReportForm
from comments.models import Comment, DiscussionSettings
from comments.services import DuplicateComment, client_ip, submit_comment
from newsroom import cross_origin
from newsroom.http_cache import public_page
from newsroom.waits import wait_in_words

logger = logging.getLogger(__name__)

# What a database that is down, locked past its busy timeout or read-only raises.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@csrf_exempt  # the form carries no per-reader token, so that caches may keep the page
@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """Take a reader's comment; on success redirect to it (POST/redirect/GET).

    Anything refused shows the article again with the reader's text kept and the reason
    beside the field or above the form: 400 for the form, 403 for a post from another
    site's page, 429 for too many comments, 409 for a duplicate. When the database fails,
    503 with the text kept on a page of its own, as the article cannot be read.
    """
    try:
        return _take_comment(request, article_id)
    except DATABASE_DOWN:
        logger.exception("A comment on article %s was not stored: the database failed.", article_id)
        return _post_failed(request, article_id)


def _take_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().for_article_page(), pk=article_id)
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

    form = CommentForm(article, discussion, data=request.POST, poster=request.user)
    if not form.is_valid():
        return _form_again(request, article, form, discussion, status=400)

    ip, email = client_ip(request.META), form.cleaned_data["email"]
    wait = None if moderation.is_moderator(request.user) else throttle.retry_after(ip, email)
    if wait:
        message = _(
            "You are posting comments too quickly. Your comment is below: post it again %(wait)s."
        ) % {"wait": wait_in_words(wait)}
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
            user=request.user,
        )
    except DuplicateComment:
        message = _("You have already posted this comment here; it was not posted twice.")
        form.add_error(None, ValidationError(message, code="duplicate"))
        return _form_again(request, article, form, discussion, status=409)

    throttle.record(ip, email)
    session.remember_comment(request, comment, save_details=form.cleaned_data["save_details"])
    asked = form.cleaned_data.get("notify") and subscriptions.awaits_confirmation(
        comment.author_email, article.pk
    )
    session.remember_follow_up_asked(request, comment.author_email if asked else "")
    return HttpResponseRedirect(comment_location(request, comment, discussion))


@require_GET
def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's lasting address: to its article, on the page of comments that holds it.

    A comment this reader may not see answers exactly as one that does not exist: editors
    see every comment; everyone else approved ones on public articles, and their own
    comments still awaiting a decision, as the article page shows them.
    """
    comment = get_object_or_404(_comments_seen_by(request).select_related("article"), pk=comment_id)
    return redirect(comment_location(request, comment))


def _comments_seen_by(request: HttpRequest):
    user = request.user
    if user.has_perm("comments.change_comment") or user.has_perm("comments.view_comment"):
        comments = Comment.objects.all()
    else:
        comments = Comment.objects.visible_to_poster(session.own_comment_ids(request))
    if user.has_perm("articles.view_article"):
        return comments
    return comments.filter(article__in=Article.objects.published())


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


def _post_failed(request: HttpRequest, article_id: int) -> HttpResponse:
    """The form again with the reader's text, on a page that needs no database: posted
    again, it is the same post (its hidden fields too)."""
    typed = {
        name: SURROGATES.sub("\ufffd", request.POST[name])
        for name in CommentForm.base_fields
        if request.POST.get(name)
    }
    # The article cannot be read: its id is all the form needs, to post to it again.
    form = CommentForm(Article(pk=article_id), DiscussionSettings(), initial=typed)
    section = {
        "form": form,
        "page_url": "",
        "anonymise_days": settings.NEWSROOM_ANONYMISE_DAYS,
        "purge_days": settings.NEWSROOM_PURGE_DAYS,
    }
    context = {"section": section, "wait": wait_in_words(RETRY_AFTER_SECONDS)}
    response = render(request, "comments/post_failed.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_exempt  # as the comment form: the page is the same for everyone, so caches keep it
@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Report an approved comment to the editors: the form (one page for every reader,
    cached with the article), then a private thank-you.

    A comment readers cannot see answers as one that does not exist. Anything refused shows
    the form again with the reader's choice and note kept and the reason above it: 400 for
    the form, 403 for a post from another site's page, 429 for too many reports.
    """
    comment = get_object_or_404(reports.reportable().select_related("article"), pk=comment_id)
    if request.method == "POST":
        return _take_report(request, comment)
    response = render(request, "comments/report_form.html", _report_context(comment))
    response["X-Robots-Tag"] = "noindex"  # a form, not something to find in a search engine
    return public_page(response, comment.article.cache_keys)


def _take_report(request: HttpRequest, comment: Comment) -> HttpResponse:
    form = ReportForm(comment, data=request.POST)
    if cross_origin.is_cross_origin(request):
        form.is_valid()  # the reader's choice and note come back, with any other mistake
        message = _(
            "Your report was not sent: it came from a page on another site. If you meant to "
            "report this comment, send it again from here."
        )
        form.add_error(None, ValidationError(message, code="cross_origin"))
        return _report_form_again(request, comment, form, status=403)
    if not form.is_valid():
        return _report_form_again(request, comment, form, status=400)

    reader = reports.Reader.of(request)
    if reports.has_reported(comment, reader):
        return _report_received(request, comment, already=True)
    if not moderation.is_moderator(request.user):
        wait = throttle.retry_after(reader.ip, "", counts=throttle.REPORTS)
        if wait:
            message = _(
                "You are sending reports too quickly. Your report is below: send it again %(wait)s."
            ) % {"wait": wait_in_words(wait)}
            form.add_error(None, ValidationError(message, code="flood"))
            response = _report_form_again(request, comment, form, status=429)
            response["Retry-After"] = str(wait)
            return response
    try:
        reports.report_comment(
            comment=comment,
            reader=reader,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            discussion=moderation.rules(),
        )
    except reports.AlreadyReported:  # the same report, sent twice at the same moment
        return _report_received(request, comment, already=True)
    throttle.record(reader.ip, "", counts=throttle.REPORTS)
    return _report_received(request, comment, already=False)


def _report_context(comment: Comment, form: ReportForm | None = None) -> dict:
    return {
        "comment": comment,
        "article": comment.article,
        "form": form or ReportForm(comment),
        "comment_url": comment.get_absolute_url(),
        "anonymise_days": settings.NEWSROOM_ANONYMISE_DAYS,
    }


def _report_form_again(
    request: HttpRequest, comment: Comment, form: ReportForm, status: int
) -> HttpResponse:
    context = _report_context(comment, form)
    response = render(request, "comments/report_form.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _report_received(request: HttpRequest, comment: Comment, *, already: bool) -> HttpResponse:
    """The thank-you page: this reader's, never kept by a cache."""
    context = {**_report_context(comment), "already": already}
    response = render(request, "comments/report_sent.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response
