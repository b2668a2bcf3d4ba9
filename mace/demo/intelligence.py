"""Demonstration exploitation data: risk assessments, persons of concern, places and links,
in the shapes the seeds report (000, 001, 002):

- most children at risk of sexual exploitation are girls aged 14 to 17, and many of them
  also go missing; criminal exploitation is mostly boys;
- most suspects are male and act alone, many are adults in their late teens or twenties,
  some are peers, and many children met them online;
- a handful of places (takeaways, parks, a station, flats) recur as hotspots.

Everything is fictional and drawn from the seeded random generator, so the same seed gives
the same data. Rows are written with bulk_create; the worklists of children assessed in
the last four months are then brought in step.
"""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from faker import Faker

from mace.accounts.models import User
from mace.episodes.models import Episode
from mace.exploitation.instruments import active_instrument
from mace.exploitation.models import (
    Answer,
    Assessment,
    AssessmentDraft,
    ExploitationType,
    FormOfExploitation,
    MethodOfCoercion,
    RiskLevel,
    SourceOfIdentification,
    SuspectFact,
)
from mace.exploitation.scoring import score_and_level
from mace.intelligence.models import (
    AgeGroup,
    Confidence,
    IntelligenceNote,
    Link,
    Location,
    OnlineIdentity,
    PersonOfConcern,
    Phone,
    Vehicle,
)
from mace.lib.days import day_of
from mace.meetings.models import StrategyMeeting
from mace.people.models import Child, Gender
from mace.worklist.engine import sync_child

SOURCE_WEIGHTS = {
    SourceOfIdentification.POLICE: 0.3,
    SourceOfIdentification.SOCIAL_CARE: 0.28,
    SourceOfIdentification.SCHOOL: 0.18,
    SourceOfIdentification.HEALTH: 0.12,
    SourceOfIdentification.PARENT: 0.06,
    SourceOfIdentification.CHILD: 0.03,
    SourceOfIdentification.OTHER: 0.03,
}


def suspect_facts(rng: random.Random, forms: list[str]) -> list[str]:
    """What is known of the suspects (001: most act alone, a few have several victims or
    belong to an organised group, and many met the child online)."""
    facts = set()
    if FormOfExploitation.ORGANISED_GROUP in forms or FormOfExploitation.GANG in forms:
        facts.add(SuspectFact.ORGANISED_GROUP)
    elif rng.random() < 0.7:
        facts.add(SuspectFact.ACTING_ALONE)
    if rng.random() < 0.15:
        facts.add(SuspectFact.SEVERAL_VICTIMS)
    if FormOfExploitation.ONLINE in forms:
        facts.add(SuspectFact.MET_ONLINE)
    return [fact.value for fact in SuspectFact if fact in facts]


T = TypeVar("T")

# How each assessed child's levels run from first to latest assessment.
TRAJECTORIES: dict[tuple[str, ...], float] = {
    ("vulnerable",): 0.22,
    ("at_risk",): 0.12,
    ("vulnerable", "at_risk"): 0.14,
    ("at_risk", "significant_harm"): 0.10,
    ("significant_harm", "at_risk", "vulnerable"): 0.08,
    ("at_risk", "vulnerable", "not_at_risk"): 0.14,  # ceased to be at risk
    ("vulnerable", "not_at_risk"): 0.10,
    ("significant_harm", "significant_harm"): 0.04,
    ("vulnerable", "at_risk", "significant_harm"): 0.06,
}
EVIDENCE = [
    "Reported by the school's designated safeguarding lead.",
    "Seen by police patrol late at night.",
    "Disclosed at the return home interview.",
    "Carer found new clothes and a second phone.",
    "Health: attended the sexual health clinic.",
    "Youth worker's observation at the drop-in.",
    "Information from a parent.",
]
PLATFORMS = ["Snapchat", "Instagram", "WhatsApp", "TikTok", "Facebook"]
PLACES = [
    ("{street} takeaway", "venue"),
    ("{street} park", "area"),
    ("Bus station", "venue"),
    ("Railway station car park", "area"),
    ("Flat on {street}", "address"),
    ("{street} shopping parade", "area"),
    ("Snooker hall, {street}", "venue"),
    ("Hotel near the ring road", "venue"),
    ("Recreation ground, {street}", "area"),
    ("House on {street}", "address"),
    ("Group chat", "online"),
    ("Underpass by {street}", "area"),
]


