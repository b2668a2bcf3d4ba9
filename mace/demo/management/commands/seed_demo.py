"""Load the demonstration data: a fictional local authority, its partners and its children.

`manage.py seed_demo [--seed N] [--children 2000] [--years 5] [--if-empty]` creates
Northbridge Borough Council, its partner agencies and teams, one sign-in per role (all with
DEMO_PASSWORD and a confirmed authenticator whose secret `demo_logins` prints), about 2,000
children with their legal status history, placements, families and professionals, and
`--years` of missing episodes with their interviews, meetings and worklist
(mace.demo.episodes).

Every name is made up by Faker. The same seed gives the same data on the same day (ages and
dates count back from today). Everything is bulk-created in one transaction, and nothing is
audited: seeding is not the work of a user.
"""

import hashlib
import random
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from mace.accounts.models import Agency, Role, Team, User
from mace.demo.descriptions import demo_description
from mace.demo.disruption import seed_disruption
from mace.demo.education import seed_education
from mace.demo.episodes import seed_episodes
from mace.demo.intelligence import seed_exploitation
from mace.demo.meetings import seed_panels
from mace.lib.days import add_months, day_of
from mace.people.authorities import (
    DEMO_HOME_AUTHORITY,
    LONDON_BOROUGHS,
    ensure_local_authorities,
)
from mace.people.models import (
    Child,
    ChildAddress,
    ChildAlias,
    ChildDescription,
    ChildIdentifier,
    Ethnicity,
    Gender,
    ImmigrationStatus,
    Involvement,
    LegalStatus,
    LegalStatusKind,
    LocalAuthority,
    Placement,
    RelatedPerson,
    Sexuality,
)
from mace.reports import facts as report_facts
from mace.reports.models import EpisodeFact

# Published on purpose: anyone can sign in to a demonstration. The command refuses to run
# unless DEBUG (or the test settings) is on, so these accounts never reach a live service.
DEMO_PASSWORD = "Northbridge-demo-2026"  # noqa: S105
DEMO_DEVICE_NAME = "Demo authenticator"
DEFAULT_SEED = 2026
DEFAULT_CHILDREN = 2000
DEFAULT_YEARS = 5

CSC = "Northbridge Children's Social Care"
POLICE = "Northbridge Police Public Protection"
HEALTH = "Northbridge Community Health"
INCLUSION = "Northbridge Inclusion Team"
YOUTH = "Northbridge Targeted Youth Service"
FAMILY_WELLBEING = "Northbridge Family Wellbeing Service"
ADVOCACY = "Independent Advocacy Service"
COMMUNITY_SAFETY = "Northbridge Community Safety"

AGENCIES: tuple[tuple[str, Agency.Kind], ...] = (
    (CSC, Agency.Kind.CHILDRENS_SOCIAL_CARE),
    (POLICE, Agency.Kind.POLICE),
    (HEALTH, Agency.Kind.HEALTH),
    (INCLUSION, Agency.Kind.EDUCATION),
    (YOUTH, Agency.Kind.YOUTH_SERVICE),
    (FAMILY_WELLBEING, Agency.Kind.CHILDRENS_SOCIAL_CARE),
    (ADVOCACY, Agency.Kind.RETURN_INTERVIEW_PROVIDER),
    (COMMUNITY_SAFETY, Agency.Kind.COMMUNITY_SAFETY),
)

ASSESSMENT = "Assessment Team"
CHILDREN_IN_NEED = "Children in Need Team"
LOOKED_AFTER = "Looked After Children Team"
LEAVING_CARE = "Leaving Care Team"
MASH = "MASH"
CSC_TEAMS = (ASSESSMENT, CHILDREN_IN_NEED, LOOKED_AFTER, LEAVING_CARE, MASH)

TEAM_FOR_STATUS: dict[str, str] = {
    LegalStatusKind.CIN: CHILDREN_IN_NEED,
    LegalStatusKind.CP: CHILDREN_IN_NEED,
    LegalStatusKind.CLA: LOOKED_AFTER,
    LegalStatusKind.CARE_LEAVER: LEAVING_CARE,
}


