"""A significant-harm result (T13) or a high-risk episode (T4) says what happens next (issue 19
point 6): the page that follows has one notification banner headed by the deadline, read from
the due item the service has just created; once, not on every page after."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.frontend.banners import banner
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem
from mace.worklist.next_steps import deadline

HOUR = datetime.timedelta(hours=1)
NOW = timezone.now().replace(second=0, microsecond=0)
SIGNIFICANT_HARM = {
    "exploitation_type": "criminal",
    "open_to_csc": "true",
    "identified_by": "police",
    "yes_SH3": "on",
    "evidence_SH3": "Found carrying drugs in a car with older men",
    "yes_SH19": "on",
    "evidence_SH19": "Taken to a flat in another town twice this month",
}


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


@pytest.fixture
def officer(users):
    return users[Role.POLICE_OFFICER]


@pytest.fixture
def child(worker, team):
    return ChildFactory(allocated_worker=worker, team=team)


def stamp(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def the_banner(page: str) -> str:
    found = re.search(r'<div class="govuk-notification-banner[ "].*?</div>\s*</div>', page, re.S)
    return found.group(0) if found else ""


def banners(page: str) -> int:
    return len(re.findall(r'class="govuk-notification-banner[ "]', page))


def report(officer, child, grade=None):
    return episodes.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - 6 * HOUR,
        reported_at=NOW - 5 * HOUR,
        risk_grade=grade,
    )


def test_a_deadline_reads_as_people_say_it():
    london = zoneinfo.ZoneInfo("Europe/London")
    moment = datetime.datetime(2026, 12, 6, 14, 30, tzinfo=london)
    assert deadline(moment) == "14:30 on 6 December 2026"


class Message:
    def __init__(self, text, level_tag):
        self.text, self.level_tag = text, level_tag

    def __str__(self):
        return self.text


def test_messages_make_one_banner_headed_by_what_happens_next():
    assert banner([]) is None
    done = banner([Message("Saved", "success")])
    assert (done.success, done.heading, done.lines, done.alert) == (True, "Saved", [], True)
    mixed = banner(
        [
            Message("Risk assessment recorded", "success"),
            Message("Strategy meeting due by 14:30 on 6 December 2026", "warning"),
            Message("Refer to the police now", "warning"),
        ]
    )
    assert mixed.success is False
    assert mixed.heading == "Strategy meeting due by 14:30 on 6 December 2026"
    assert mixed.lines == ["Refer to the police now", "Risk assessment recorded"]
    assert mixed.alert is True


@pytest.mark.django_db
def test_T13_a_significant_harm_result_says_when_the_strategy_meeting_is_due(
    client_for, worker, child
):
    client = client_for(worker)
    response = client.post(
        f"/exploitation/{child.public_id}/assessments/new/", SIGNIFICANT_HARM, follow=True
    )
    page = response.content.decode()
    item = DueItem.objects.get(rule="T13")
    shown = the_banner(page)
    assert banners(page) == 1
    assert "govuk-notification-banner--success" not in shown
    assert 'role="alert"' in shown
    assert f"Strategy meeting due by {deadline(item.due_at)}</p>" in shown
    assert "refer the child to the police now" in shown
    assert "Risk assessment recorded" in shown
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert banners(again) == 0


@pytest.mark.django_db
def test_T13_a_lower_level_has_only_the_success_banner(client_for, worker, child):
    answers = {"exploitation_type": "criminal", "open_to_csc": "true", "identified_by": "police"}
    page = (
        client_for(worker)
        .post(f"/exploitation/{child.public_id}/assessments/new/", answers, follow=True)
        .content.decode()
    )
    assert banners(page) == 1
    assert "govuk-notification-banner--success" in the_banner(page)
    assert "due by" not in page


@pytest.mark.django_db
def test_T4_a_high_risk_child_found_says_when_the_safe_and_well_interview_is_due(
    client_for, officer, child
):
    episode = report(officer, child, grade="high")
    returned_at = NOW - HOUR / 2
    page = (
        client_for(officer)
        .post(
            f"/episodes/{episode.public_id}/found/",
            {"returned_at": stamp(returned_at), "return_method": "police", "version": 1},
            follow=True,
        )
        .content.decode()
    )
    item = DueItem.objects.get(key=f"safe_and_well:episode:{episode.pk}")
    assert item.rule == "T4"
    assert item.due_at == returned_at + HOUR
    shown = the_banner(page)
    assert banners(page) == 1
    assert f"Safe-and-well interview due by {deadline(returned_at + HOUR)}</p>" in shown
    assert "Return recorded" in shown


@pytest.mark.django_db
def test_T4_a_regrade_to_high_after_the_return_says_the_new_deadline(client_for, officer, child):
    episode = report(officer, child, grade="medium")
    returned_at = NOW - 2 * HOUR
    episodes.episode_record_return(actor=officer, episode=episode, returned_at=returned_at)
    page = (
        client_for(officer)
        .post(f"/episodes/{episode.public_id}/risk/", {"grade": "high"}, follow=True)
        .content.decode()
    )
    shown = the_banner(page)
    assert f"Safe-and-well interview due by {deadline(returned_at + HOUR)}</p>" in shown
    assert "High risk (T4)" in shown


@pytest.mark.django_db
def test_T4_a_high_risk_report_says_the_interview_is_due_within_the_hour_of_being_found(
    client_for, officer, child
):
    form = {
        "kind": "missing",
        "missing_from": "home",
        "last_seen_at": stamp(NOW - 2 * HOUR),
        "risk_grade": "high",
    }
    page = (
        client_for(officer)
        .post(f"/children/{child.public_id}/report-missing/", form, follow=True)
        .content.decode()
    )
    shown = the_banner(page)
    assert banners(page) == 1
    assert "Safe-and-well interview due within 1 hour of the child being found</p>" in shown
    assert f"{child.reference} reported missing" in shown


@pytest.mark.django_db
def test_T4_a_medium_risk_return_has_only_the_success_banner(client_for, officer, child):
    episode = report(officer, child, grade="medium")
    page = (
        client_for(officer)
        .post(
            f"/episodes/{episode.public_id}/found/",
            {"returned_at": stamp(NOW - HOUR), "return_method": "police", "version": 1},
            follow=True,
        )
        .content.decode()
    )
    assert banners(page) == 1
    assert "govuk-notification-banner--success" in the_banner(page)
    assert "due by" not in the_banner(page)