# What the child says of it, in the assessments' "child's experience" (003 A2).
EXPERIENCES = (
    "Says the older friends are the only ones who listen.",
    "Does not see themselves as a victim; says they can cope.",
    "Worried about what will happen if they stop going.",
    "Wants to go back to college.",
)


class ExploitationSeeder:
    def __init__(
        self, *, rng: random.Random, faker: Faker, users: dict[str, User], now: datetime
    ) -> None:
        self.rng = rng
        self.fake = faker
        self.users = users
        self.now = now
        self.counts: dict[str, int] = {}
        self.instrument = active_instrument()
        self.codes: dict[str, list[str]] = {}
        for indicator in self.instrument.indicators.all():
            self.codes.setdefault(indicator.section, []).append(indicator.code)
        self.indicator_ids = {i.code: i.pk for i in self.instrument.indicators.all()}

    def _pick(self, weights: dict[T, float]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # Who is assessed --------------------------------------------------------------------

    def choose(self, children: Sequence[Child]) -> list[Child]:
        """About one child in twenty, weighted to the seeds' shape."""
        missing = set(
            Episode.objects.filter(child__in=[c.pk for c in children])
            .values_list("child_id", flat=True)
            .distinct()
        )
        chosen = []
        for child in children:
            age = child.age_on(day_of(self.now))
            if not 11 <= age <= 17:
                continue
            weight = 0.007
            if child.gender == Gender.FEMALE:
                weight *= 3
            if 14 <= age <= 17:
                weight *= 2.5
            if child.pk in missing:
                weight *= 3
            if self.rng.random() < min(weight, 0.8):
                chosen.append(child)
        return chosen

    # Assessments ------------------------------------------------------------------------

    def _answers(self, level: str) -> list[str]:
        """Indicators answered yes that give the level under the default bands: vulnerable
        indicators only for vulnerable, one significant-harm indicator for at risk, two or
        three for significant harm."""
        rng = self.rng
        yes = rng.sample(self.codes["warning_sign"], rng.randint(1, 4))
        if level == RiskLevel.NOT_AT_RISK:
            return []
        yes += rng.sample(self.codes["vulnerable"], rng.randint(1, 4))
        harm: dict[str, int] = {
            RiskLevel.VULNERABLE: 0,
            RiskLevel.AT_RISK: 1,
            RiskLevel.SIGNIFICANT_HARM: 2,
        }
        count = harm[level] + (level == RiskLevel.SIGNIFICANT_HARM and rng.random() < 0.3)
        return yes + rng.sample(self.codes["significant_harm"], count)

    def assess(self, children: Sequence[Child]) -> list[tuple[Child, Assessment]]:
        """Each child's assessments, three months or so apart, ending in the last months."""
        rng = self.rng
        assessments: list[Assessment] = []
        answers: list[tuple[Assessment, list[str]]] = []
        meetings: list[StrategyMeeting] = []
        for child in children:
            trajectory = self._pick(TRAJECTORIES)
            female = child.gender == Gender.FEMALE
            kind = (
                ExploitationType.SEXUAL
                if rng.random() < (0.85 if female else 0.3)
                else self._pick(
                    {
                        ExploitationType.CRIMINAL: 0.85,
                        ExploitationType.TRAFFICKING: 0.1,
                        ExploitationType.RADICALISATION: 0.05,
                    }
                )
            )
            latest = self.now - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8))
            assessor = child.allocated_worker or self.users["missing.coordinator"]
            # Where the concern came from (001: most from the police and social care, then
            # education settings and health), kept at the child's later assessments.
            source = self._pick(SOURCE_WEIGHTS)
            for n, level in enumerate(reversed(trajectory)):
                at = latest - timedelta(days=n * rng.randint(70, 95))
                yes = self._answers(level)
                score, computed = score_and_level(self.instrument, yes)
                forms = self._forms(kind)
                # Now and then an earlier assessment looked at another type of exploitation,
                # so the report counts a child under every type assessed.
                assessed_kind = (
                    ExploitationType.CRIMINAL
                    if n and kind == ExploitationType.SEXUAL and rng.random() < 0.15
                    else kind
                )
                assessment = Assessment(
                    child=child,
                    instrument=self.instrument,
                    exploitation_type=assessed_kind,
                    identified_by=source,
                    suspects=suspect_facts(rng, forms) if level != RiskLevel.NOT_AT_RISK else [],
                    assessed_at=at,
                    assessed_by=assessor,
                    score=score,
                    computed_level=computed,
                    types_of_exploitation=forms,
                    methods_of_coercion=rng.sample(
                        list(MethodOfCoercion.values), rng.randint(1, 3)
                    ),
                    experience=rng.choice(EXPERIENCES),
                    safety_scale=rng.randint(2, 8),
                    open_to_csc=rng.random() < 0.85,
                )
                if not assessment.open_to_csc and computed != RiskLevel.NOT_AT_RISK:
                    assessment.front_door_referred_at = at + timedelta(hours=rng.randint(2, 20))
                    assessment.front_door_referred_by = assessor
                assessments.append(assessment)
                answers.append((assessment, yes))
                if computed == RiskLevel.SIGNIFICANT_HARM:
                    meetings.append(
                        StrategyMeeting(
                            child=child,
                            reason=StrategyMeeting.Reason.SIGNIFICANT_HARM,
                            held_at=at + timedelta(hours=rng.randint(3, 22)),
                            attendees="Social worker, children's social care\n"
                            "Police public protection officer\nSchool safeguarding lead",
                            s47_enquiry=rng.random() < 0.6,
                            decision_notes="Section 47 enquiry and safety plan agreed.",
                            recorded_by=assessor,
                        )
                    )
        # The most recent significant-harm assessment waits for its meeting: the demo
        # shows T13 falling due.
        recent_harm = [m for m in meetings if m.held_at > self.now - timedelta(days=3)]
        for meeting in recent_harm[:1]:
            meetings.remove(meeting)
        meetings = [m for m in meetings if m.held_at <= self.now]
        Assessment.objects.bulk_create(assessments)
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                indicator_id=self.indicator_ids[code],
                yes=True,
                evidence=rng.choice(EVIDENCE),
            )
            for assessment, yes in answers
            for code in yes
        )
        StrategyMeeting.objects.bulk_create(meetings)
        self.draft(children)
        self.counts["risk assessments"] = len(assessments)
        self.counts["children assessed for exploitation"] = len(children)
        self.counts["strategy meetings for significant harm"] = len(meetings)
        latest_of: dict[int, Assessment] = {}
        for assessment in assessments:
            held = latest_of.get(assessment.child_id)
            if held is None or assessment.assessed_at > held.assessed_at:
                latest_of[assessment.child_id] = assessment
        by_id = {child.pk: child for child in children}
        return [(by_id[child_id], a) for child_id, a in latest_of.items()]

    def draft(self, children: Sequence[Child]) -> None:
        """A review begun and saved as a draft by the demonstration social worker (issue 19
        point 5), for one of their assessed children: "Record a risk assessment" resumes it,
        and a colleague opening it sees only that a draft is in progress."""
        worker = self.users.get("social.worker")
        mine = [child for child in children if worker and child.allocated_worker_id == worker.pk]
        if not mine or worker is None:
            return
        code = self.rng.choice(self.codes["vulnerable"])
        AssessmentDraft.objects.create(
            child=mine[0],
            author=worker,
            fields={
                "exploitation_type": [ExploitationType.SEXUAL.value],
                f"yes_{code}": ["on"],
                f"evidence_{code}": [self.rng.choice(EVIDENCE)],
                "experience": ["Review begun after the return home interview; school to add."],
            },
        )
        self.counts["draft risk assessments"] = 1

    def _forms(self, kind: str) -> list[str]:
        rng = self.rng
        if kind == ExploitationType.SEXUAL:
            weights = {
                FormOfExploitation.ONLINE: 0.45,
                FormOfExploitation.OLDER_PARTNER: 0.35,
                FormOfExploitation.PEER_ON_PEER: 0.2,
                FormOfExploitation.PARTY_MODEL: 0.08,
                FormOfExploitation.ORGANISED_GROUP: 0.05,
            }
        else:
            weights = {
                FormOfExploitation.GANG: 0.6,
                FormOfExploitation.ORGANISED_GROUP: 0.3,
                FormOfExploitation.ONLINE: 0.15,
                FormOfExploitation.TRAFFICKED: 0.1,
            }
        chosen = {str(form) for form in weights if rng.random() < weights[form]}
        return [f.value for f in FormOfExploitation if f.value in chosen] or [
            str(self._pick(weights))
        ]

    # Persons, places and links ----------------------------------------------------------

    def places(self) -> list[Location]:
        rng, fake = self.rng, self.fake
        places = []
        for n, (template, kind) in enumerate(rng.sample(PLACES, 10)):
            name = template.format(street=fake.street_name())
            places.append(
                Location(
                    name=name,
                    kind=kind,
                    address=fake.street_address() if kind == "address" else "",
                    postcode=fake.postcode() if kind != "online" else "",
                    is_hotspot=n < 6,
                    notes="Children seen here late at night with older young people."
                    if rng.random() < 0.5
                    else "",
                )
            )
        Location.objects.bulk_create(places)
        self.counts["places"] = len(places)
        self.counts["hotspots"] = sum(p.is_hotspot for p in places)
        return places

    def person(self) -> PersonOfConcern:
        rng, fake = self.rng, self.fake
        male = rng.random() < 0.88
        first = fake.first_name_male() if male else fake.first_name_female()
        named = rng.random() < 0.75  # the rest are known only by a nickname
        nicknames = ["Ghost", "Smokey", "Kay", "Little J", "Tiny", "Ace", "Dee", "Bigs"]
        group = self._pick(
            {
                AgeGroup.UNDER_18: 0.18,
                AgeGroup.AGE_18_24: 0.38,
                AgeGroup.AGE_25_34: 0.26,
                AgeGroup.AGE_35_44: 0.1,
                AgeGroup.AGE_45_PLUS: 0.04,
                AgeGroup.UNKNOWN: 0.04,
            }
        )
        return PersonOfConcern(
            first_name=first if named else "",
            last_name=fake.last_name() if named else "",
            nicknames=rng.choice(nicknames) if not named or rng.random() < 0.3 else "",
            age_group=group,
            gender=Gender.MALE if male else Gender.FEMALE,
            organised_crime_groups="Linked to a county line" if rng.random() < 0.1 else "",
            notes="",
        )

    def network(self, assessed: Sequence[tuple[Child, Assessment]]) -> None:
        rng = self.rng
        places = self.places()
        hotspots = [p for p in places if p.is_hotspot] or places
        officer = self.users["police.officer"]
        persons: list[PersonOfConcern] = []
        links: list[Link] = []
        today = day_of(self.now)
        at_risk = [
            (child, a) for child, a in assessed if a.computed_level != RiskLevel.NOT_AT_RISK
        ] + [(child, a) for child, a in assessed if a.computed_level == RiskLevel.NOT_AT_RISK]
        for child, assessment in at_risk:
            seen = day_of(assessment.assessed_at) - timedelta(days=rng.randint(0, 30))
            # Most suspects act alone: one person, sometimes two, shared now and then.
            count = self._pick({0: 0.3, 1: 0.55, 2: 0.15})
            for _ in range(count):
                if persons and rng.random() < 0.2:
                    person = rng.choice(persons)
                else:
                    person = self.person()
                    persons.append(person)
                    PersonOfConcern.objects.bulk_create([person])
                online = FormOfExploitation.ONLINE in assessment.types_of_exploitation
                links.append(
                    Link(
                        child=child,
                        person=person,
                        kind=Link.Kind.EXPLOITER if rng.random() < 0.6 else Link.Kind.ASSOCIATE,
                        source=f"Met online ({rng.choice(PLATFORMS)})"
                        if online
                        else rng.choice(["Return home interview", "Police report", "School"]),
                        observed_on=min(seen, today),
                        confidence=self._pick(
                            {
                                Confidence.CONFIRMED: 0.3,
                                Confidence.PROBABLE: 0.45,
                                Confidence.POSSIBLE: 0.25,
                            }
                        ),
                        created_by=officer,
                    )
                )
            if rng.random() < 0.5:
                links.append(
                    Link(
                        child=child,
                        location=rng.choice(hotspots),
                        kind=Link.Kind.SEEN_AT,
                        source=rng.choice(["Police patrol", "Return home interview", "Carer"]),
                        observed_on=min(seen, today),
                        confidence=Confidence.PROBABLE,
                        created_by=officer,
                    )
                )
        for person in persons:
            if rng.random() < 0.5:
                links.append(
                    Link(
                        person=person,
                        location=rng.choice(places),
                        kind=self._pick({Link.Kind.SEEN_AT: 0.7, Link.Kind.LIVES_AT: 0.3}),
                        source="Police intelligence report",
                        observed_on=today - timedelta(days=rng.randint(5, 300)),
                        confidence=Confidence.PROBABLE,
                        created_by=officer,
                    )
                )
        unique: dict[tuple[object, ...], Link] = {}
        for link in links:
            key = (link.child, link.person, link.location, link.kind)
            unique.setdefault(key, link)
        Link.objects.bulk_create(unique.values())
        self._details(persons)
        notes = [
            IntelligenceNote(
                child=child,
                text=rng.choice(
                    [
                        "Collected from the care home by a dark hatchback.",
                        "Carer found a second phone hidden in the bedroom.",
                        "Friends say an older man gives them lifts and cannabis.",
                    ]
                ),
                source=rng.choice(["Carer", "Police", "School"]),
                recorded_by=officer,
            )
            for child, _ in at_risk[: max(1, len(at_risk) // 4)]
        ]
        IntelligenceNote.objects.bulk_create(notes)
        self.counts["persons of concern"] = len(persons)
        self.counts["intelligence links"] = len(unique)
        self.counts["intelligence notes"] = len(notes)

    def _details(self, persons: Sequence[PersonOfConcern]) -> None:
        rng, fake = self.rng, self.fake
        phones, vehicles, identities = [], [], []
        for person in persons:
            if rng.random() < 0.7:
                phones.append(
                    Phone(person=person, number="07700900" + f"{rng.randint(0, 999):03d}")
                )
            if rng.random() < 0.3:
                registration = fake.license_plate().replace(" ", "").upper()
                vehicles.append(
                    Vehicle(
                        person=person,
                        registration=registration,
                        description=rng.choice(
                            ["Silver hatchback", "Black saloon", "White van", "Red coupe"]
                        ),
                    )
                )
            if rng.random() < 0.5:
                identities.append(
                    OnlineIdentity(
                        person=person,
                        platform=rng.choice(PLATFORMS),
                        handle=fake.user_name(),
                    )
                )
        Phone.objects.bulk_create(phones, ignore_conflicts=True)
        Vehicle.objects.bulk_create(vehicles, ignore_conflicts=True)
        OnlineIdentity.objects.bulk_create(identities, ignore_conflicts=True)

    def sync(self, assessed: Sequence[tuple[Child, Assessment]]) -> None:
        recent = self.now - timedelta(days=120)
        for child, latest in assessed:
            if latest.assessed_at >= recent:
                sync_child(child)


def seed_exploitation(
    rng: random.Random,
    faker: Faker,
    children: Sequence[Child],
    users: dict[str, User],
    now: datetime,
) -> dict[str, int]:
    """Assessments for about one child in twenty, with the persons, places and links around
    them. `users` are seed_demo's accounts by username. Returns the counts of what was made."""
    seeder = ExploitationSeeder(rng=rng, faker=faker, users=users, now=now)
    assessed = seeder.assess(seeder.choose(children))
    seeder.network(assessed)
    seeder.sync(assessed)
    return seeder.counts
