from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The site as a whole: who may sign in to the editors' workplace, and how."""

    name = "newsroom"
    verbose_name = _("Newsroom")
