"""Issue 19 point 5: the scales (the return interview's six, 0 to 10, and the exploitation
assessment's safety scale, 1 to 10) are a row of numbered radios with their meaning said
at both ends (GovScaleField)."""

import re

import pytest
from django.template import Context, Template

from mace.accounts.models import Role
from mace.frontend.forms import GovForm, GovScaleField
from mace.interviews.forms import InterviewRecordForm
from mace.people.tests.factories import ChildFactory


def rendered(form: GovForm) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def scale_of(page: str, name: str) -> str:
    start = page.index(f'id="div_id_{name}"')
    return page[start : page.index("</fieldset>", start)]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class Example(GovForm):
    safe = GovScaleField(label="How safe (optional)", low="Not safe at all", high="Completely safe")


def test_a_scale_takes_a_number_from_its_radios_or_none():
    seven, blank = Example(data={"safe": "7"}), Example(data={})
    assert seven.is_valid()
    assert blank.is_valid()
    assert seven.cleaned_data == {"safe": 7}
    assert blank.cleaned_data == {"safe": None}
    assert Example(data={"safe": "11"}).errors["safe"] == [
        "Select how safe: the choice sent is not one of those offered"
    ]


@pytest.mark.django_db
def test_the_interview_scales_say_what_0_and_10_mean():
    page = rendered(InterviewRecordForm())

    for name, feeling in [("safe_before", "safe"), ("happy_since", "happy")]:
        scale = scale_of(page, name)
        assert "govuk-radios govuk-radios--inline govuk-radios--small" in scale
        assert scale.count('type="radio"') == 11
        assert f"0 is not {feeling} at all, 10 is completely {feeling}" in words(scale)
        assert f"0 Not {feeling} at all 1 2 3 4 5 6 7 8 9 10 Completely {feeling}" in words(scale)
        # The meaning is read with the end radios, not only seen.
        assert f'aria-describedby="id_{name}_1_hint"' in scale
        assert f'aria-describedby="id_{name}_11_hint"' in scale


@pytest.mark.django_db
def test_the_assessment_safety_scale_says_what_1_and_10_mean(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team)

    page = client_for(worker).get(f"/exploitation/{child.public_id}/assessments/new/")

    scale = scale_of(page.content.decode(), "safety_scale")
    assert scale.count('type="radio"') == 10
    assert "1 Least safe 2 3 4 5 6 7 8 9 10 Most safe" in words(scale)
