"""Test-only settings and the fixtures every test may use."""

import pytest
from django.contrib.auth.models import Group

from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production serves hashed files from a manifest made by collectstatic (CI checks that);
    # tests need no collectstatic step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def editor_client(client, editor):
    client.force_login(editor)
    return client
