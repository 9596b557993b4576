"""The editors' discussion settings, applied by the one moderation policy."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, DiscussionSettings
from tests import factories

pytestmark = pytest.mark.django_db

Status = Comment.Status


def post(client, article, **fields):
    return client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, **fields),
    )


def status_of_new_comment(client, article, **fields) -> str:
    assert post(client, article, **fields).status_code == 302
    return Comment.objects.latest("pk").status


def test_defaults_are_wordpress_like(discussion):
    assert discussion.hold_all is True
    assert discussion.approve_known_commenters is True
    assert discussion.max_links == 2
    assert discussion.close_old_articles is False
    assert discussion.close_after_days == 14
    assert discussion.thread_depth == 5
    assert discussion.comments_per_page == 50


def test_every_comment_is_held_by_default(client, article):
    factories.make_comment(article, author_name="Ada Reader", author_email="ada@example.org")
    assert status_of_new_comment(client, article) == Status.PENDING


def test_known_commenter_is_approved_when_not_all_comments_are_held(client, article, discussion):
    discussion.hold_all = False
    discussion.save()
    factories.make_comment(article, author_name="Ada Reader", author_email="ADA@example.org")

    assert status_of_new_comment(client, article) == Status.APPROVED
    assert status_of_new_comment(client, article, author="Someone New", comment="Hi") == (
        Status.PENDING
    )


def test_an_approved_commenters_name_under_another_email_is_not_known(client, article, discussion):
    # (Their email under another name is held too: the test above, "Someone New".)
    discussion.hold_all = False
    discussion.save()
    factories.make_comment(article, author_name="Ada Reader", author_email="ada@example.org")

    assert status_of_new_comment(client, article, email="mallory@example.org") == Status.PENDING


def test_with_no_rule_holding_it_a_comment_is_approved(client, article, open_door):
    assert status_of_new_comment(client, article) == Status.APPROVED


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("See https://one.example for more.", False),
        ("See https://one.example and http://two.example", True),
        ("Bare addresses count: www.one.example and www.two.example", True),
        ('Typed HTML counts: <a href="x">x</a> www.two.example', True),
    ],
)
def test_comments_with_too_many_links_are_held(client, article, open_door, text, held):
    expected = Status.PENDING if held else Status.APPROVED
    assert status_of_new_comment(client, article, comment=text) == expected


def test_link_limit_zero_turns_it_off(client, article, open_door):
    open_door.max_links = 0
    open_door.save()
    text = "https://a.example https://b.example https://c.example"
    assert status_of_new_comment(client, article, comment=text) == Status.APPROVED


@pytest.mark.parametrize(
    ("words", "fields", "matches"),
    [
        ("casino", {"comment": "Best CASINO online"}, True),
        ("ass", {"comment": "A first-class reply"}, False),  # WordPress would hold this
        ("cheap pills", {"comment": "Buy cheap   pills now"}, True),
        ("cheap pills", {"comment": "cheap, not pills"}, False),
        ("straße", {"comment": "Die STRASSE ist gesperrt"}, True),  # Unicode case folding
        ("установка", {"comment": "УСТАНОВКА окон"}, True),
        ("spammer", {"author": "Spammer King"}, True),
        ("spam.example", {"email": "bob@spam.example"}, True),
        ("spam.example", {"url": "https://spam.example/page"}, True),
        ("", {"comment": "anything"}, False),
        ("\n  \n", {"comment": "anything"}, False),
    ],
)
def test_moderation_words_hold_whole_words_and_phrases(
    client, article, open_door, words, fields, matches
):
    open_door.moderation_words = words
    open_door.save()
    expected = Status.PENDING if matches else Status.APPROVED
    assert status_of_new_comment(client, article, **fields) == expected


def test_moderation_words_match_ip_and_browser_too(client, article, open_door):
    open_door.moderation_words = "203.0.113.9\nEvilBot"
    open_door.save()

    by_ip = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, comment="From that address."),
        REMOTE_ADDR="203.0.113.9",
    )
    by_agent = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, comment="From that browser."),
        HTTP_USER_AGENT="Mozilla/5.0 EvilBot/2.1",
    )

    assert by_ip.status_code == by_agent.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_disallowed_words_send_a_comment_to_spam_but_the_poster_sees_the_usual_note(
    client, article, open_door
):
    open_door.disallowed_words = "miracle cure"
    open_door.save()

    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, comment="Try this Miracle Cure today"),
        follow=True,
    )

    assert Comment.objects.get().status == Status.SPAM
    html = response.content.decode()
    assert "Try this Miracle Cure today" in html
    assert "Your comment is awaiting moderation." in html
    assert "Miracle Cure" not in Client().get(article.get_absolute_url()).content.decode()


def test_disallowed_words_win_over_everything(client, article, open_door):
    open_door.disallowed_words = "casino"
    open_door.hold_all = True
    open_door.save()
    assert status_of_new_comment(client, article, comment="casino") == Status.SPAM


def test_settings_change_takes_effect_on_the_next_request(client, article, open_door):
    assert status_of_new_comment(client, article, comment="One") == Status.APPROVED
    DiscussionSettings.objects.filter(pk=1).update(hold_all=True)  # as another process would
    assert status_of_new_comment(client, article, comment="Two") == Status.PENDING


# Closing comments on old articles


def days_old(days: float, **fields):
    return factories.make_article(published_at=timezone.now() - timedelta(days=days), **fields)


def test_old_articles_stay_open_unless_editors_close_them(discussion):
    assert moderation.comments_open(days_old(400), discussion)


def test_articles_older_than_the_setting_are_closed(client, discussion):
    discussion.close_old_articles = True
    discussion.close_after_days = 14
    discussion.save()
    old, fresh = days_old(15), days_old(13)

    assert not moderation.comments_open(old, discussion)
    assert moderation.comments_open(fresh, discussion)
    assert "Comments are closed." in client.get(old.get_absolute_url()).content.decode()
    assert post(client, old).status_code == 403
    assert not Comment.objects.exists()


def test_an_article_can_set_its_own_closing_age(discussion):
    discussion.close_old_articles = True
    discussion.save()

    assert moderation.comments_open(days_old(20, comments_close_after_days=0), discussion)
    assert moderation.comments_open(days_old(20, comments_close_after_days=30), discussion)
    assert not moderation.comments_open(days_old(3, comments_close_after_days=2), discussion)


def test_an_article_can_close_early_even_when_the_site_does_not(discussion):
    assert not moderation.comments_open(days_old(3, comments_close_after_days=2), discussion)


# Showing comments


def test_newest_first_order_puts_the_latest_thread_on_top(client, article, discussion):
    now = timezone.now()
    factories.make_comment(article, text="Older thread.", submitted_at=now - timedelta(hours=2))
    factories.make_comment(article, text="Newer thread.", submitted_at=now - timedelta(hours=1))
    discussion.order = DiscussionSettings.Order.NEWEST_FIRST
    discussion.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.index("Newer thread.") < html.index("Older thread.")


# The admin page


def test_editors_change_the_discussion_settings_in_the_admin(editor_client, discussion):
    changelist = editor_client.get(reverse("admin:comments_discussionsettings_changelist"))
    change_url = reverse("admin:comments_discussionsettings_change", args=[discussion.pk])
    assert changelist.status_code == 302
    assert changelist["Location"] == change_url

    form = editor_client.get(change_url)
    assert "Hold every comment for approval" in form.content.decode()
    response = editor_client.post(
        change_url,
        {
            "approve_known_commenters": "on",
            "max_links": "3",
            "moderation_words": "casino\ncheap pills",
            "disallowed_words": "",
            "close_old_articles": "on",
            "close_after_days": "30",
            "thread_depth": "3",
            "comments_per_page": "20",
            "first_page": "newest",
            "order": "desc",
            "report_threshold": "5",
        },
    )

    assert response.status_code == 302
    saved = DiscussionSettings.load()
    assert saved.report_threshold == 5
    assert saved.hold_all is False
    assert (saved.max_links, saved.close_after_days, saved.thread_depth) == (3, 30, 3)
    assert saved.moderation_words == "casino\ncheap pills"
    assert DiscussionSettings.objects.count() == 1


def test_there_is_one_set_of_rules_to_change_never_to_add_or_delete(editor_client, discussion):
    add = editor_client.get(reverse("admin:comments_discussionsettings_add"))
    delete = editor_client.get(
        reverse("admin:comments_discussionsettings_delete", args=[discussion.pk])
    )
    assert add.status_code == 403
    assert delete.status_code == 403