class DemoUser(NamedTuple):
    username: str
    role: Role
    agency: str
    team: str | None
    job_title: str
    intelligence_cleared: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("police.officer", Role.POLICE_OFFICER, POLICE, None, "Detective constable", True),
    DemoUser("social.worker", Role.SOCIAL_WORKER, CSC, CHILDREN_IN_NEED, "Social worker"),
    DemoUser(
        "missing.coordinator", Role.MISSING_COORDINATOR, CSC, None, "Missing coordinator", True
    ),
    DemoUser("rhi.worker", Role.RHI_WORKER, ADVOCACY, None, "Return interview worker"),
    DemoUser("inclusion.officer", Role.INCLUSION_OFFICER, INCLUSION, None, "Inclusion officer"),
    DemoUser("manager", Role.MANAGER, CSC, CHILDREN_IN_NEED, "Team manager", True),
    DemoUser("panel.member", Role.PANEL_MEMBER, CSC, None, "MACE panel chair"),
    DemoUser("analyst", Role.ANALYST, CSC, None, "Performance analyst"),
    DemoUser("auditor", Role.AUDITOR, CSC, None, "Information governance officer"),
    DemoUser("administrator", Role.ADMINISTRATOR, CSC, None, "MACE system administrator"),
    DemoUser("social.worker2", Role.SOCIAL_WORKER, CSC, LOOKED_AFTER, "Social worker"),
)
# Colleagues who hold the rest of the caseload, named sw.<surname><n>.
EXTRA_SOCIAL_WORKER_TEAMS = (CHILDREN_IN_NEED,) * 6 + (LOOKED_AFTER,) * 4 + (LEAVING_CARE,) * 2
# The demo social workers each hold a caseload in their own team.
DEMO_CASELOAD = {CHILDREN_IN_NEED: "social.worker", LOOKED_AFTER: "social.worker2"}
DEMO_CASELOAD_SIZE = 40
RHI_REFERRALS = 60
RHI_REFERRALS_TO_DEMO_WORKER = 20
INCLUSION_CASES = 30

WARDS = (
    "Ashdown Vale",
    "Bramwell",
    "Cressfield",
    "Dunmere",
    "Eastwick Park",
    "Fenwood",
    "Kestrel Heath",
    "Millbrook Green",
    "Northbridge Central",
    "Riverside North",
)
PRIMARY_SCHOOLS = (
    "Ashdown Vale Primary School",
    "Fenwood Primary Academy",
    "Millbrook Green Primary School",
    "St Bede's Catholic Primary School",
)
SECONDARY_SCHOOLS = (
    "Bishop Fairley Church of England School",
    "Cressfield Park Academy",
    "Kestrel Heath School",
    "Northbridge Academy",
    "Riverside North High School",
    "The Dunmere School",
    "Northbridge Learning Centre (pupil referral unit)",
)
COLLEGES = ("Northbridge College", "Cressfield Sixth Form College")

