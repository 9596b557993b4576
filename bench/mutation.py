"""The summary of ``make mutation``: how many of mutmut's mutants the tests caught, per module.

``mutmut run`` leaves one ``mutants/<module>.py.meta`` file per mutated module (JSON; its
``exit_code_by_key`` maps each mutant's name to the exit code of the tests run against it,
null while unchecked). This script reads them and prints, per module and overall: mutants
killed, survived, timed out, other (no test reached the code, a crash, ...), excluded, the
total, and the score:

    score = (killed + timeout) / (total - excluded - not checked)

A timeout counts as caught, as mutmut's own badge counts it: the tests noticed (the code
looped). A mutant no test reaches counts as missed.

Excluded mutants are survivors that change only wording (a log line, an error message a test
does not quote) or that cannot change behaviour at all (an equivalent mutant). Each is listed
in ``bench/mutation_exclusions.toml`` with the line as the mutant reads and a one-line reason.
An exclusion that no longer matches (the mutant is gone, is killed now, or its number points
at another change since the code moved) is reported, and the script exits 1, so the list
cannot hide a new survivor.

    .venv/bin/python bench/mutation.py [--survivors | --draft]
                                       [--min-score 90 --module comments/forms.py ...]

``--survivors`` lists every survivor not excluded with its diff (``mutmut show``), to write the
missing tests from; ``--draft`` prints them as entries for the exclusions file, reason left
empty, for the ones a test cannot and should not catch. With ``--min-score``, the script
exits 1 if a ``--module`` (or, without one, the overall score) is below it.
"""

import argparse
import json
import os
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
EXCLUSIONS = ROOT / "bench" / "mutation_exclusions.toml"
CAUGHT = {"killed", "timeout"}
COLUMNS = ("killed", "survived", "timeout", "other", "excluded", "total")


def load_results() -> dict[str, dict[str, str]]:
    """Each mutated module's path -> {mutant name: status}, from mutmut's meta files."""
    results = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        exit_codes = json.loads(meta.read_text())["exit_code_by_key"]
        if exit_codes:
            module = meta.relative_to(ROOT / "mutants").as_posix().removesuffix(".meta")
            results[module] = {name: status_by_exit_code[code] for name, code in exit_codes.items()}
    return results


def load_exclusions() -> list[dict[str, str]]:
    if not EXCLUSIONS.exists():
        return []
    entries = tomllib.loads(EXCLUSIONS.read_text())["survivor"]
    for entry in entries:
        missing = {"mutant", "mutated", "reason"} - entry.keys()
        if missing:
            sys.exit(f"{EXCLUSIONS.name}: {entry.get('mutant', entry)} lacks {sorted(missing)}")
    return entries


def added_lines(mutant: str, module: str) -> str:
    """The lines the mutant adds, as `mutmut show` prints them, whitespace collapsed."""
    diff = get_diff_for_mutant(mutant, path=module)
    lines = [line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:2] != "+"]
    return " ".join(" ".join(lines).split())


def check_exclusions(results, exclusions) -> tuple[set[str], list[str]]:
    """The excluded mutants that still survive as described, and what is wrong with the rest."""
    module_of = {name: module for module, mutants in results.items() for name in mutants}
    excluded, problems = set(), []
    for entry in exclusions:
        name = entry["mutant"]
        module = module_of.get(name)
        if module is None:
            problems.append(f"{name}: no such mutant (the code changed?)")
            continue
        status = results[module][name]
        if status == "not checked":
            continue
        if status != "survived":
            problems.append(f"{name}: {status} now; remove the exclusion")
            continue
        if " ".join(entry["mutated"].split()) not in added_lines(name, module):
            problems.append(f"{name}: no longer reads {entry['mutated']!r}; find it again")
            continue
        excluded.add(name)
    return excluded, problems


def count(statuses: dict[str, str], excluded: set[str]) -> Counter:
    row = Counter({column: 0 for column in COLUMNS})
    for name, status in statuses.items():
        row["total"] += 1
        if status == "survived" and name in excluded:
            row["excluded"] += 1
        elif status in {"killed", "survived", "timeout", "not checked"}:
            row[status] += 1
        else:  # no tests, segfault, suspicious, ...
            row["other"] += 1
    return row


def score(row: Counter) -> float | None:
    tested = row["total"] - row["excluded"] - row["not checked"]
    return 100 * (row["killed"] + row["timeout"]) / tested if tested else None


def print_table(rows: dict[str, Counter]) -> None:
    width = max(len(name) for name in rows)
    header = f"{'module':<{width}}  " + "  ".join(f"{c:>8}" for c in COLUMNS) + "     score"
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        if name == "overall":
            print("-" * len(header))
        value = score(row)
        shown = "       -" if value is None else f"{value:7.1f}%"
        unchecked = f"  ({row['not checked']} not checked)" if row["not checked"] else ""
        cells = "  ".join(f"{row[c]:>8}" for c in COLUMNS)
        print(f"{name:<{width}}  {cells}  {shown}{unchecked}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", action="store_true", help="show each survivor's diff")
    parser.add_argument("--draft", action="store_true", help="print survivors as exclusions")
    parser.add_argument("--min-score", type=float, help="exit 1 below this score (percent)")
    parser.add_argument("--module", action="append", default=[], help="a module --min-score checks")
    args = parser.parse_args()

    os.chdir(ROOT)  # mutmut reads mutants/ relative to the project
    results = load_results()
    if not results:
        print("No results in mutants/: run `make mutation` (or `mutmut run`) first.")
        return 1
    excluded, problems = check_exclusions(results, load_exclusions())

    rows = {module: count(statuses, excluded) for module, statuses in results.items()}
    rows["overall"] = sum(rows.values(), Counter())
    print_table(rows)

    for module, statuses in results.items():
        for name, status in statuses.items():
            if status != "survived" or name in excluded:
                continue
            if args.survivors:
                print(f"\n# {name}\n{get_diff_for_mutant(name, path=module)}")
            if args.draft:
                mutated = json.dumps(added_lines(name, module), ensure_ascii=False)
                print(f'\n[[survivor]]\nmutant = "{name}"\nmutated = {mutated}\nreason = ""')

    failed = False
    if problems:
        print(f"\n{EXCLUSIONS.relative_to(ROOT)} does not match the results:")
        print("\n".join(f"  {problem}" for problem in problems))
        failed = True
    if args.min_score is not None:
        for module in args.module or ["overall"]:
            value = score(rows[module]) if module in rows else None
            if value is None or value < args.min_score:
                print(f"{module}: below {args.min_score:g}% ({value})")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
