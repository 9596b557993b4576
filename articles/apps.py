from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def restore_search_triggers(sender, using, **kwargs) -> None:
    # A migration that rebuilt the articles table on SQLite dropped the search index's
    # triggers with it: put them back (articles/search.py).
    from articles import search

    search.INDEX.ensure(connections[using])


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self) -> None:
        post_migrate.connect(restore_search_triggers, sender=self)