GENDER_WEIGHTS = {Gender.MALE: 48, Gender.FEMALE: 48, Gender.OTHER: 1.5, Gender.UNKNOWN: 2.5}
# Most children known for going missing or at risk of exploitation are teenagers.
AGE_WEIGHTS = {8: 2, 9: 2, 10: 3, 11: 4, 12: 7, 13: 10, 14: 14, 15: 17, 16: 20, 17: 21}
ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 35,
    Ethnicity.WIRI: 1,
    Ethnicity.WOTH: 9,
    Ethnicity.WIRT: 0.5,
    Ethnicity.WROM: 1,
    Ethnicity.MWBC: 5,
    Ethnicity.MWBA: 2,
    Ethnicity.MWAS: 2,
    Ethnicity.MOTH: 4,
    Ethnicity.AIND: 4,
    Ethnicity.APKN: 3,
    Ethnicity.ABAN: 4,
    Ethnicity.AOTH: 3,
    Ethnicity.BCRB: 6,
    Ethnicity.BAFR: 10,
    Ethnicity.BOTH: 3,
    Ethnicity.CHNE: 1,
    Ethnicity.OOTH: 4,
    Ethnicity.REFU: 0.5,
    Ethnicity.NOBT: 2,
}
UASC_ETHNICITY_WEIGHTS = {Ethnicity.BAFR: 5, Ethnicity.AOTH: 4, Ethnicity.OOTH: 3}
UASC_LANGUAGES = ("Tigrinya", "Arabic", "Pashto", "Dari", "Kurdish (Sorani)", "Vietnamese")
OTHER_LANGUAGES = ("Polish", "Bengali", "Somali", "Portuguese", "Turkish", "Romanian", "Yoruba")
RELIGION_WEIGHTS = {
    "": 40,
    "No religion": 20,
    "Christian": 20,
    "Muslim": 12,
    "Hindu": 3,
    "Sikh": 2,
    "Jewish": 1,
}
STATUS_WEIGHTS: dict[str, float] = {
    LegalStatusKind.NONE: 30,
    LegalStatusKind.EH: 20,
    LegalStatusKind.CIN: 20,
    LegalStatusKind.CP: 10,
    LegalStatusKind.CLA: 17,
}
# Care leavers here are "relevant children": 16 or 17 and left care (Children (Leaving Care)
# Act 2000). At 8 in 105 of the 16-17s, who are 40% of all children, they are about 3%.
CARE_LEAVER_WEIGHT_AT_16 = 8
PREVIOUS_STATUS: dict[str, tuple[str, ...]] = {
    LegalStatusKind.NONE: (LegalStatusKind.EH, LegalStatusKind.CIN),
    LegalStatusKind.EH: (LegalStatusKind.NONE, LegalStatusKind.CIN),
    LegalStatusKind.CIN: (LegalStatusKind.EH, LegalStatusKind.NONE, LegalStatusKind.CP),
    LegalStatusKind.CP: (LegalStatusKind.CIN, LegalStatusKind.EH),
    LegalStatusKind.CLA: (LegalStatusKind.CP, LegalStatusKind.CIN),
    LegalStatusKind.CARE_LEAVER: (LegalStatusKind.CLA,),
}
PLACEMENT_WEIGHTS_UNDER_16: dict[str, float] = {
    Placement.Kind.FOSTER_CARE: 70,
    Placement.Kind.CHILDRENS_HOME: 18,
    Placement.Kind.KINSHIP: 10,
    Placement.Kind.PLACED_WITH_PARENTS: 2,
}
PLACEMENT_WEIGHTS_16_17: dict[str, float] = {
    Placement.Kind.FOSTER_CARE: 45,
    Placement.Kind.SUPPORTED: 35,
    Placement.Kind.CHILDRENS_HOME: 15,
    Placement.Kind.KINSHIP: 5,
}
PLACEMENT_PROVIDERS: dict[str, str] = {
    Placement.Kind.FOSTER_CARE: "{surname} Fostering Partnership",
    Placement.Kind.KINSHIP: "Family and friends carers",
    Placement.Kind.CHILDRENS_HOME: "{surname} House children's home",
    Placement.Kind.SUPPORTED: "{surname} Supported Living",
}
HOSTED_AT_HOME = 0.75
PLACED_BY_ANOTHER_AUTHORITY = 0.12

# DfE's pseudo local authority number for the fictional Northbridge in unique pupil numbers.
UPN_AUTHORITY_NUMBER = 999
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

K = TypeVar("K")


def demo_sexuality(rng: random.Random, age: int, *, lgbtq: bool) -> str:
    """A child's recorded sexuality, in the demonstration data's proportions."""
    if lgbtq:
        return rng.choice((Sexuality.GAY_OR_LESBIAN, Sexuality.BISEXUAL, Sexuality.QUESTIONING))
    if age >= 13 and rng.random() < 0.3:
        return Sexuality.HETEROSEXUAL
    return Sexuality.NOT_RECORDED


def demo_languages(rng: random.Random, is_uasc: bool) -> str:
    """A child's languages, in the demonstration data's proportions."""
    if is_uasc:
        return f"{rng.choice(UASC_LANGUAGES)}, some English"
    if rng.random() < 0.88:
        return "English"
    return f"English, {rng.choice(OTHER_LANGUAGES)}"


def demo_totp_key(seed: int, username: str) -> str:
    """A stable 20-byte authenticator secret (hex), so printed secrets survive a re-seed."""
    return hashlib.sha256(f"{seed}:{username}".encode()).hexdigest()[:40]


def nhs_number(nine_digits: str) -> str | None:
    """Add the modulus 11 check digit; None when no check digit is possible."""
    weighted = zip(nine_digits, range(10, 1, -1), strict=True)
    total = sum(int(digit) * weight for digit, weight in weighted)
    check = 11 - total % 11
    if check == 10:
        return None
    return nine_digits + str(check % 11)


def unique_pupil_number(twelve_digits: str) -> str:
    """Prefix the DfE check letter: digits weighted 2 to 13, modulo 23."""
    weighted = zip(twelve_digits, range(2, 14), strict=True)
    total = sum(int(digit) * weight for digit, weight in weighted)
    return UPN_CHECK_LETTERS[total % 23] + twelve_digits


@dataclass
class ChildPlan:
    """A child being built, with the facts the later passes need."""

    child: Child
    age: int
    status: str
    status_start: date
    # Set when another authority placed the looked-after child here.
    placing_authority: LocalAuthority | None


