from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages.models import FlatPage
from django.utils.translation import gettext_lazy as _

from pages import services
from pages.forms import PageForm

# Django's own flat page admin offers sites, templates and sign-in; editors get ours.
admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    fieldsets = [
        (None, {"fields": ["title", "url", "content"]}),
        (_("Footer"), {"fields": ["in_footer", "footer_position"]}),
    ]
    list_display = ["title", "url", "place_in_footer"]
    list_select_related = ["footer_link"]
    search_fields = ["url", "title", "content"]
    ordering = ["url"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(sites=settings.SITE_ID)

    @admin.display(description=_("position in the footer"), ordering="footer_link__position")
    def place_in_footer(self, page: FlatPage):
        link = getattr(page, "footer_link", None)
        return "—" if link is None else link.position

    def save_model(self, request, obj, form, change):
        services.save_page(
            obj,
            changed_fields=form.changed_data,
            created=not change,
            footer_position=form.footer_position_chosen,
        )

    def save_related(self, request, form, formsets, change):
        # No relations to save: the page's site and footer place are saved by save_model.
        pass

    def delete_model(self, request, obj):
        services.delete_pages([obj])

    def delete_queryset(self, request, queryset):
        services.delete_pages(queryset)
