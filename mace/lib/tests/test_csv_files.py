"""The one CSV reader (`mace.lib.csv_files`): a file is read whole or refused whole."""

import re
from pathlib import Path

import pytest

from mace.lib.csv_files import CsvFileError, read_csv, read_csv_bytes, read_csv_upload


def test_rows_are_read_by_column_stripped_with_blank_lines_skipped():
    data = "\ufeffa, b\n 1 ,2\n\n,\n3,4,\n".encode()
    csv_file = read_csv_bytes(data, Path("x.csv"), ["a"])
    assert csv_file.columns == ["a", "b"]
    assert [(row.line, row.values, row.problems) for row in csv_file.rows] == [
        (2, {"a": "1", "b": "2"}, []),
        (5, {"a": "3", "b": "4"}, []),
    ]


def test_a_row_with_more_cells_than_the_header_is_read_with_a_problem():
    (row,) = read_csv_bytes(b"a,b\n1,2,3\n", Path("x.csv"), ["a"]).rows
    assert row.problems == [
        "row: has 3 cells but the header has 2 columns; "
        "put a value that contains a comma in double quotes"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.csv: is empty"),
        (b"a,a\n", "x.csv: the header names a more than once"),
        (b"b\n1\n", "x.csv: required column missing: a."),
        (b"a\n\xff\n", "x.csv: is not UTF-8 text (the byte at position 2 is not)"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(data, message):
    with pytest.raises(CsvFileError, match=re.escape(message)):
        read_csv_bytes(data, Path("x.csv"), ["a"])


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CsvFileError, match="cannot be read"):
        read_csv(tmp_path / "none.csv", ["a"])


def test_an_upload_too_large_or_not_csv_is_refused_before_it_is_read():
    with pytest.raises(CsvFileError, match="the largest file accepted is 1 KB"):
        read_csv_upload("x.csv", b"a\n" + b"1\n" * 1024, required=["a"], max_bytes=1024)
    with pytest.raises(CsvFileError, match=re.escape("x.xlsx is not a .csv file")):
        read_csv_upload("x.xlsx", b"a\n1\n", required=["a"], max_bytes=1024)
    assert len(read_csv_upload("x.CSV", b"a\n1\n", required=["a"], max_bytes=1024).rows) == 1
