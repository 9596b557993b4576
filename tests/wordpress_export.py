"""The real WordPress export the importer's tests read: ../shared/wordpress beside the
checkout (its README says what is in it)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from articles.models import Article
from articles.wordpress.models import Imported

# Found upwards from the project, so that mutmut's copy of it (mutants/) finds it too.
SHARED = next(
    folder / "shared" / "wordpress"
    for folder in Path(settings.BASE_DIR).parents
    if (folder / "shared" / "wordpress").is_dir()
)
EXPORT = SHARED / "newsroom-archive.xml"
UPLOADS = SHARED / "uploads"


def article_for(wp_id: int) -> Article:
    pk = Imported.objects.get(kind=Imported.Kind.POST, wp_id=wp_id).object_id
    return Article.objects.get(pk=pk)


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"articles", "comments", "pages", "wordpress", "flatpages"}
        or model._meta.label in {"auth.User", "reversion.Version", "reversion.Revision"}
    }
