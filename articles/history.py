"""What changed between two kept versions of an article, field by field, as an editor reads it.

Each field's text is compared paragraph by paragraph (difflib); a changed paragraph is
compared word by word, so an edit shows as the words struck out and the words put in. Long
runs of unchanged paragraphs are folded. The result is data; the admin's template
(``admin/articles/article/revision.html``) turns it into HTML, escaping every word.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from reversion.models import Version

from articles.models import Article

# What a version shows and a restore brings back: everything an editor writes. Not the
# article's id, nor what the site keeps itself (who created it, created, updated).
RESTORED_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "byline",
    "section",
    "dateline",
    "body",
    # A body and the format it is written in go together (an imported one is HTML).
    "body_format",
    "featured_image",
    "status",
    "published_at",
    "featured",
    "comment_mode",
    "comments_close_after_days",
]

# Unchanged paragraphs shown around a change; longer runs are folded.
CONTEXT = 1
# How alike (difflib's ratio of words) an edited paragraph must stay to be shown word by word.
SIMILAR = 0.5
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
WORDS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Part:
    """A run of text: ``same`` in both versions, ``removed``, ``added``, or ``folded`` (a
    note standing for unchanged paragraphs)."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    paragraphs: list[list[Part]]


def kept_at(version: Version) -> str:
    """When the version was saved, as the admin shows times."""
    return date_format(localtime(version.revision.date_created), "DATETIME_FORMAT")


def previous_version(version: Version) -> Version | None:
    """The version of the same article kept just before ``version``."""
    return (
        Version.objects.get_for_object_reference(Article, version.object_id)
        .filter(pk__lt=version.pk)
        .select_related("revision__user")
        .order_by("-pk")
        .first()
    )


def compare(
    before: dict | None, after: dict, *, model=Article, fields: list[str] = RESTORED_FIELDS
) -> list[FieldChange]:
    """What differs from ``before`` (a version's ``field_dict``, or None for nothing) to
    ``after``: ``fields`` of ``model`` (an article's, or another kept model's), in order."""
    changes = []
    names = _related_names(model, fields, [before or {}, after])
    for name in fields:
        field = model._meta.get_field(name)
        old = _shown(field, (before or {}).get(field.attname), names)
        new = _shown(field, after.get(field.attname), names)
        if old != new:
            changes.append(FieldChange(str(field.verbose_name).capitalize(), diff(old, new)))
    return changes


def diff(old: str, new: str) -> list[list[Part]]:
    """Paragraphs of parts: unchanged paragraphs, changes word by word, folds."""
    a, b = _paragraphs(old), _paragraphs(new)
    paragraphs = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            paragraphs += _fold(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for before, after in zip(a[i1:i2], b[j1:j2], strict=True):
                paragraphs += _changed(before, after)
        else:  # paragraphs taken out, put in, or a different number of them in their place
            paragraphs += [[Part("removed", paragraph)] for paragraph in a[i1:i2]]
            paragraphs += [[Part("added", paragraph)] for paragraph in b[j1:j2]]
    return paragraphs


def _changed(before: str, after: str) -> list[list[Part]]:
    """A paragraph edited: word by word if it is still mostly the same words, else the old
    one out and the new one in."""
    a, b = WORDS.findall(before), WORDS.findall(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR:
        return [[Part("removed", before)], [Part("added", after)]]
    parts: list[Part] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(parts, "same", "".join(a[i1:i2]))
            continue
        if tag in {"replace", "delete"}:
            _append(parts, "removed", "".join(a[i1:i2]))
        if tag in {"replace", "insert"}:
            _append(parts, "added", "".join(b[j1:j2]))
    return [parts]


def _paragraphs(text: str) -> list[str]:
    text = text.strip()
    return [paragraph.strip() for paragraph in PARAGRAPH_BREAK.split(text)] if text else []


def _fold(same: list[str], *, first: bool, last: bool) -> list[list[Part]]:
    """Unchanged paragraphs: the ``CONTEXT`` next to a change, and a note for the rest."""
    head = [] if first else same[:CONTEXT]
    tail = [] if last else same[-CONTEXT:]
    if len(head) + len(tail) >= len(same):
        return [[Part("same", paragraph)] for paragraph in same]
    folded = len(same) - len(head) - len(tail)
    note = ngettext("%(count)d unchanged paragraph", "%(count)d unchanged paragraphs", folded) % {
        "count": folded
    }
    return [
        *([Part("same", paragraph)] for paragraph in head),
        [Part("folded", note)],
        *([Part("same", paragraph)] for paragraph in tail),
    ]


def _append(parts: list[Part], kind: str, text: str) -> None:
    if parts and parts[-1].kind == kind:
        parts[-1] = Part(kind, parts[-1].text + text)
    else:
        parts.append(Part(kind, text))


def _related_names(model, fields: list[str], field_dicts: list[dict]) -> dict[str, dict]:
    """For each of ``fields`` that names another row (the section, the byline's author): the
    names of the rows the versions name, by id; one query per such field."""
    names = {}
    for name in fields:
        field = model._meta.get_field(name)
        if field.is_relation:
            ids = {fields_.get(field.attname) for fields_ in field_dicts} - {None}
            rows = field.related_model.objects.filter(pk__in=ids)
            names[name] = {row.pk: str(row) for row in rows}
    return names


def _shown(field, value, names: dict[str, dict]) -> str:
    """A field's value as the admin's form shows it."""
    if value is None or value == "":
        return ""
    if field.is_relation:
        return names[field.name].get(value) or gettext("a deleted %(what)s (#%(id)s)") % {
            "what": field.related_model._meta.verbose_name,
            "id": value,
        }
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    return str(value)
