import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mace.lib.spreadsheet import FORMULA_STARTS, safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_a_spreadsheet_would_run_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@given(st.text())
def test_no_text_leaves_starting_a_formula_and_none_loses_its_content(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell.endswith(text)


def test_numbers_dates_and_plain_text_are_unchanged():
    day = datetime.date(2026, 3, 29)
    assert safe_row([-4, 2.5, day, "Missing from care", "", None]) == [
        -4,
        2.5,
        day,
        "Missing from care",
        "",
        None,
    ]
