"""The one CSV reader: a UTF-8 file with a header row, read whole, or refused whole with a
message that says what to fix. The tracker import (`mace.imports`) and the education
uploads (`mace.education.services`) read through it; what each row means is theirs."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class CsvFileError(Exception):
    """A file cannot be used at all (unreadable, not UTF-8, not CSV, columns missing)."""


@dataclass
class SourceRow:
    """One data row as found: its line, its cells, and its values by column (stripped)."""

    line: int
    cells: list[str]
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass
class CsvFile:
    path: Path
    columns: list[str]
    rows: list[SourceRow]


def read_csv(path: Path, required: Sequence[str]) -> CsvFile:
    """Read a UTF-8 CSV with a header row; refuse the whole file if it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return read_csv_bytes(data, path, required)


def read_csv_upload(name: str, data: bytes, *, required: Sequence[str], max_bytes: int) -> CsvFile:
    """The same, for an uploaded file: refused when larger than `max_bytes` or not a .csv."""
    if len(data) > max_bytes:
        raise CsvFileError(
            f"{name} is {len(data) // 1024} KB; the largest file accepted is "
            f"{max_bytes // 1024} KB. Split it and upload each part."
        )
    if not name.lower().endswith(".csv"):
        raise CsvFileError(f"{name} is not a .csv file: save it as CSV UTF-8")
    return read_csv_bytes(data, Path(name), required)


def read_csv_bytes(data: bytes, path: Path, required: Sequence[str]) -> CsvFile:
    """The same, for a file's bytes; `path` names it in messages."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"{path}: is not UTF-8 text (the byte at position {exc.start} is not); "
            "save it as 'CSV UTF-8' and try again"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise CsvFileError(f"{path}: is empty; the first line must be the header row")
        columns = [name.strip() for name in header]
        repeated = sorted({name for name in columns if name and columns.count(name) > 1})
        if repeated:
            raise CsvFileError(
                f"{path}: the header names {', '.join(repeated)} more than once; each column once"
            )
        missing = [name for name in required if name not in columns]
        if missing:
            raise CsvFileError(
                f"{path}: required column{'s' if len(missing) > 1 else ''} missing: "
                f"{', '.join(missing)}. The header row must name {', '.join(required)}; "
                "nothing was imported"
            )
        rows = [_source_row(reader.line_num, cells, columns) for cells in reader]
    except csv.Error as exc:
        raise CsvFileError(f"{path}: line {reader.line_num} is not valid CSV ({exc})") from exc
    return CsvFile(path=path, columns=columns, rows=[row for row in rows if row is not None])


def _source_row(line: int, cells: list[str], columns: list[str]) -> SourceRow | None:
    if not any(cell.strip() for cell in cells):
        return None  # blank lines and the empty rows spreadsheets leave at the end
    values = {
        name: (cells[index].strip() if index < len(cells) else "")
        for index, name in enumerate(columns)
        if name
    }
    row = SourceRow(line=line, cells=cells, values=values)
    extra = [cell for cell in cells[len(columns) :] if cell.strip()]
    if extra:
        row.problems.append(
            f"row: has {len(cells)} cells but the header has {len(columns)} columns; "
            "put a value that contains a comma in double quotes"
        )
    return row
