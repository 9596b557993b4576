from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed
from articles.models import ARTICLE_INDEX
from newsroom.http_cache import public

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed/", public([ARTICLE_INDEX])(LatestArticlesFeed()), name="feed"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
]
