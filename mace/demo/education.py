"""Demonstration data for education (issue 6): children on the register of children missing
education in every state a case passes through, the checks made, and two terms of returns of
pupils missing out on education, some of whom are also missing or at risk of exploitation.
Fictional: names come from Faker and the demonstration children."""

import datetime
import decimal
import random

from faker import Faker

from mace.accounts.models import User
from mace.education import services
from mace.education.calendar import (
    SchoolCalendar,
    previous_term,
    school_year_of,
    term_label,
)
from mace.education.models import CMECase, CMECheck, CMEOutcome, CMEReason, MissingOutReason
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment
from mace.people.models import Child
from mace.worklist.engine import syncs_deferred

CASES = 36
SCHOOLS = 8
PUPILS_PER_RETURN = 6


def _school_age(children: list[Child], today: datetime.date) -> list[Child]:
    return [c for c in children if 6 <= c.age_on(today) <= 15]


def seed_education(
    rng: random.Random, faker: Faker, users: dict[str, User], now: datetime.datetime
) -> dict[str, int]:
    # Each case, check and change would bring the child's worklist in step, most of the time
    # this step takes; syncing each child once at the end gives the same worklist.
    with syncs_deferred():
        return _seed_education(rng, faker, users, now)


def _seed_education(
    rng: random.Random, faker: Faker, users: dict[str, User], now: datetime.datetime
) -> dict[str, int]:
    officer = users["inclusion.officer"]
    today = now.date()
    calendar = SchoolCalendar()
    schools = [
        f"{faker.last_name()} {rng.choice(['Primary', 'Academy', 'High'])} School"
        for _ in range(SCHOOLS)
    ]
    children = _school_age(list(Child.objects.filter(merged_into__isnull=True)), today)
    missing = set(Episode.objects.values_list("child_id", flat=True))
    exploited = set(Assessment.objects.values_list("child_id", flat=True))
    # Children known elsewhere first: the register and tracker show one record.
    children.sort(key=lambda c: (c.pk not in missing and c.pk not in exploited, rng.random()))
    picked = children[: CASES + SCHOOLS * PUPILS_PER_RETURN]
    rng.shuffle(picked)
    on_register, on_returns = picked[:CASES], picked[CASES:]

    checks = closed = 0
    for n, child in enumerate(on_register):
        days_ago = rng.randint(3, 150)
        absent_since = calendar.next_school_day(today - datetime.timedelta(days=days_ago))
        if absent_since > today:
            absent_since = today - datetime.timedelta(days=days_ago)
        unknown = rng.random() < 0.4
        notified = calendar.add_school_days(absent_since, rng.choice([8, 10, 11, 13]))
        case = services.cme_notify(
            actor=officer,
            child=child,
            school=rng.choice(schools),
            reason=rng.choice(
                [CMEReason.ABSENT_10_DAYS, CMEReason.LEFT_SUDDENLY, CMEReason.PLACE_NOT_TAKEN_UP]
            ),
            absent_since=absent_since,
            notified_on=notified if notified <= today and n % 7 else None,
            destination=CMECase.Destination.UNKNOWN if unknown else CMECase.Destination.KNOWN,
            destination_detail="" if unknown else f"Thought to have moved to {faker.city()}",
        )
        if child.is_restricted:
            # Changing a restricted child's case takes a reason first (issue 16); the demo
            # leaves theirs as notified rather than open the record for the officer.
            continue
        for kind in rng.sample(list(CMECheck.Kind.values)[:5], k=rng.randint(0, 4)):
            checked_on = min(today, absent_since + datetime.timedelta(days=rng.randint(1, 20)))
            services.cme_check_add(
                actor=officer,
                case=case,
                kind=kind,
                checked_on=checked_on,
                result=rng.choice(list(CMECheck.Result.values)),
                note="",
            )
            checks += 1
        case.refresh_from_db()
        if days_ago > 80 and n % 3 == 0:
            case = services.cme_update(
                actor=officer,
                case=case,
                expected_version=case.version,
                fap_referred_on=min(today, absent_since + datetime.timedelta(days=63)),
                enquiries_completed_on=min(today, absent_since + datetime.timedelta(days=14)),
            )
        if days_ago > 40 and n % 4 == 1:
            services.cme_close(
                actor=officer,
                case=case,
                expected_version=case.version,
                outcome=rng.choice(list(CMEOutcome.values)),
                outcome_detail="",
                closed_on=min(today, absent_since + datetime.timedelta(days=rng.randint(15, 40))),
            )
            closed += 1

    this_year = school_year_of(today)
    this_term = calendar.term_on(today) or calendar.term_on(calendar.next_school_day(today))
    current = (this_term.school_year, this_term.name) if this_term else (this_year, "autumn")
    terms = [previous_term(*current), current]
    entries = 0
    for s, school in enumerate(schools):
        pupils = on_returns[s * PUPILS_PER_RETURN : (s + 1) * PUPILS_PER_RETURN]
        for t, (year, name) in enumerate(terms):
            stay = pupils if t == 0 else pupils[: PUPILS_PER_RETURN // 2] + pupils[-1:]
            for child in stay:
                services.missing_out_entry_add(
                    actor=officer,
                    school=school,
                    term=term_label(year, name),
                    received_on=today - datetime.timedelta(days=100 - 90 * t),
                    child=child,
                    reason=rng.choice(list(MissingOutReason.values)),
                    hours_per_week=decimal.Decimal(rng.choice([5, 8, 12, 15, 18, 20, 22])),
                    has_ehcp=rng.random() < 0.15,
                )
                entries += 1
    return {
        "children missing education (register)": len(on_register),
        "missing education checks": checks,
        "missing education cases closed": closed,
        "pupils on termly returns": entries,
    }
