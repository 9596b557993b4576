"""Reading the site's pages the way a browser does (the admin's: ``tests/admin_pages.py``)."""

from html.parser import HTMLParser


class CommentFormFields(HTMLParser):
    """The comment form on a page: where it posts, and its fields as a browser would post
    them again (the boxes that are ticked, a textarea without the newline after its tag)."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.values, self._textarea = None, {}, None
        self.feed(html[html.rindex("<form", 0, html.index('id="commentform"')) :])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self.action = attrs["action"]
        elif tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
