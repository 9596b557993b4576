from django.http import HttpRequest

from articles.pages.footer import footer_pages


def footer(request: HttpRequest) -> dict:
    # A function: read only when a template shows the footer (not by the admin, feeds…).
    return {"footer_pages": footer_pages}
