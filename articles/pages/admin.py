from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.flatpages.models import FlatPage
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import history
from articles.pages import services
from articles.pages.forms import PageForm
from articles.pages.models import PAGE_VERSION_FIELDS

# Django's own flat page admin offers sites, templates and sign-in; editors get ours.
admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PageAdmin(VersionAdmin):
    form = PageForm
    fieldsets = [
        (None, {"fields": ["title", "url", "content"]}),
        (_("Footer"), {"fields": ["in_footer", "footer_position"]}),
    ]
    list_display = ["title", "url", "place_in_footer"]
    list_select_related = ["footer_link"]
    search_fields = ["url", "title", "content"]
    ordering = ["url"]
    # The history (django-reversion's): every version, newest first. A version opens on
    # reversion's own page, the form filled in as it was, with what saving it would change.
    history_latest_first = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(sites=settings.SITE_ID)

    @admin.display(description=_("position in the footer"), ordering="footer_link__position")
    def place_in_footer(self, page: FlatPage):
        link = getattr(page, "footer_link", None)
        return "—" if link is None else link.position

    def save_model(self, request, obj, form, change):
        services.save_page(obj, footer_position=form.footer_position_chosen, user=request.user)

    def save_related(self, request, form, formsets, change):
        # No relations to save: the page's site and footer place are saved by save_model.
        pass

    def delete_model(self, request, obj):
        services.delete_pages([obj])

    def delete_queryset(self, request, queryset):
        services.delete_pages(queryset)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        page = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        version = get_object_or_404(Version.objects.get_for_object(page), pk=version_id)
        now = {name: getattr(page, name) for name in PAGE_VERSION_FIELDS}
        fields = {"model": FlatPage, "fields": PAGE_VERSION_FIELDS}
        context = {"restoring": history.compare(now, version.field_dict, **fields)}
        return super().revision_view(
            request, object_id, version_id, {**context, **(extra_context or {})}
        )
