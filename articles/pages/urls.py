from django.urls import re_path

from articles.pages import views

app_name = "pages"

# Last in the site's URLs: an address nothing else answers may be a page's ("/about/",
# "/about/team/"). Only addresses ending in a slash, so "/about" is sent on to "/about/".
urlpatterns = [
    re_path(r"^(?P<url>(?:[-\w.~]+/)+)$", views.page, name="page"),
]
