"""Issue 19 point 5: error messages name the field and say what to do, never Django's
defaults; a select's empty choice is a prompt, not "---------"; limits are in words."""

import importlib
import pkgutil

import pytest
from django import forms
from django.db.models import BLANK_CHOICE_DASH

import mace
from mace.accounts.models import Agency
from mace.frontend.forms import CHOOSE_PROMPT, GovForm, GovFormMixin

DJANGO_WORDS = ("This field is required", "Select a valid choice", "Ensure this value")


class Example(GovForm):
    discussion = forms.CharField(label="What was discussed", max_length=10)
    level = forms.ChoiceField(
        label="The level of risk", choices=[*BLANK_CHOICE_DASH, ("high", "High")]
    )
    minutes = forms.IntegerField(label="Length of the meeting", min_value=15)
    agency = forms.ModelChoiceField(
        label="Agency 1: which agency (optional)", queryset=Agency.objects.none(), required=False
    )
    nhs = forms.CharField(label="NHS number")
    kept = forms.CharField(label="Kept", error_messages={"required": "Enter the kept thing"})


def test_required_fields_say_what_to_enter_or_select():
    form = Example(data={})

    assert form.errors["discussion"] == ["Enter what was discussed"]
    assert form.errors["level"] == ["Select the level of risk"]
    assert form.errors["minutes"] == ["Enter length of the meeting"]
    assert form.errors["nhs"] == ["Enter NHS number"]  # an abbreviation keeps its capitals
    assert form.errors["kept"] == ["Enter the kept thing"]  # a form's own message is kept


def test_bad_values_say_what_is_wrong_in_words():
    form = Example(
        data={"discussion": "x" * 12, "level": "extreme", "minutes": "ten", "agency": "99"}
    )

    assert form.errors["discussion"] == [
        "What was discussed must be 10 characters or fewer (it has 12)"
    ]
    assert form.errors["level"] == [
        "Select the level of risk: the choice sent is not one of those offered"
    ]
    assert form.errors["minutes"] == ["Enter length of the meeting as a whole number, like 12"]
    assert form.errors["agency"] == [
        "Select agency 1: which agency: the choice sent is not one of those offered"
    ]
    assert Example(data={"minutes": "5"}).errors["minutes"] == [
        "Length of the meeting must be 15 or more"
    ]


def test_a_select_offers_a_prompt_not_dashes():
    page = Example().as_p()

    assert "---------" not in page
    assert page.count(CHOOSE_PROMPT) == 2


def every_form_class():
    for module in pkgutil.walk_packages(mace.__path__, "mace."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = set(), [GovFormMixin]
    while todo:
        for sub in todo.pop().__subclasses__():
            if (
                sub not in found
                and sub.__module__.startswith("mace.")
                and ".tests" not in sub.__module__
            ):
                found.add(sub)
                todo.append(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


@pytest.mark.django_db
def test_no_form_of_mace_answers_an_empty_post_in_djangos_words():
    checked = 0
    for form_class in every_form_class():
        try:
            form = form_class(data={})
        except (TypeError, ValueError):
            continue  # needs its context (the user, the child), or is the model form base
        form.is_valid()
        messages = [str(m) for errors in form.errors.values() for m in errors]
        page = form.as_p() if form.fields else ""
        assert not [m for m in messages if m.startswith(DJANGO_WORDS)], form_class
        assert "---------" not in page, form_class
        checked += 1
    assert checked >= 20
