"""WordPress's ``wpautop`` (wp-includes/formatting.php, 6.x), ported: how WordPress turns the
line breaks of text written in the classic editor, and of every comment, into paragraphs.

WordPress stores such text with bare line breaks and adds the paragraphs each time it shows
it; an import must add them once, the same way, or the text runs together. A blank line
makes a new paragraph, a single line break a ``<br />``; block elements get no ``<p>``
around them, and a ``<pre>``'s lines are left alone. The parts for markup no imported body
keeps (``<option>``, ``<object>``, ``<source>``) are left out: the sanitiser drops it anyway.
"""

import re

ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_NEWLINE_IN_TAG = " <!-- wpnl --> "
_PRESERVED_NEWLINE = "<WPPreserveNewline />"
# A tag or comment (wp_html_split's idea, simplified: comments first, then tags).
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


def wpautop(text: str, br: bool = True) -> str:
    """``text`` with paragraphs and line breaks as WordPress shows it."""
    if not text.strip():
        return ""
    text += "\n"
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        *parts, last = text.split("</pre>")
        text = ""
        for index, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:
                text += part
                continue
            name = f"<pre wp-pre-tag-{index}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            text += part[:start] + name
        text += last

    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + ALL_BLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + ALL_BLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TAG.sub(lambda match: match[0].replace("\n", _NEWLINE_IN_TAG), text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part]
    text = "".join(f"<p>{paragraph.strip(chr(10))}</p>\n" for paragraph in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    if br:
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda match: match[0].replace("\n", _PRESERVED_NEWLINE),
            text,
            flags=re.DOTALL,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace(_PRESERVED_NEWLINE, "\n")
    text = re.sub(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for name, pre in pre_tags.items():
        text = text.replace(name, pre)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_IN_TAG, "\n").replace("<!-- wpnl -->", "\n")
    return text
