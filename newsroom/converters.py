"""Path converters the site's URLs share."""

from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug in any script ("київ-і-сеул", "북한"), as ``SlugField(allow_unicode=True)``
    takes and WordPress keeps: letters, digits, underscores and hyphens."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "unicode_slug")
