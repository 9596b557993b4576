from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaks_filter
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from comments.models import Comment
from newsroom.http_cache import public_page


class ArticleCommentsFeed(Feed):
    """An article's approved comments, newest first, as Atom. Never an email address."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        return public_page(response, [request.feed_article.cache_key])

    def get_object(self, request, slug: str) -> Article:
        # Kept on the request for __call__, which names the article to the HTTP cache.
        request.feed_article = get_object_or_404(Article.objects.published(), slug=slug)
        return request.feed_article

    def title(self, article: Article) -> str:
        return f"Comments on: {article.headline}"

    def link(self, article: Article) -> str:
        return f"{article.get_absolute_url()}#comments"

    def subtitle(self, article: Article) -> str:
        return f"Readers' comments on “{article.headline}” in {settings.NEWSROOM_SITE_NAME}."

    def items(self, article: Article):
        return article.comments.approved().select_related("article").order_by("-submitted_at")[:50]

    def item_title(self, comment: Comment) -> str:
        return f"By: {comment.author_name}"

    def item_description(self, comment: Comment) -> str:
        # What the reader typed, as escaped paragraphs: their HTML is text here too.
        return linebreaks_filter(comment.text, autoescape=True)

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment):
        return comment.submitted_at
