import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mace.lib.quarters import Quarter


def test_a_quarter_is_parsed_and_spans_three_months():
    quarter = Quarter.parse("2026q4")

    assert (quarter.start, quarter.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert str(quarter) == "2026Q4"
    assert quarter.next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == quarter
    assert quarter.label == "October to December 2026"


@pytest.mark.parametrize("text", ["2026", "2026Q5", "Q1 2026", ""])
def test_a_badly_written_quarter_says_how_to_write_it(text):
    with pytest.raises(ValueError, match="like 2026Q3"):
        Quarter.parse(text)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31)))
def test_every_day_falls_in_the_quarter_that_contains_it(day):
    quarter = Quarter.containing(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.next().start == quarter.end + datetime.timedelta(days=1)