class DemoAuthority:
    """Builds the whole demonstration in memory, then writes it with bulk_create."""

    def __init__(self, *, seed: int, today: date) -> None:
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)
        # Descriptions draw from their own generator, so adding them left every other
        # demonstration record as the same seed made it before (issue 20 point 3).
        self.description_rng = random.Random(f"descriptions-{seed}")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.counts: dict[str, int] = {}

    # Reference data ---------------------------------------------------------------------

    def load_reference_data(self) -> None:
        authorities = ensure_local_authorities()
        self.home, _ = LocalAuthority.objects.get_or_create(
            ons_code=DEMO_HOME_AUTHORITY.ons_code, defaults={"name": DEMO_HOME_AUTHORITY.name}
        )
        # The City of London places and hosts almost no children.
        self.boroughs = [authorities[ref.ons_code] for ref in LONDON_BOROUGHS[1:]]
        self.agencies = {
            name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in AGENCIES
        }
        self.teams = {
            name: Team.objects.get_or_create(agency=self.agencies[CSC], name=name)[0]
            for name in CSC_TEAMS
        }
        self.counts["local authorities"] = LocalAuthority.objects.count()
        self.counts["agencies"] = len(self.agencies)
        self.counts["teams"] = len(self.teams)

    # Users --------------------------------------------------------------------------------

    def create_users(self) -> None:
        """One account per role plus the extra social workers; existing accounts are kept as
        they are and used in their place."""
        password = make_password(DEMO_PASSWORD)  # once: Argon2 is slow by design
        planned = [self._user(spec, password) for spec in DEMO_USERS]
        colleagues: list[tuple[str, User]] = []
        for number, team in enumerate(EXTRA_SOCIAL_WORKER_TEAMS, start=1):
            spec = DemoUser("", Role.SOCIAL_WORKER, CSC, team, "Social worker")
            user = self._user(spec, password)
            surname = re.sub(r"[^a-z]", "", user.last_name.lower())
            user.username = f"sw.{surname}{number}"
            user.email = f"{user.username}@example.org"
            planned.append(user)
            colleagues.append((team, user))

        existing = {
            user.username: user
            for user in User.objects.filter(username__in=[user.username for user in planned])
        }
        new_users = User.objects.bulk_create(
            [user for user in planned if user.username not in existing]
        )
        self.users = {user.username: user for user in [*existing.values(), *new_users]}
        self.colleagues: dict[str, list[User]] = {}
        for team, user in colleagues:
            self.colleagues.setdefault(team, []).append(self.users[user.username])

        # Only new accounts get the demo authenticator: never add a known secret to an
        # account someone else made.
        devices = TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=user,
                name=DEMO_DEVICE_NAME,
                key=demo_totp_key(self.seed, user.username),
                confirmed=True,
            )
            for user in new_users
        )
        self.counts["users"] = len(new_users)
        self.counts["authenticators"] = len(devices)

    def _user(self, spec: DemoUser, password: str) -> User:
        return User(
            public_id=self._uuid(),
            username=spec.username,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=f"{spec.username}@example.org",
            password=password,
            role=spec.role,
            agency=self.agencies[spec.agency],
            team=self.teams[spec.team] if spec.team else None,
            job_title=spec.job_title,
            phone=self._office_phone(),
            intelligence_cleared=spec.intelligence_cleared,
            must_change_password=False,
        )

    # Children -----------------------------------------------------------------------------

    def create_children(self, count: int) -> None:
        self.plans: list[ChildPlan] = []
        self.aliases: list[ChildAlias] = []
        self.identifiers: list[ChildIdentifier] = []
        self.addresses: list[ChildAddress] = []
        self.statuses: list[LegalStatus] = []
        self.placements: list[Placement] = []
        self.related: list[RelatedPerson] = []
        self.involvements: list[Involvement] = []
        self.descriptions: list[ChildDescription] = []
        # Identifier numbers drawn without replacement, so they are unique by construction.
        self.case_numbers = self.rng.sample(range(1_000_000, 10_000_000), count)
        self.nhs_numbers = iter(self.rng.sample(range(1_000_000), min(2 * count + 20, 1_000_000)))

        for index in range(count):
            self._child(index)
        self._allocate()
        self._refer_to_return_interview_provider()
        self._refer_to_inclusion()

        # Children first: bulk_create sets their primary keys, which the rows below refer to.
        self.counts["children"] = len(Child.objects.bulk_create([p.child for p in self.plans]))
        self.counts["aliases"] = len(ChildAlias.objects.bulk_create(self.aliases))
        self.counts["identifiers"] = len(ChildIdentifier.objects.bulk_create(self.identifiers))
        self.counts["addresses"] = len(ChildAddress.objects.bulk_create(self.addresses))
        self.counts["legal statuses"] = len(LegalStatus.objects.bulk_create(self.statuses))
        self.counts["placements"] = len(Placement.objects.bulk_create(self.placements))
        self.counts["related people"] = len(RelatedPerson.objects.bulk_create(self.related))
        self.counts["involvements"] = len(Involvement.objects.bulk_create(self.involvements))
        self.counts["physical descriptions"] = len(
            ChildDescription.objects.bulk_create(self.descriptions)
        )

    def _child(self, index: int) -> None:
        rng, fake = self.rng, self.fake
        gender = self._pick(GENDER_WEIGHTS)
        first_name = self._first_name(gender)
        last_name = fake.last_name()
        age = self._pick(AGE_WEIGHTS)
        date_of_birth = add_months(self.today, -12 * age) - timedelta(days=rng.randrange(365))
        is_uasc = age >= 14 and rng.random() < 0.016
        status: str
        if is_uasc:
            status = LegalStatusKind.CLA
        else:
            weights: dict[str, float] = dict(STATUS_WEIGHTS)
            if age >= 16:
                weights[LegalStatusKind.CARE_LEAVER] = CARE_LEAVER_WEIGHT_AT_16
            status = self._pick(weights)
        placed_by_other = (
            status == LegalStatusKind.CLA
            and not is_uasc
            and rng.random() < PLACED_BY_ANOTHER_AUTHORITY
        )
        placing_authority = rng.choice(self.boroughs) if placed_by_other else None
        lgbtq = age >= 12 and rng.random() < 0.09
        neet = age >= 16 and rng.random() < 0.15

        child = Child(
            public_id=self._uuid(),
            reference=f"MC-{index + 1:06d}",
            first_name=first_name,
            middle_names=self._first_name(gender) if rng.random() < 0.3 else "",
            last_name=last_name,
            preferred_name=self._first_name(gender) if rng.random() < 0.05 else "",
            date_of_birth=date_of_birth,
            date_of_birth_estimated=is_uasc,
            gender=gender,
            sexuality=self._sexuality(age, lgbtq=lgbtq),
            ethnicity=self._pick(UASC_ETHNICITY_WEIGHTS if is_uasc else ETHNICITY_WEIGHTS),
            languages=self._languages(is_uasc),
            religion=self._pick(RELIGION_WEIGHTS),
            immigration_status=self._immigration_status(is_uasc),
            is_uasc=is_uasc,
            area=rng.choice(WARDS),
            school=self._school(age, neet=neet),
            known_to_camhs=rng.random() < 0.2,
            self_harm=rng.random() < 0.1,
            substance_misuse=age >= 12 and rng.random() < 0.14,
            neet=neet,
            lgbtq=lgbtq,
            is_restricted=rng.random() < 0.01,
        )
        if rng.random() < 0.75:
            child.gp = f"{child.area} {rng.choice(('Surgery', 'Medical Centre', 'Health Centre'))}"
        if age >= 12 and rng.random() < 0.4:
            child.identifying_information = f"Mobile: {self._mobile_phone()}"

        described = self.description_rng
        if described.random() < 0.7:
            self.descriptions.append(demo_description(described, child, age=age, today=self.today))

        plan = ChildPlan(child, age, status, self.today, placing_authority)
        self.plans.append(plan)
        self._aliases(child, gender)
        self._identifiers(index, child)
        self._legal_statuses(plan)
        home_town = f"{placing_authority.name}, London" if placing_authority else "Northbridge"
        home_address = f"{fake.street_address()}\n{home_town}"
        if not is_uasc:
            self.addresses.append(
                ChildAddress(
                    child=child,
                    address=home_address,
                    postcode=fake.postcode(),
                    start_date=date_of_birth + timedelta(days=rng.randrange(age * 365)),
                )
            )
            self._parents(plan, home_address)
        if status == LegalStatusKind.CLA:
            self._placements(plan)
        elif status == LegalStatusKind.CARE_LEAVER:
            child.supported_accommodation = rng.random() < 0.6
        if child.school and rng.random() < 0.4:
            self.involvements.append(
                Involvement(
                    child=child,
                    kind=Involvement.Kind.SCHOOL,
                    name=child.school,
                    contact=f"{self._person_name()}, designated safeguarding lead",
                    start_date=max(date_of_birth, self.today - timedelta(days=3 * 365)),
                )
            )

    def _aliases(self, child: Child, gender: str) -> None:
        if self.rng.random() >= 0.15:
            return
        names: list[str] = []
        for _ in range(self.rng.choice((1, 1, 1, 2))):
            if self.rng.random() < 0.5:
                name = self._first_name(gender)  # a nickname
            else:
                name = f"{child.first_name} {self.fake.last_name()}"  # a previous surname
            if name not in names and name != child.first_name:
                names.append(name)
        self.aliases.extend(ChildAlias(child=child, name=name) for name in names)

    def _identifiers(self, index: int, child: Child) -> None:
        kind = ChildIdentifier.Kind
        if self.rng.random() < 0.92:
            case_record = f"LCS{self.case_numbers[index]}"
            self.identifiers.append(
                ChildIdentifier(child=child, kind=kind.CASE_RECORD, value=case_record)
            )
        if self.rng.random() < 0.3:
            # 999 numbers are the NHS's test range: never issued to a real patient.
            number = None
            while number is None:
                number = nhs_number(f"999{next(self.nhs_numbers):06d}")
            self.identifiers.append(ChildIdentifier(child=child, kind=kind.NHS, value=number))
        if self.rng.random() < 0.4:
            year_started_school = (child.date_of_birth.year + 5) % 100
            digits = (
                f"{UPN_AUTHORITY_NUMBER:03d}{4000 + index // 1000:04d}"
                f"{year_started_school:02d}{index % 1000:03d}"
            )
            self.identifiers.append(
                ChildIdentifier(child=child, kind=kind.UPN, value=unique_pupil_number(digits))
            )

    def _legal_statuses(self, plan: ChildPlan) -> None:
        rng, child = self.rng, plan.child
        days_alive = (self.today - child.date_of_birth).days
        if plan.status == LegalStatusKind.CARE_LEAVER:
            # A relevant child left care on or after their sixteenth birthday.
            sixteenth = add_months(child.date_of_birth, 12 * 16)
            start = sixteenth + timedelta(days=rng.randint(0, (self.today - sixteenth).days))
        else:
            # Unaccompanied children arrived recently; others may have been known for years.
            longest = 700 if child.is_uasc else 1400
            start = self.today - timedelta(days=rng.randint(14, min(longest, days_alive - 365)))
        plan.status_start = start
        self.statuses.append(LegalStatus(child=child, status=plan.status, start_date=start))

        if plan.status != LegalStatusKind.CARE_LEAVER and rng.random() >= 0.5:
            return
        previous_start = start - timedelta(days=rng.randint(90, 900))
        if previous_start <= child.date_of_birth + timedelta(days=30):
            return
        previous = rng.choice(PREVIOUS_STATUS[plan.status])
        self.statuses.append(
            LegalStatus(
                child=child,
                status=previous,
                start_date=previous_start,
                end_date=start - timedelta(days=1),
            )
        )
        if previous == LegalStatusKind.CLA:
            # A care leaver's last placement, which their episodes from care refer to.
            age_then = plan.age - (self.today - previous_start).days // 365
            weights = PLACEMENT_WEIGHTS_16_17 if age_then >= 16 else PLACEMENT_WEIGHTS_UNDER_16
            self._placement(child, weights, self.home, previous_start, start)

    def _placements(self, plan: ChildPlan) -> None:
        rng, child = self.rng, plan.child
        placing = plan.placing_authority or self.home
        weights = PLACEMENT_WEIGHTS_16_17 if plan.age >= 16 else PLACEMENT_WEIGHTS_UNDER_16
        days_in_care = (self.today - plan.status_start).days
        start = plan.status_start
        if days_in_care >= 60 and rng.random() < 0.35:
            # An earlier placement that ended when the child moved to the current one.
            moved = start + timedelta(days=rng.randint(30, days_in_care - 1))
            self._placement(child, PLACEMENT_WEIGHTS_UNDER_16, placing, start, moved)
            start = moved
        kind = self._placement(child, weights, placing, start, None)
        child.supported_accommodation = kind == Placement.Kind.SUPPORTED

    def _placement(
        self,
        child: Child,
        weights: Mapping[str, float],
        placing: LocalAuthority,
        start: date,
        next_start: date | None,
    ) -> str:
        rng, fake = self.rng, self.fake
        kind = self._pick(weights)
        if placing != self.home:
            host = self.home  # placed here by another authority
        elif rng.random() < HOSTED_AT_HOME:
            host = self.home
        else:
            host = rng.choice(self.boroughs)
        town = "Northbridge" if host == self.home else f"{host.name}, London"
        address = f"{fake.street_address()}\n{town}"
        surname = fake.last_name()
        provider = PLACEMENT_PROVIDERS.get(kind, "").format(surname=surname)
        self.placements.append(
            Placement(
                child=child,
                kind=kind,
                address=address,
                postcode=fake.postcode(),
                provider=provider,
                placing_authority=placing,
                host_authority=host,
                start_date=start,
                end_date=next_start - timedelta(days=1) if next_start else None,
            )
        )
        if next_start is None and kind in (Placement.Kind.FOSTER_CARE, Placement.Kind.KINSHIP):
            relationship = (
                RelatedPerson.Relationship.FOSTER_CARER
                if kind == Placement.Kind.FOSTER_CARE
                else RelatedPerson.Relationship.GRANDPARENT
            )
            self.related.append(
                RelatedPerson(
                    child=child,
                    name=f"{fake.first_name()} {surname}",
                    relationship=relationship,
                    is_carer=True,
                    phone=self._mobile_phone(),
                    address=address,
                )
            )
        return kind

    def _parents(self, plan: ChildPlan, home_address: str) -> None:
        rng, fake, child = self.rng, self.fake, plan.child
        lives_at_home = plan.status not in (LegalStatusKind.CLA, LegalStatusKind.CARE_LEAVER)
        for relationship, chance, first_name in (
            (RelatedPerson.Relationship.MOTHER, 0.88, fake.first_name_female),
            (RelatedPerson.Relationship.FATHER, 0.62, fake.first_name_male),
        ):
            if rng.random() >= chance:
                continue
            last_name = child.last_name if rng.random() < 0.7 else fake.last_name()
            is_carer = lives_at_home and (
                relationship == RelatedPerson.Relationship.MOTHER or rng.random() < 0.5
            )
            self.related.append(
                RelatedPerson(
                    child=child,
                    name=f"{first_name()} {last_name}",
                    relationship=relationship,
                    parental_responsibility=True,
                    is_carer=is_carer,
                    phone=self._mobile_phone(),
                    address=home_address if is_carer else "",
                )
            )

    # Professionals ------------------------------------------------------------------------

    def _allocate(self) -> None:
        """Team by legal status; the demo social workers get a caseload, colleagues the rest."""
        by_team: dict[str, list[ChildPlan]] = {}
        for plan in self.plans:
            team_name = TEAM_FOR_STATUS.get(plan.status)
            if team_name is None:
                continue
            if plan.placing_authority is not None:
                self._placing_authority_social_worker(plan, plan.placing_authority)
                continue
            plan.child.team = self.teams[team_name]
            by_team.setdefault(team_name, []).append(plan)

        for team_name, plans in by_team.items():
            self.rng.shuffle(plans)
            if team_name in DEMO_CASELOAD:
                for plan in plans[:DEMO_CASELOAD_SIZE]:
                    plan.child.allocated_worker = self.users[DEMO_CASELOAD[team_name]]
                plans = plans[DEMO_CASELOAD_SIZE:]
            colleagues = self.colleagues.get(team_name, [])
            for plan in plans:
                # Some children wait for allocation, as in any real team.
                if colleagues and self.rng.random() < 0.85:
                    plan.child.allocated_worker = self.rng.choice(colleagues)

    def _placing_authority_social_worker(self, plan: ChildPlan, authority: LocalAuthority) -> None:
        """A child placed here by another authority has that authority's social worker."""
        services = f"{authority.name} children's services"
        self.involvements.append(
            Involvement(
                child=plan.child,
                kind=Involvement.Kind.SOCIAL_WORKER,
                name=self._person_name(),
                contact=f"{services}, {self._office_phone()}",
                start_date=plan.status_start,
            )
        )

    def _refer_to_return_interview_provider(self) -> None:
        referred = self.rng.sample(self.plans, min(RHI_REFERRALS, len(self.plans)))
        rhi_worker = self.users["rhi.worker"]
        for number, plan in enumerate(referred):
            self.involvements.append(
                Involvement(
                    child=plan.child,
                    kind=Involvement.Kind.RHI_PROVIDER,
                    agency=self.agencies[ADVOCACY],
                    user=rhi_worker if number < RHI_REFERRALS_TO_DEMO_WORKER else None,
                    start_date=self._recent_date(plan),
                )
            )

    def _refer_to_inclusion(self) -> None:
        school_age = [plan for plan in self.plans if plan.age < 16]
        for plan in self.rng.sample(school_age, min(INCLUSION_CASES, len(school_age))):
            self.involvements.append(
                Involvement(
                    child=plan.child,
                    kind=Involvement.Kind.INCLUSION,
                    agency=self.agencies[INCLUSION],
                    user=self.users["inclusion.officer"],
                    start_date=self._recent_date(plan),
                )
            )

    # Small draws --------------------------------------------------------------------------

    def _pick(self, weights: Mapping[K, float]) -> K:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _first_name(self, gender: str) -> str:
        if gender == Gender.MALE:
            return self.fake.first_name_male()
        if gender == Gender.FEMALE:
            return self.fake.first_name_female()
        return self.fake.first_name()

    def _person_name(self) -> str:
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def _mobile_phone(self) -> str:
        # Ofcom reserves 07700 900000 to 900999 for drama: never a real subscriber.
        return f"07700 900{self.rng.randrange(1000):03d}"

    def _office_phone(self) -> str:
        return f"020 7946 0{self.rng.randrange(1000):03d}"  # Ofcom's London drama range

    def _recent_date(self, plan: ChildPlan) -> date:
        return max(plan.status_start, self.today - timedelta(days=self.rng.randint(3, 180)))

    def _sexuality(self, age: int, *, lgbtq: bool) -> str:
        return demo_sexuality(self.rng, age, lgbtq=lgbtq)

    def _languages(self, is_uasc: bool) -> str:
        return demo_languages(self.rng, is_uasc)

    def _immigration_status(self, is_uasc: bool) -> str:
        if is_uasc:
            return ImmigrationStatus.ASYLUM_SEEKER
        return self._pick(
            {
                ImmigrationStatus.BRITISH_CITIZEN: 60,
                ImmigrationStatus.SETTLED: 5,
                ImmigrationStatus.LEAVE_TO_REMAIN: 2,
                ImmigrationStatus.NOT_RECORDED: 33,
            }
        )

    def _school(self, age: int, *, neet: bool) -> str:
        if neet:
            return ""
        if age < 11:
            return self.rng.choice(PRIMARY_SCHOOLS)
        if age < 16:
            return self.rng.choice(SECONDARY_SCHOOLS)
        return self.rng.choice(COLLEGES)


