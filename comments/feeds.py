from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
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
        # As the page shows it: a reader's HTML is text; an imported comment keeps the tags
        # WordPress allowed commenters (Comment.text_html).
        return comment.text_html

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment):
        return comment.submitted_at
