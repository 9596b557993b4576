"""Test-only settings and the fixtures every test may use."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from comments.models import DiscussionSettings
from tests import factories


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file like production does, not in shared-cache memory.

    In memory, concurrent writers fail at once with "database table is locked"; a file gets
    the production settings' WAL journal and busy timeout, so tests that post at the same
    moment from two threads behave as the live site does.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_name = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_name)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production serves hashed files from a manifest made by collectstatic (CI checks that);
    # tests need no collectstatic step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # After a collectstatic, whitenoise would index staticfiles/ for every test client.
    settings.WHITENOISE_AUTOREFRESH = True
    # Tests post the form at once and again and again; the tests of these limits set them.
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 0
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 0
    cache.clear()


@pytest.fixture
def discussion(db):
    """The editors' discussion settings, to change in a test (saved by the test)."""
    return DiscussionSettings.load()


@pytest.fixture
def open_door(discussion):
    """Comments not all held, known commenters not required: only the rule tested decides."""
    discussion.hold_all = False
    discussion.approve_known_commenters = False
    discussion.save()
    return discussion


@pytest.fixture
def article(db):
    return factories.make_article()


@pytest.fixture
def editor(db):
    """A staff user in the Editors group, as `createeditor` makes them."""
    user = factories.make_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def staff_viewer(db):
    """Staff who may look at comments but not moderate them."""
    user = factories.make_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
