from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article


class LatestArticlesFeed(Feed):
    """The latest published articles, as Atom."""

    feed_type = Atom1Feed
    link = reverse_lazy("articles:list")

    def title(self) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: latest articles"

    def subtitle(self) -> str:
        return f"The latest news from {settings.NEWSROOM_SITE_NAME}."

    def items(self):
        return Article.objects.published().select_related("section", "byline")[:20]

    def item_title(self, article: Article) -> str:
        return article.headline

    def item_description(self, article: Article) -> str:
        return article.standfirst or article.body_html

    def item_author_name(self, article: Article) -> str:
        return article.byline.name

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_categories(self, article: Article) -> list[str]:
        return [article.section.name]
