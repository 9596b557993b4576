from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from articles import structured_data
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Author, Image, Section, Tag
from articles.search import SearchForm, search_articles, snippet_parts
from articles.structured_data import json_ld
from comments.conversation import comment_section
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from newsroom.http_cache import public, public_page


class ArticleListView(ListView):
    """The home page: the articles featured on it (WordPress's sticky posts), then the
    latest published articles, newest first."""

    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE
    ordering = ["-featured", "-published_at", "-pk"]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        keys = self.page_cache_keys()
        for article in context["article_list"]:
            keys |= article.cache_keys
        return public_page(response, keys)

    def page_cache_keys(self) -> set[str]:
        return {ARTICLE_LISTS}

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section", "byline", "featured_image")
            .annotate(approved_comment_count=Comment.objects.approved().count_per_article())
            .order_by(*self.get_ordering())
        )


class SectionArticleListView(ArticleListView):
    """A section's published articles, newest first."""

    ordering = ["-published_at", "-pk"]  # featuring is the home page's

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def page_cache_keys(self) -> set[str]:
        return {ARTICLE_LISTS, self.section.cache_key}


class TagArticleListView(ArticleListView):
    """The published articles with one tag, newest first."""

    ordering = ["-published_at", "-pk"]

    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)

    def page_cache_keys(self) -> set[str]:
        return {ARTICLE_LISTS, self.tag.cache_key}


class AuthorArticleListView(ArticleListView):
    """An author's page: their bio, then their published articles, newest first. An author
    with nothing published has no page yet."""

    template_name = "articles/author_detail.html"
    ordering = ["-published_at", "-pk"]

    def get_queryset(self):
        authors = Author.objects.select_related("photo")
        self.author = get_object_or_404(authors, slug=self.kwargs["slug"])
        return super().get_queryset().filter(byline=self.author)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(author=self.author, **kwargs)
        if not context["article_list"]:
            raise Http404("No published articles by this author.")
        data = structured_data.profile_page(self.author, self.request)
        return {**context, "structured_data": json_ld(data)}

    def page_cache_keys(self) -> set[str]:
        keys = {ARTICLE_LISTS, self.author.cache_key}
        if self.author.photo_id:
            keys.add(Image.cache_key_for(self.author.photo_id))
        return keys


class ArticleDetailView(DetailView):
    """One article with its conversation. Editors may preview articles readers cannot see."""

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).for_article_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **article_page_context(self.request, self.object)}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["comment_section"].personal or not self.object.is_public:
            # Pending comments, a reader's saved details or an unpublished draft: only for
            # this browser, never for a shared cache.
            patch_cache_control(response, private=True, no_store=True)
            return response
        tags = {tag.cache_key for tag in self.object.tags.all()}
        return public_page(response, {*self.object.cache_keys, *tags, DiscussionSettings.CACHE_KEY})


class SearchView(ListView):
    """The site's search: published articles matching what a reader typed, best first.

    The same for every reader, so a shared cache may keep each query's page; any change to
    an article purges ARTICLE_INDEX, and with it every page of results.
    """

    template_name = "articles/search.html"
    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.form.is_valid():
            return Article.objects.none()
        return search_articles(self.form.cleaned_data["q"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        context["query"] = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        for article in context["article_list"]:
            article.snippet_parts = snippet_parts(article.search_snippet or "", article.body_format)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        keys = {ARTICLE_LISTS, ARTICLE_INDEX}
        for article in context["article_list"]:
            keys |= article.cache_keys
        return public_page(response, keys)


def article_page_context(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    discussion: DiscussionSettings | None = None,
) -> dict:
    """What ``articles/article_detail.html`` shows: the story, its conversation (with
    ``form`` when a reader's post is shown again) and its structured data. The one builder
    of the article page, for the page itself and for a refused comment."""
    section = comment_section(request, article, form, discussion)
    data = structured_data.news_article(article, request, section.approved_count)
    return {
        "article": article,
        "comment_section": section,
        "structured_data": json_ld(data),
        "share_image": structured_data.share_image(article, request),
    }


@require_GET
@public()
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /comments/post/",
        f"Disallow: {reverse('articles:search')}",
        "Allow: /",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
