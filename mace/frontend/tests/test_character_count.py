"""Issue 19 point 5: every textarea whose field has a max_length is a GOV.UK character
count (the gds/field.html override and `character_limit`), and text over the limit is
refused with the count in words, nothing lost."""

import re

import pytest
from django import forms
from django.template import Context, Template

from mace.frontend.forms import GovForm
from mace.meetings import panels
from mace.meetings.tests.helpers import next_day, weekly_series


class Example(GovForm):
    note = forms.CharField(label="Note", widget=forms.Textarea, max_length=50)
    hinted = forms.CharField(
        label="Reasons", help_text="Say why", widget=forms.Textarea, max_length=1500
    )
    free = forms.CharField(label="Free text", widget=forms.Textarea, required=False)
    short = forms.CharField(label="Name", max_length=50)


def rendered(form: GovForm) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def group(page: str, name: str) -> str:
    start = page.index(f'id="div_id_{name}"')
    end = page.find('id="div_id_', start + 1)
    return page[start : end if end != -1 else len(page)]


def test_a_textarea_with_a_limit_is_a_character_count():
    page = rendered(Example())
    note = group(page, "note")

    assert 'data-module="govuk-character-count"' in note
    assert 'data-maxlength="50"' in note
    assert '<div id="id_note-info" class="govuk-hint govuk-character-count__message">' in note
    assert "You can enter up to 50 characters" in note
    textarea = re.search(r"<textarea[^>]*>", note)
    assert textarea is not None
    assert "govuk-js-character-count" in textarea.group()
    assert 'aria-describedby="id_note-info"' in textarea.group()
    # No hard limit: text pasted in over the limit is not cut off without a word.
    assert "maxlength" not in textarea.group()


def test_the_count_follows_the_hint_and_the_limit_is_in_words():
    hinted = group(rendered(Example()), "hinted")

    assert "You can enter up to 1,500 characters" in hinted
    assert 'aria-describedby="id_hinted_hint id_hinted-info"' in hinted


def test_fields_without_a_limit_or_not_textareas_have_no_count():
    page = rendered(Example())

    assert "character-count" not in group(page, "free")
    assert "character-count" not in group(page, "short")
    assert 'maxlength="50"' in group(page, "short")


def test_a_form_rendered_twice_says_it_once():
    form = Example(data={"note": "x" * 51})
    form.is_valid()
    rendered(form)
    note = group(rendered(form), "note")

    assert note.count("-info") == 2  # the message's id and the textarea's aria-describedby
    assert note.count("govuk-js-character-count") == 1


@pytest.mark.django_db
def test_the_minutes_page_counts_and_refuses_over_long_minutes_keeping_them(users, client_for):
    coordinator = users["missing_coordinator"]
    series = weekly_series()
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    url = f"/meetings/{meeting.public_id}/minutes/"

    page = client_for(coordinator).get(url).content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="100000"' in page
    assert "You can enter up to 100,000 characters" in page

    too_long = "Discussed" + "." * 99_992  # 100,001 characters
    refused = client_for(coordinator).post(url, {"step": "save", "minutes": too_long})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Minutes must be 100,000 characters or fewer (it has 100001)" in page
    assert too_long in page
    meeting.refresh_from_db()
    assert meeting.minutes == ""
