from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from comments import search


def restore_search_triggers(sender, using, **kwargs) -> None:
    # A migration that rebuilt the comments table on SQLite dropped the search index's
    # triggers with it: put them back (comments/search.py).
    search.INDEX.ensure(connections[using])


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"

    def ready(self) -> None:
        post_migrate.connect(restore_search_triggers, sender=self)
