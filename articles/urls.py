from django.urls import path

import newsroom.converters  # noqa: F401 (registers unicode_slug)
from articles import views
from articles.feeds import LatestArticlesFeed, SectionFeed, TagFeed
from articles.models import ARTICLE_INDEX
from newsroom.http_cache import public

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed/", public([ARTICLE_INDEX])(LatestArticlesFeed()), name="feed"),
    path("articles/<unicode_slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<unicode_slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    # Any change to an article, a section or a tag purges ARTICLE_INDEX (or every page).
    path(
        "sections/<unicode_slug:slug>/feed/",
        public([ARTICLE_INDEX])(SectionFeed()),
        name="section_feed",
    ),
    path("tags/<unicode_slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("tags/<unicode_slug:slug>/feed/", public([ARTICLE_INDEX])(TagFeed()), name="tag_feed"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("authors/<unicode_slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
]
