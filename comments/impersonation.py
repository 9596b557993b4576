"""Names a reader may not comment under: the newsroom's own, and names that look like them.

A name is compared by what a reader sees, not by its code points: NFKC and case folding, then
Unicode's confusable skeleton (UTS #39: "Еditor" with a Cyrillic Е is "Editor"), without
invisible characters (zero-width joiners between the letters), accents, punctuation, symbols
or spaces ("Editor ✓", "E.ditor"), asides in brackets ("Editor (staff)") and title words
around it ("Staff Editor").

The names protected are those of the active staff (full name, or username without one), read
from the database on each post (one small query), and the site's own (``NEWSROOM_SITE_NAME``).
A signed-in editor may comment under their own name and the site's.
"""

import re
import unicodedata
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import pgettext

from comments import moderation

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): drawn as nothing.
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]  # fmt: skip
# Words that dress a name up as the newsroom's: "Staff Editor", "Ann Smith, editor".
TITLE_WORDS = ["the", "real", "official", "verified", "staff", "team", "editor", "moderator"]
# An aside in brackets: "Editor (staff)", "Ann [verified]".
ASIDE = re.compile(r"[(\[{][^)\]}]*[)\]}]")
ASIDE_OPEN = re.compile(r"[()\[\]{}]")
# What a name is made of, once its look-alikes are folded: runs of letters and digits. Accents
# and other marks go too: "Edítor" and "Edi\u0307tor" read as "Editor" at a glance.
WORD = re.compile(r"[^\W_]+")


def is_default_ignorable(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in DEFAULT_IGNORABLE)


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, from Unicode's confusables.txt.

    confusable-homoglyphs ships that file as pairs in both directions (``Е`` with ``E``, ``E``
    with ``Е``, ``𝐄``, …), so each prototype is the centre of its group: the one character paired
    with several others, or the several characters it stands for ("m" pairs with "rn"). In a
    group of two single characters either may be the prototype; the first in code point order
    stands for both, the same for every name compared, so look-alikes still meet.
    """
    from confusable_homoglyphs.confusables import confusables_data  # 0.9 MB: read when needed

    marks = str.maketrans("", "", "\u200e\u200f")  # the file's left-to-right marks for display
    pairs: dict[str, set[str]] = {}
    for char, entries in confusables_data.items():
        pairs.setdefault(char.translate(marks), set()).update(
            entry["c"].translate(marks) for entry in entries
        )
    prototypes = {}
    for char, others in pairs.items():
        if len(char) != 1 or len(others) != 1:
            continue  # a prototype
        (other,) = others
        if len(other) > 1 or len(pairs[other]) > 1 or other < char:
            prototypes[char] = other
    # A prototype of several characters is written in the prototypes chosen above.
    return {
        char: "".join(prototypes.get(c, c) for c in other) for char, other in prototypes.items()
    }


def skeleton(text: str) -> str:
    """UTS #39's skeleton: two strings that look alike have the same one."""
    prototypes = _prototypes()
    text = unicodedata.normalize("NFD", text)
    text = "".join(prototypes.get(char, char) for char in text if not is_default_ignorable(char))
    return unicodedata.normalize("NFD", text)


def _words(name: str) -> list[list[str]]:
    """The words ``name`` reads as, in each case it could be mistaken in ("Al" and "AI")."""
    name = unicodedata.normalize("NFKC", name)
    return [
        WORD.findall(ASIDE.sub(" ", skeleton(variant).casefold()))
        for variant in {name, name.casefold(), name.upper()}
    ]


@lru_cache(maxsize=4096)
def name_keys(name: str) -> frozenset[str]:
    """What ``name`` reads as, less asides and title words: look-alikes have a key in common."""
    keys = set()
    for words in _words(name):
        keys.add("".join(words))
        while len(words) > 1 and words[0] in _title_words():
            words = words[1:]
        while len(words) > 1 and words[-1] in _title_words():
            words = words[:-1]
        keys.add("".join(words))
    keys.discard("")
    return frozenset(keys)


@cache
def _title_words() -> frozenset[str]:
    return frozenset(skeleton(word).casefold() for word in TITLE_WORDS)


def protected_names(user=None) -> list[str]:
    """The names that are the newsroom's, less those ``user`` (who is posting) may use."""
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    if user is not None and user.is_authenticated:
        staff = staff.filter(~Q(pk=user.pk))
    # The name each is known by: their full name, or else their user name. A user name
    # behind a full name is never shown, and guarding it too would refuse every reader
    # called Ann when an editor signs in as "ann".
    names = [
        f"{first} {last}" if (first or last) else username
        for username, first, last in staff.values_list("username", "first_name", "last_name")
    ]
    if not (user is not None and moderation.is_moderator(user)):
        names.append(settings.NEWSROOM_SITE_NAME)
    return names


def imitates_badge(name: str) -> bool:
    """Does ``name`` end in the staff badge's word ("Ann Staff", "Ann (ѕtaff)")?"""
    badge = {skeleton(word).casefold() for word in ("staff", pgettext("comment badge", "Staff"))}
    return any(words and words[-1] in badge for words in _words(ASIDE_OPEN.sub(" ", name)))


def imitates_staff(name: str, user=None) -> bool:
    """Could ``name``, posted by ``user``, be taken for one of the newsroom's own?"""
    keys = name_keys(name)
    return any(keys & name_keys(protected) for protected in protected_names(user))
