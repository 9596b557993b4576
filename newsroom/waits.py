"""How long someone is asked to wait, in words a person would use.

"Post it again in 1159 seconds" is exact and useless; "in about 20 minutes" is what a person
would say. Every page that asks someone to wait (the comment limits, a comment the database
could not store, the sign-in lockout) words it here; the ``Retry-After`` header beside it
stays in exact seconds, for programs.

Waits are rounded the way people round them, never down to nothing: seconds up to the next 5
("about a minute" from 51), minutes up to the next whole one below ten and to the nearest 5
above, hours to the nearest one.
"""

import math

from django.utils.translation import gettext, ngettext

MINUTE = 60
HOUR = 60 * MINUTE


def wait_in_words(seconds: float) -> str:
    """``"in 30 seconds"``, ``"in about a minute"``, ``"in about 20 minutes"``,
    ``"in about an hour"``: the end of "post it again …" or "try again …"."""
    seconds = max(seconds, 1)
    if seconds <= 50:
        count = 5 * math.ceil(seconds / 5)
        return ngettext("in %(count)d second", "in %(count)d seconds", count) % {"count": count}
    if seconds < 90:
        return gettext("in about a minute")
    if seconds < 10 * MINUTE:
        count = math.ceil(seconds / MINUTE)
    elif seconds < 55 * MINUTE:
        count = 5 * round(seconds / (5 * MINUTE))
    elif seconds < 90 * MINUTE:
        return gettext("in about an hour")
    else:
        count = round(seconds / HOUR)
        return ngettext("in about %(count)d hour", "in about %(count)d hours", count) % {
            "count": count
        }
    return ngettext("in about %(count)d minute", "in about %(count)d minutes", count) % {
        "count": count
    }
