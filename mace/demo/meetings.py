"""Demonstration panels, for `manage.py seed_demo`: the weekly monitoring meeting with its
chair and members, its last three meetings built from the records, attended, discussed
(agencies' views and actions) and minuted at different stages (so T21 shows), the next
one's agenda, and the last quarter's MASE. Made through the services, as a coordinator
and the chair would, so the audit trail and worklists are as they would be."""

import datetime
import random

from faker import Faker

from mace.accounts.models import Agency, User
from mace.meetings import cadence, panels
from mace.meetings.models import PanelMeeting, PanelSeries, RiskView

DISCUSSIONS = [
    "Missing twice since the last meeting, found each time near the station. Carer reports "
    "new clothes and a second phone.",
    "Return interview completed: says she stays with a friend. Police to check the address.",
    "No episodes this fortnight. Engaging with the youth worker; school attendance improving.",
    "Placed here by another authority; placing social worker not yet told of the last episode.",
]
ACTIONS = [
    "Share the latest intelligence with the placing authority",
    "Visit the carer and review the safety plan",
    "Complete the outstanding return home interview",
    "Refer to the specialist exploitation service",
]


def seed_panels(
    rng: random.Random, faker: Faker, users: dict[str, User], now: datetime.datetime
) -> dict[str, int]:
    coordinator = users["missing.coordinator"]
    chair = users["panel.member"]
    weekly = PanelSeries.objects.filter(kind=PanelSeries.Kind.MONITORING).first()
    mase = PanelSeries.objects.filter(kind=PanelSeries.Kind.MASE).first()
    if weekly is None or mase is None:
        return {}
    weekly.chair = chair
    weekly.venue = "Civic Offices, committee room 2"
    weekly.save()
    weekly.members.set(
        [chair, users["inclusion.officer"], users["rhi.worker"], users["police.officer"]]
    )
    mase.chair = users["police.officer"]
    mase.save()
    mase.members.set([users["police.officer"], users["manager"], chair])

    today = now.date()
    past = cadence.meeting_dates(
        weekly, today - datetime.timedelta(days=27), today - datetime.timedelta(days=1)
    )[-3:]
    agencies = list(Agency.objects.all())
    discussed = 0
    for n, day in enumerate(past):
        meeting = panels.panel_meeting_open(actor=coordinator, series=weekly, day=day)
        panels.agenda_build(actor=coordinator, meeting=meeting)
        for person in (chair, coordinator, users["police.officer"], users["inclusion.officer"]):
            panels.attendee_add(
                actor=coordinator, meeting=meeting, user=person, agency=person.agency
            )
        health = next((a for a in agencies if a.kind == Agency.Kind.HEALTH), None)
        if health is not None:
            panels.attendee_add(
                actor=coordinator, meeting=meeting, name=f"{faker.name()}, LAC nurse", agency=health
            )
        items = list(meeting.items.select_related("child__allocated_worker")[:4])
        for item in items:
            owner = item.child.allocated_worker or coordinator
            views = [
                panels.RiskViewInput(agency, rng.choice(RiskView.values))
                for agency in rng.sample(agencies, min(2, len(agencies)))
            ]
            actions = [
                panels.ActionInput(
                    rng.choice(ACTIONS), owner, day + datetime.timedelta(days=rng.randint(7, 21))
                )
            ]
            panels.discussion_record(
                actor=coordinator,
                item=item,
                discussion=rng.choice(DISCUSSIONS),
                decisions="Risk agreed as above; review at the next meeting.",
                views=views,
                actions=actions,
            )
            discussed += 1
        minutes = (
            f"{len(items)} children discussed; each agency stated its view of the risk. "
            "Actions as recorded against each child."
        )
        panels.minutes_save(actor=coordinator, meeting=meeting, minutes=minutes)
        if n < len(past) - 1:
            panels.minutes_agree(actor=chair, meeting=meeting)
        if n == 0:
            panels.minutes_circulate(actor=coordinator, meeting=meeting)
    upcoming = cadence.next_meeting(weekly, today)
    if upcoming is not None:
        meeting = panels.panel_meeting_open(actor=coordinator, series=weekly, day=upcoming)
        panels.agenda_build(actor=coordinator, meeting=meeting)
    last_mase = cadence.previous_meeting(mase, today)
    if last_mase is not None:
        panels.panel_meeting_open(actor=coordinator, series=mase, day=last_mase)
    return {
        "panel meetings": PanelMeeting.objects.count(),
        "children discussed at panels": discussed,
    }
