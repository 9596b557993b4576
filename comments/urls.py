from django.urls import path

import newsroom.converters  # noqa: F401 (registers unicode_slug)
from comments import subscription_views, views
from comments.feeds import ArticleCommentsFeed

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:comment_id>/", views.comment_permalink, name="permalink"),
    path("<int:comment_id>/report/", views.report_comment, name="report"),
    path("feed/<unicode_slug:slug>/", ArticleCommentsFeed(), name="feed"),
    path(
        "follow-ups/confirm/<str:token>/",
        subscription_views.confirm_subscription,
        name="subscription_confirm",
    ),
    path(
        "follow-ups/unsubscribe/<str:token>/",
        subscription_views.unsubscribe,
        name="subscription_unsubscribe",
    ),
]
