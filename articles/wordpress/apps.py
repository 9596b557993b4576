from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Moving off WordPress: ``manage.py import_wordpress`` (or the admin's upload) brings a
    WordPress export's posts, pages, people, terms, media and comments across, and the old
    addresses keep answering with a 301 to where each thing now lives."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles.wordpress"
    label = "wordpress"
    verbose_name = _("WordPress import")
