from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from articles.models import Article
from comments.models import Comment
from comments.section import comment_section


class ArticleListView(ListView):
    """The home page: the latest published articles, newest first."""

    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section")
            .annotate(approved_comment_count=Comment.objects.approved().count_per_article())
        )


class ArticleDetailView(DetailView):
    """One article with its conversation. Editors may preview articles readers cannot see."""

    def get_queryset(self):
        if self.request.user.has_perm("articles.view_article"):
            return Article.objects.select_related("section")
        return Article.objects.published().select_related("section")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["comment_section"] = comment_section(self.request, self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["comment_section"].personal or not self.object.is_public:
            # Pending comments, a reader's saved details or an unpublished draft: only for
            # this browser, never for a shared cache.
            patch_cache_control(response, private=True, no_store=True)
        return response
