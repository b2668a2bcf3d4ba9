from mace.lib.quoting import QUOTE_LIMIT, quoted


def test_a_short_value_is_quoted_whole():
    assert quoted("31/02/2010") == '"31/02/2010"'
    assert quoted("") == '""'
    assert quoted("x" * QUOTE_LIMIT) == '"' + "x" * QUOTE_LIMIT + '"'


def test_a_long_value_is_quoted_by_its_first_characters_and_its_length():
    value = "Bartholomew" + "e" * 9_989
    assert len(value) == 10_000
    assert quoted(value) == f'"{value[:QUOTE_LIMIT]}…" (10,000 characters)'
    assert len(quoted(value)) < 70
