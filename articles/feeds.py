from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, Section, Tag


class LatestArticlesFeed(Feed):
    """The latest published articles, as Atom."""

    feed_type = Atom1Feed
    link = reverse_lazy("articles:list")

    def title(self) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: latest articles"

    def subtitle(self) -> str:
        return f"The latest news from {settings.NEWSROOM_SITE_NAME}."

    def items(self, obj=None):
        return self.articles(obj).select_related("section", "byline").prefetch_related("tags")[:20]

    def articles(self, obj):
        return Article.objects.published()

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
        return [article.section.name, *(tag.name for tag in article.tags.all())]


class SectionFeed(LatestArticlesFeed):
    """The latest published articles in one section, as Atom."""

    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, section: Section) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: {section.name}"

    def subtitle(self, section: Section) -> str:
        return f"The latest {section.name} news from {settings.NEWSROOM_SITE_NAME}."

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def articles(self, section: Section):
        return Article.objects.published().filter(section=section)


class TagFeed(LatestArticlesFeed):
    """The latest published articles with one tag, as Atom."""

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag: Tag) -> str:
        return f"{settings.NEWSROOM_SITE_NAME}: {tag.name}"

    def subtitle(self, tag: Tag) -> str:
        return f"The latest news about {tag.name} from {settings.NEWSROOM_SITE_NAME}."

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def articles(self, tag: Tag):
        return Article.objects.published().filter(tags=tag)
