"""Editors: the group the data migration makes, and the command that makes editor accounts."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_user

EDITOR_PERMISSIONS = {
    "articles.add_article",
    "articles.change_article",
    "articles.delete_article",
    "articles.view_article",
    "articles.publish_article",
    "articles.add_author",
    "articles.change_author",
    "articles.delete_author",
    "articles.view_author",
    "articles.add_section",
    "articles.change_section",
    "articles.delete_section",
    "articles.view_section",
    "articles.add_image",
    "articles.change_image",
    "articles.delete_image",
    "articles.view_image",
    "articles.add_tag",
    "articles.change_tag",
    "articles.delete_tag",
    "articles.view_tag",
    "comments.change_comment",
    "comments.delete_comment",
    "comments.view_comment",
    "comments.change_discussionsettings",
    "comments.view_discussionsettings",
    "flatpages.add_flatpage",
    "flatpages.change_flatpage",
    "flatpages.delete_flatpage",
    "flatpages.view_flatpage",
}
PASSWORD = "ink-stained quokka 1848"


def group_permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


# The Editors group


@pytest.mark.django_db
def test_editors_group_has_exactly_the_editors_permissions():
    assert group_permissions("Editors") == EDITOR_PERMISSIONS


@pytest.mark.django_db
def test_editors_may_not_add_comments():
    assert "comments.add_comment" not in group_permissions("Editors")


# Transactional, because SQLite cannot change its schema inside the transaction a plain test
# runs in; serialized_rollback, because the flush after a transactional test empties every table
# (see tests/browser). Each step asserts its own starting point, so the test proves the same
# thing whatever state an earlier transactional test left behind.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_group_migration_can_be_reversed_and_reapplied():
    # Going back to comments 0001 takes back what depends on the group (the image library,
    # articles 0011's publishing and authors, pages' permissions); migrating forward gives it
    # all back.
    call_command("migrate", "comments", "0001", verbosity=0)
    call_command("migrate", verbosity=0)
    assert group_permissions("Editors") == EDITOR_PERMISSIONS

    call_command("migrate", "comments", "0001", verbosity=0)

    assert not Group.objects.filter(name="Editors").exists()

    # Everything again, with the tags' migration that depends on the group and grants them.
    call_command("migrate", verbosity=0)

    assert group_permissions("Editors") == EDITOR_PERMISSIONS


# createeditor


@pytest.fixture
def editor_password(monkeypatch):
    monkeypatch.setenv("NEWSROOM_EDITOR_PASSWORD", PASSWORD)
    return PASSWORD


def createeditor(*args):
    call_command("createeditor", *args, "--no-input", verbosity=0)


@pytest.mark.django_db
def test_createeditor_makes_an_active_staff_user_in_editors(editor_password):
    createeditor("lois", "--email", "lois@example.org")

    user = get_user_model().objects.get(username="lois")
    assert user.is_active
    assert user.is_staff
    assert not user.is_superuser
    assert user.email == "lois@example.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password(editor_password)


@pytest.mark.django_db
def test_new_editor_signs_in_to_the_admin_and_sees_articles_and_comments(client, editor_password):
    createeditor("lois", "--email", "lois@example.org")

    response = client.post(
        reverse("admin:login"),
        {"username": "lois", "password": editor_password, "next": reverse("admin:index")},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    models = {
        (app["app_label"], model["object_name"]): model
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert set(models) == {
        ("articles", "Article"),
        ("articles", "Author"),
        ("articles", "Image"),
        ("articles", "Section"),
        ("articles", "Tag"),
        ("comments", "Comment"),
        ("comments", "DiscussionSettings"),
        ("flatpages", "FlatPage"),
    }
    assert models["articles", "Article"]["perms"]["add"]
    assert models["comments", "Comment"]["perms"]["change"]
    assert not models["comments", "Comment"]["perms"]["add"]
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:comments_comment_changelist"),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_createeditor_refuses_a_username_that_is_taken(editor_password):
    existing = make_user("lois", email="old@example.org")

    with pytest.raises(CommandError, match="already"):
        createeditor("lois", "--email", "new@example.org")

    existing.refresh_from_db()
    assert existing.email == "old@example.org"
    assert not existing.is_staff
    assert not existing.groups.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["password", "12345678", "short1", "lois-lane"])
def test_createeditor_refuses_a_weak_password(monkeypatch, weak):
    monkeypatch.setenv("NEWSROOM_EDITOR_PASSWORD", weak)

    with pytest.raises(CommandError):
        createeditor("lois-lane", "--email", "lois@example.org")

    assert not get_user_model().objects.filter(username="lois-lane").exists()


@pytest.mark.django_db
def test_createeditor_without_input_needs_the_password_variable(monkeypatch):
    monkeypatch.delenv("NEWSROOM_EDITOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="NEWSROOM_EDITOR_PASSWORD"):
        createeditor("lois", "--email", "lois@example.org")

    assert not get_user_model().objects.filter(username="lois").exists()


@pytest.mark.django_db
def test_createeditor_leaves_no_half_made_account_when_it_fails(editor_password):
    Group.objects.filter(name="Editors").delete()

    with pytest.raises((CommandError, Group.DoesNotExist)):
        createeditor("lois", "--email", "lois@example.org")

    assert not get_user_model().objects.filter(username="lois").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "email"),
    [
        ("lois lane!", "lois@example.org"),
        ("", "lois@example.org"),
        ("lois", "not an address"),
    ],
)
def test_createeditor_refuses_an_invalid_username_or_email(editor_password, username, email):
    with pytest.raises(CommandError):
        createeditor(username, "--email", email)

    assert not get_user_model().objects.filter(is_staff=True).exists()


@pytest.mark.django_db
def test_createeditor_is_silent_at_verbosity_zero(editor_password):
    out = StringIO()

    call_command("createeditor", "lois", "--no-input", verbosity=0, stdout=out)

    assert get_user_model().objects.filter(username="lois").exists()
    assert out.getvalue() == ""
