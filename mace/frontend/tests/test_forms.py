"""GovDateField: a date asked for as day, month and year, with GOV.UK error messages."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from mace.frontend.forms import GovDateField, GovForm


def clean(*parts: str, required: bool = True) -> datetime.date | None:
    return GovDateField(label="Date of birth", required=required).clean(list(parts))


def error_of(*parts: str) -> str:
    with pytest.raises(ValidationError) as raised:
        clean(*parts)
    return raised.value.messages[0]


def test_it_reads_day_month_and_year_as_a_date():
    assert clean("27", "3", "2012") == datetime.date(2012, 3, 27)


def test_it_allows_leading_zeros_spaces_and_month_names():
    assert clean(" 07 ", "03", "2012") == datetime.date(2012, 3, 7)
    assert clean("27", "March", "2012") == datetime.date(2012, 3, 27)
    assert clean("27", "sept", "2012") == datetime.date(2012, 9, 27)


def test_a_missing_year_is_named():
    assert error_of("27", "3", "") == "Date of birth must include a year"


def test_every_missing_part_is_named():
    assert error_of("", "", "2012") == "Date of birth must include a day and month"


def test_nothing_entered_asks_for_the_date():
    assert error_of("", "", "") == "Enter date of birth"


def test_nothing_entered_is_no_date_when_optional():
    assert clean("", "", "", required=False) is None


def test_an_impossible_date_must_be_a_real_date():
    assert error_of("31", "2", "2011") == "Date of birth must be a real date"


def test_letters_must_be_a_real_date():
    assert error_of("2x", "3", "2012") == "Date of birth must be a real date"
    assert error_of("27", "3", "twenty") == "Date of birth must be a real date"


def test_a_short_year_must_have_4_numbers():
    assert error_of("27", "3", "12") == "Year must include 4 numbers"


def test_messages_can_be_replaced():
    field = GovDateField(
        label="Date last seen", error_messages={"required": "Enter when they were last seen"}
    )
    with pytest.raises(ValidationError, match="Enter when they were last seen"):
        field.clean(["", "", ""])


class BirthForm(GovForm):
    date_of_birth = GovDateField(label="Date of birth")


def render(form: BirthForm, rf) -> str:
    return render_to_string(
        "includes/form.html", {"form": form}, request=rf.get("/")
    ) + render_to_string("includes/error_summary.html", {"form": form}, request=rf.get("/"))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match is not None, name
    return match.group(0)


def test_it_renders_the_govuk_date_input_in_a_fieldset(rf):
    html = render(BirthForm(), rf)
    assert '<legend class="govuk-fieldset__legend' in html
    assert "Date of birth" in html
    assert 'class="govuk-date-input"' in html
    for label in ("Day", "Month", "Year"):
        assert f">{label}</label>" in html
    assert "govuk-input--width-2" in input_tag(html, "date_of_birth_0")
    assert "govuk-input--width-4" in input_tag(html, "date_of_birth_2")
    assert 'inputmode="numeric"' in input_tag(html, "date_of_birth_1")
    assert "There is a problem" not in html


def test_only_the_missing_part_is_marked_and_the_summary_links_to_it(rf):
    form = BirthForm(data={"date_of_birth_0": "27", "date_of_birth_1": "3", "date_of_birth_2": ""})
    assert not form.is_valid()
    html = render(form, rf)
    assert "govuk-input--error" in input_tag(html, "date_of_birth_2")
    assert "govuk-input--error" not in input_tag(html, "date_of_birth_0")
    assert 'value="27"' in input_tag(html, "date_of_birth_0")
    assert "There is a problem" in html
    assert '<a href="#id_date_of_birth_2">Date of birth must include a year</a>' in html
    assert html.count("Date of birth must include a year") == 2  # summary and field


def test_an_impossible_date_marks_every_part(rf):
    form = BirthForm(
        data={"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2011"}
    )
    assert not form.is_valid()
    html = render(form, rf)
    for name in ("date_of_birth_0", "date_of_birth_1", "date_of_birth_2"):
        assert "govuk-input--error" in input_tag(html, name)
    assert '<a href="#id_date_of_birth_0">Date of birth must be a real date</a>' in html
