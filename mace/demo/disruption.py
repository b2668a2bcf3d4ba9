"""Demonstration disruption plans and outcomes, for `manage.py seed_demo`.

Children whose latest risk assessment shows a risk (at risk or significant harm) get one
to three actions from the A3 library, owned by their worker, the police or someone outside
MACE; most past actions have an outcome, a few are overdue. The dataset's outcomes (003 A7)
are few, as the seeds report them: some warning notices to persons linked to children as
suspected exploiters, a handful of sexual risk orders, convictions and licensing actions at
hotspots, and protective action for children at risk of significant harm. Everything is
fictional and drawn from the seeded random generator.
"""

import random
from datetime import datetime, timedelta

from faker import Faker

from mace.accounts.models import Agency, User
from mace.disruption.models import (
    DisruptionAction,
    DisruptionOutcome,
    Heading,
    InterventionOption,
)
from mace.exploitation.models import Assessment, RiskLevel
from mace.intelligence.models import Link, Location
from mace.people.models import Child
from mace.worklist.engine import sync_child

OPEN_RISK = (RiskLevel.AT_RISK, RiskLevel.SIGNIFICANT_HARM)
OUTCOMES = [
    "Done as planned; reviewed at the monitoring meeting.",
    "Carried out. She engages better with the new key worker.",
    "Partly done: the family declined the second session.",
    "Completed. No further sightings with the adult since.",
    "Notice served; the adult has not been seen near the home since.",
]


def _heading(aim_order: int, rng: random.Random) -> str:
    """The heading an action of this A3 aim most often comes under."""
    if aim_order in (1, 2):
        return Heading.DISRUPT
    if aim_order == 3:
        return rng.choice([Heading.IDENTIFY, Heading.IDENTIFY, Heading.PROSECUTE])
    if aim_order in (11, 16):
        return Heading.PREVENT
    if aim_order == 19:
        return Heading.PROSECUTE
    return Heading.SUPPORT


def _at_risk_children() -> list[tuple[Child, Assessment]]:
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.select_related("child__allocated_worker").order_by(
        "assessed_at", "pk"
    ):
        latest[assessment.child_id] = assessment
    return [(a.child, a) for a in latest.values() if a.level in OPEN_RISK]


def seed_disruption(
    rng: random.Random, faker: Faker, users: dict[str, User], now: datetime
) -> dict[str, int]:
    """Plans for children at risk and the dataset's outcomes. Returns what was made."""
    today = now.date()
    officer = users["police.officer"]
    coordinator = users["missing.coordinator"]
    police = Agency.objects.filter(kind=Agency.Kind.POLICE).first()
    csc = Agency.objects.filter(kind=Agency.Kind.CHILDRENS_SOCIAL_CARE).first()
    others = list(Agency.objects.exclude(kind__in=[Agency.Kind.POLICE]))
    if police is None or csc is None:
        return {}
    options = list(InterventionOption.objects.select_related("aim"))
    at_risk = _at_risk_children()
    actions: list[DisruptionAction] = []
    for child, assessment in at_risk:
        worker = child.allocated_worker or coordinator
        for _ in range(rng.randint(1, 3)):
            option = rng.choice(options)
            heading = _heading(option.aim.order, rng)
            by_police = heading in (Heading.DISRUPT, Heading.PROSECUTE)
            outsider = not by_police and rng.random() < 0.2
            created = assessment.assessed_at + timedelta(days=rng.randint(0, 7))
            due = created.date() + timedelta(days=rng.randint(7, 42))
            done = due < today and rng.random() < 0.85
            actions.append(
                DisruptionAction(
                    child=child,
                    heading=heading,
                    aim=option.aim,
                    option=option,
                    description=option.text,
                    owner=None if outsider else (officer if by_police else worker),
                    owner_name=f"{faker.name()}, youth worker" if outsider else "",
                    agency=police if by_police else rng.choice(others),
                    due_date=due,
                    monitor=worker,
                    outcome=rng.choice(OUTCOMES) if done else "",
                    outcome_recorded_at=(datetime.combine(due, created.timetz()) if done else None),
                    outcome_recorded_by=(officer if by_police else worker) if done else None,
                    created_by=worker,
                )
            )
    DisruptionAction.objects.bulk_create(actions)

    outcomes: list[DisruptionOutcome] = []

    def outcome(kind: str, **about: object) -> None:
        outcomes.append(
            DisruptionOutcome(
                kind=kind,
                occurred_on=today - timedelta(days=rng.randint(1, 720)),
                agency=police if kind != DisruptionOutcome.Kind.PROTECTIVE else csc,
                recorded_by=officer if kind != DisruptionOutcome.Kind.PROTECTIVE else coordinator,
                **about,
            )
        )

    exploiter_links = Link.objects.filter(
        kind=Link.Kind.EXPLOITER, child__isnull=False
    ).select_related("child", "person")
    for link in exploiter_links:
        draw = rng.random()
        if draw < 0.3:
            outcome(DisruptionOutcome.Kind.ABDUCTION_WARNING, child=link.child, person=link.person)
        elif draw < 0.36:
            outcome(DisruptionOutcome.Kind.SEXUAL_RISK_ORDER, child=link.child, person=link.person)
        elif draw < 0.4:
            outcome(DisruptionOutcome.Kind.CONVICTION, child=link.child, person=link.person)
    for place in Location.objects.filter(is_hotspot=True):
        if rng.random() < 0.3:
            outcome(DisruptionOutcome.Kind.LICENSING, location=place)
        elif rng.random() < 0.3:
            outcome(DisruptionOutcome.Kind.REGULATORY, location=place)
    for child, assessment in at_risk:
        if assessment.level == RiskLevel.SIGNIFICANT_HARM and rng.random() < 0.4:
            outcome(DisruptionOutcome.Kind.PROTECTIVE, child=child)
    DisruptionOutcome.objects.bulk_create(outcomes)

    for child in {child.pk: child for child, _ in at_risk}.values():
        sync_child(child)
    return {"disruption actions": len(actions), "disruption outcomes": len(outcomes)}
