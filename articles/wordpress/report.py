"""What an import did, per kind of thing: how many were imported, already there from an
earlier run, or skipped and why; and what an editor should know (a password dropped, a
category flattened…). The command prints it; the admin shows it; both read ``as_dict()``."""

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The kinds, in the order the report lists them.
KINDS = ["author", "category", "tag", "attachment", "post", "page", "comment", "mention"]


@dataclass
class Report:
    site: str = ""
    dry_run: bool = False
    imported: Counter = field(default_factory=Counter)
    already: Counter = field(default_factory=Counter)
    # kind -> reason -> how many
    skipped: defaultdict = field(default_factory=lambda: defaultdict(Counter))
    # Counts by what each became, e.g. ("post", "published"): 14.
    became: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    # What an editor should know, counted: "Pictures without alt text…": 3.
    tallies: Counter = field(default_factory=Counter)

    def add_imported(self, kind: str, became: str = "") -> None:
        self.imported[kind] += 1
        if became:
            self.became[(kind, became)] += 1

    def add_already(self, kind: str) -> None:
        self.already[kind] += 1

    def add_skipped(self, kind: str, reason: str, n: int = 1) -> None:
        if n:
            self.skipped[kind][reason] += n

    def note(self, text: str) -> None:
        self.notes.append(text)

    def tally(self, text: str, n: int = 1) -> None:
        if n:
            self.tallies[text] += n

    def checkpoint(self) -> "Report":
        """A copy to go back to (``restore``) when what follows is rolled back."""
        return copy.deepcopy(self)

    def restore(self, checkpoint: "Report") -> None:
        self.__dict__.update(copy.deepcopy(checkpoint).__dict__)

    def as_dict(self) -> dict:
        kinds = [k for k in KINDS if self.imported[k] or self.already[k] or self.skipped[k]]
        return {
            "site": self.site,
            "dry_run": self.dry_run,
            "kinds": [
                {
                    "kind": kind,
                    "imported": self.imported[kind],
                    "already": self.already[kind],
                    "became": {
                        became: n for (k, became), n in sorted(self.became.items()) if k == kind
                    },
                    "skipped": dict(sorted(self.skipped[kind].items())),
                }
                for kind in kinds
            ],
            "notes": [f"{text}: {n}" for text, n in self.tallies.items()] + list(self.notes),
        }

    def lines(self) -> list[str]:
        """The report as plain text, one line each."""
        data = self.as_dict()
        verb = _("would import") if self.dry_run else _("imported")
        lines = [_("WordPress site: %(site)s") % {"site": data["site"]}]
        if self.dry_run:
            lines.append(_("Dry run: nothing was written."))
        for row in data["kinds"]:
            became = ", ".join(f"{n} {what}" for what, n in row["became"].items())
            line = f"{row['kind']}: {row['imported']} {verb}"
            if became:
                line += f" ({became})"
            if row["already"]:
                line += _(", %(n)d already imported") % {"n": row["already"]}
            lines.append(line)
            for reason, n in row["skipped"].items():
                lines.append("  " + _("%(n)d skipped: %(reason)s") % {"n": n, "reason": reason})
        lines.extend(f"- {note}" for note in data["notes"])
        return lines
