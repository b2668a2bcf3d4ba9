"""The report pages' period forms say which day is missing in words (issue 19 point 5)."""

from mace.reports.forms import AnnualForm, SSDForm


def test_an_empty_period_names_the_days_to_enter():
    for form in (AnnualForm(data={}), SSDForm(data={})):
        assert not form.is_valid()
        assert form.errors["start"] == ["Enter the first day of the period"]
        assert form.errors["end"] == ["Enter the last day of the period"]
