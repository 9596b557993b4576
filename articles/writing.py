"""The numbers editors write against, in one place.

The article form shows them (its counters read them from data attributes the form's widgets
carry, ``articles/forms.py``), the site uses them (``Article.description``) and the preview
view enforces its limit with them (``articles/admin_preview.py``). Search engines do not
promise a length; these are what their results show on a desktop screen, give or take.
"""

# A headline longer than this is cut off in search results ("…").
HEADLINE_SHOWN_CHARS = 60
# The standfirst is the page's meta description: search results show about this much of it,
# and an article without one is described by this much of its opening words.
DESCRIPTION_SHOWN_CHARS = 160
# An adult reading a news story on screen: the "N min read" under the body's word count.
WORDS_PER_MINUTE = 230
# The longest body the live preview renders: about 30,000 words, twice the longest feature
# a newsroom publishes. A longer one is refused with a clear error, not rendered.
PREVIEW_MAX_CHARS = 200_000
