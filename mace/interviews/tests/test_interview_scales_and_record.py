"""The return home interview shown back (issue 19 point 3): the child's six scales over time
on the child's page, as a chart with a table of the same figures, for those who may see
what the child said."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.accounts.models import Role
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.interviews import services

pytestmark = pytest.mark.django_db


def hold(users, episode, **record):
    interview = episode.return_interview
    return services.interview_record(
        actor=users[Role.MISSING_COORDINATOR],
        interview=interview,
        expected_version=interview.version,
        completed_at=episode.returned_at + datetime.timedelta(hours=20),
        childs_account="Stayed at a friend's flat",
        harboured_where_by_whom="A flat on Test Lane, by an older boy",
        information_to_find_next_time="Goes to the skate park by the station",
        **record,
    )


SCALES = {
    "safe_before": 6,
    "safe_while_missing": 2,
    "safe_since": 8,
    "happy_before": 4,
    "happy_while_missing": 3,
    "happy_since": 9,
}


def test_the_six_scales_are_drawn_over_time_with_a_table_of_the_same_figures(
    users, returned, client_for
):
    interview = hold(users, returned, **SCALES)
    child = returned.child
    page = client_for(users[Role.MISSING_COORDINATOR]).get(f"/children/{child.public_id}/")
    html = page.content.decode()
    figure = html[html.index('data-testid="scales-chart"') :]
    figure = figure[: figure.index("</figure>")]
    assert '<svg role="img" aria-label="How safe and how happy' in figure
    assert "mace-table-scroll" in figure
    table = html[html.index('data-testid="scales-table"') :]
    table = table[: table.index("</table>")]
    held = timezone.localtime(interview.completed_at)
    assert f"{held:%-d %b %Y}" in table
    cells = [
        cell.split(">", 1)[1].split("<", 1)[0]
        for cell in table.split('govuk-table__cell govuk-table__cell--numeric"')[1:]
    ]
    assert cells == ["6", "2", "8", "4", "3", "9"]


def test_no_scales_no_chart(users, returned, client_for):
    hold(users, returned)
    child = returned.child
    html = client_for(users[Role.MISSING_COORDINATOR]).get(f"/children/{child.public_id}/")
    assert 'data-testid="scales-chart"' not in html.content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER])
def test_those_who_open_the_record_see_the_scales(role, users, returned, client_for):
    hold(users, returned, **SCALES)
    html = client_for(users[role]).get(f"/children/{returned.child.public_id}/").content
    assert b'data-testid="scales-table"' in html


def test_those_who_may_not_open_the_record_see_no_scales(users, returned, client_for):
    hold(users, returned, **SCALES)
    worker = users[Role.RHI_WORKER]  # not referred this child
    response = client_for(worker).get(f"/children/{returned.child.public_id}/")
    assert response.status_code in (403, 404)
    assert b"scales-table" not in response.content


# The printable record of the interview (003 A4)

A4_TEXTS = {
    "parents_views": "Carer worried about older friends collecting her",
    "interviewer_analysis": "Push factor at home; plan a family group conference",
    "referrals_made": "Young people's substance misuse service",
}


def pdf_url(episode):
    return f"/documents/episodes/{episode.public_id}/return-interview.pdf"


def test_the_record_holds_every_a4_field_the_childs_details_and_the_marking(users, returned):
    from mace.documents import render
    from mace.documents.letterhead import letterhead

    interview = hold(
        users,
        returned,
        **SCALES,
        **A4_TEXTS,
        harmed=False,
        victim_of_crime=True,
        perpetrator_of_crime=False,
        health_assessment_offered=True,
        sexual_health_referral=True,
    )
    html = render.return_interview_html(interview)
    child = returned.child
    marking = letterhead().protective_marking
    assert marking
    assert html.count(f'class="marking">{marking}<') == 1  # running head and foot of each page
    for words in (
        escape(child.full_name),  # a Faker name may hold an apostrophe: O'Neill
        escape(child.reference),
        "Stayed at a friend&#x27;s flat",
        "A flat on Test Lane, by an older boy",
        "Goes to the skate park by the station",
        "Carer worried about older friends collecting her",
        "Push factor at home; plan a family group conference",
        "Young people&#x27;s substance misuse service",
        "2 out of 10",
        "9 out of 10",
        "Were they a victim of crime?</th><td>Yes",
        "Did they commit a crime while missing?</th><td>No",
        "Were they harmed?</th><td>No",
        "Referred to the sexual health advisor?</th><td>Yes",
        "Health assessment offered?</th><td>Yes",
    ):
        assert words in html, words
    assert render.return_interview_pdf(interview).startswith(b"%PDF")


def test_the_record_is_downloaded_by_reference_and_audited_as_an_export(
    users, returned, client_for
):
    from mace.audit.models import AuditEvent

    hold(users, returned, **SCALES)
    worker = users[Role.SOCIAL_WORKER]
    episode_page = client_for(worker).get(f"/episodes/{returned.public_id}/").content.decode()
    assert pdf_url(returned) in episode_page
    response = client_for(worker).get(pdf_url(returned))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    child = returned.child
    assert response["Content-Disposition"] == (
        f'attachment; filename="{child.reference}-return-interview.pdf"'
    )
    assert AuditEvent.objects.filter(
        actor=worker, action=AuditEvent.Action.EXPORT, child_id=child.public_id
    ).exists()


@pytest.mark.parametrize("role", [Role.RHI_WORKER, Role.ANALYST, Role.AUDITOR])
def test_those_who_may_not_open_the_record_may_not_download_it(role, users, returned, client_for):
    from mace.audit.models import AuditEvent

    hold(users, returned, **SCALES)
    response = client_for(users[role]).get(pdf_url(returned))
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(
        actor=users[role], action=AuditEvent.Action.EXPORT
    ).exists()


def test_a_restricted_record_asks_for_a_reason_before_the_download(users, returned, client_for):
    hold(users, returned, **SCALES)
    child = returned.child
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    response = client_for(users[Role.MISSING_COORDINATOR]).get(pdf_url(returned))
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.public_id}/reason/"
