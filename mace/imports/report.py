"""What an import reports: the tallies, the rejected rows and the rejects file."""

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mace.imports.rows import Outcome
from mace.lib.csv_files import CsvFile, SourceRow
from mace.lib.spreadsheet import safe_row


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )


@dataclass
class Rejected:
    line: int
    cells: list[str]
    reasons: list[str]


@dataclass
class FileResult:
    csv: CsvFile
    rejected: dict[int, Rejected] = field(default_factory=dict)
    rejects_path: Path | None = None

    def reject(self, row: SourceRow, reasons: Iterable[str]) -> None:
        entry = self.rejected.setdefault(row.line, Rejected(row.line, row.cells, []))
        entry.reasons.extend(reason for reason in reasons if reason not in entry.reasons)


SHOWN_REJECTS = 10


@dataclass
class ImportReport:
    dry_run: bool
    children: Tally = field(default_factory=Tally)
    episodes: Tally = field(default_factory=Tally)
    interviews_provider_not_known: Counter[str] = field(default_factory=Counter)
    files: list[FileResult] = field(default_factory=list)
    # New children like ones held, put on the review list (issue 18; imports.duplicates).
    duplicates_for_review: int = 0
    review_list: str = ""

    def lines(self) -> list[str]:
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written. An import would do this:")
        lines.append(f"Children: {self.children}")
        lines.append(f"Episodes: {self.episodes}")
        for rule, count in sorted(self.interviews_provider_not_known.items()):
            lines.append(
                f"Warning: return interviews recorded with the provider not known: {count} "
                f"(no active provider agency for the rule: {rule}). Choose the provider "
                "agencies at /settings/providers/"
            )
        review = f"Possible duplicates for review: {self.duplicates_for_review}"
        if self.duplicates_for_review:
            review += f" (merge each or confirm as different at {self.review_list})"
        lines.append(review)
        for result in self.files:
            if not result.rejected:
                continue
            name = result.csv.path.name
            if result.rejects_path is not None:
                lines.append(f"Rejected rows of {name}, with reasons: {result.rejects_path}")
            else:
                lines.append(f"Rejected rows of {name}:")
            entries = sorted(result.rejected.values(), key=lambda entry: entry.line)
            shown = entries if result.rejects_path is None else entries[:SHOWN_REJECTS]
            for entry in shown:
                lines.append(f"  line {entry.line}: {'; '.join(entry.reasons)}")
            if len(entries) > len(shown):
                lines.append(f"  ... and {len(entries) - len(shown)} more in the rejects file")
        return lines


def rejects_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def write_rejects(result: FileResult) -> None:
    """Write the rejected rows beside the input, or remove a stale file when there are none."""
    path = rejects_path_for(result.csv.path)
    if not result.rejected:
        path.unlink(missing_ok=True)
        return
    columns = [name for name in result.csv.columns if name != "reasons"]
    keep = [index for index, name in enumerate(result.csv.columns) if name != "reasons"]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(safe_row([*columns, "reasons"]))
        for entry in sorted(result.rejected.values(), key=lambda entry: entry.line):
            cells = [entry.cells[index] if index < len(entry.cells) else "" for index in keep]
            # People open this file in a spreadsheet to correct it: no cell runs as a formula.
            writer.writerow(safe_row([*cells, " | ".join(entry.reasons)]))
    result.rejects_path = path