class Command(BaseCommand):
    help = "Load a fictional local authority's demonstration data (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--children", type=int, default=DEFAULT_CHILDREN)
        parser.add_argument(
            "--years", type=int, default=DEFAULT_YEARS, help="Years of missing episodes."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when children are already recorded.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)):
            raise CommandError(
                "seed_demo creates accounts with a published password: run it with DEBUG=1."
            )
        if options["children"] < 0:
            raise CommandError("--children cannot be negative.")
        if options["years"] < 0:
            raise CommandError("--years cannot be negative.")
        if Child.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demonstration data already loaded")
                return
            raise CommandError(
                "Children are already recorded. Use --if-empty to skip, or `manage.py flush` "
                "to start again."
            )

        started = time.perf_counter()
        now = timezone.now()
        demo = DemoAuthority(seed=options["seed"], today=day_of(now))
        with transaction.atomic():
            demo.load_reference_data()
            demo.create_users()
            demo.create_children(options["children"])
            demo.counts.update(
                seed_episodes(
                    demo.rng,
                    demo.fake,
                    [plan.child for plan in demo.plans],
                    demo.users,
                    now,
                    years=options["years"],
                )
            )
            demo.counts.update(
                seed_exploitation(
                    demo.rng, demo.fake, [plan.child for plan in demo.plans], demo.users, now
                )
            )
            demo.counts.update(seed_disruption(demo.rng, demo.fake, demo.users, now))
            demo.counts.update(seed_education(demo.rng, demo.fake, demo.users, now))
            demo.counts.update(seed_panels(demo.rng, demo.fake, demo.users, now))
            # Written around the services (only recent children's worklists are brought in
            # step), so the annual report's table is built once for every episode.
            report_facts.refresh()
            demo.counts["episodes in the reporting table"] = EpisodeFact.objects.count()
        elapsed = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {DEMO_HOME_AUTHORITY.name} (seed {options['seed']}) "
                f"in {elapsed:.1f} seconds:"
            )
        )
        for name, count in demo.counts.items():
            self.stdout.write(f"  {count:>6,} {name}")
        self.stdout.write("Run `manage.py demo_logins` for the demonstration sign-ins.")
