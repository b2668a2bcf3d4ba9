"""`generate_national` at a tiny size: the sizes asked for, the shapes of the demonstration
data, the same data for the same seed, and its refusals. Runs on SQLite and PostgreSQL."""

import datetime
import hashlib
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from mace.accounts.models import User
from mace.episodes.models import Episode
from mace.exploitation.models import Answer, Assessment
from mace.intelligence.models import Link
from mace.interviews.models import ReturnInterview
from mace.interviews.services import choose_provider
from mace.people.models import Child
from mace.people.tests.factories import ChildFactory
from mace.reports import facts as report_facts
from mace.reports.annual import Period, build
from mace.reports.models import EpisodeFact
from mace.worklist.models import DueItem

YEARS, EPISODES, CHILDREN = 2, 300, 120
END = datetime.date(2025, 6, 30)
# Each year is brought to exactly the sizes asked; 1% allows for a change that moves an
# episode across a year's first or last midnight.
TOLERANCE = 0.01


def generate(seed: int = 7, **sizes: int) -> str:
    out = io.StringIO()
    arguments = {
        "years": YEARS,
        "seed": seed,
        "episodes_per_year": EPISODES,
        "children_per_year": CHILDREN,
        "end_date": END.isoformat(),
        **sizes,
    }
    call_command(
        "generate_national",
        *[f"--{name.replace('_', '-')}={value}" for name, value in arguments.items()],
        stdout=out,
        verbosity=0,
    )
    return out.getvalue()


def years() -> list[tuple[datetime.date, datetime.date]]:
    """The generated years, oldest first, as (first day, last day)."""
    ends = [END.replace(year=END.year - n) for n in range(YEARS, -1, -1)]
    return [(ends[n] + datetime.timedelta(days=1), ends[n + 1]) for n in range(YEARS)]


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@pytest.fixture
def generated(default_instrument) -> str:
    return generate()


def test_it_writes_about_the_episodes_and_children_asked_for_each_year(generated):
    episodes = list(Episode.objects.values_list("child_id", "last_seen_at"))
    for first, last in years():
        in_year = [child for child, seen in episodes if first <= local_day(seen) <= last]
        assert len(in_year) == pytest.approx(EPISODES, rel=TOLERANCE)
        assert len(set(in_year)) == pytest.approx(CHILDREN, rel=TOLERANCE)
    assert "Generated 2 years to 2025-06-30 (seed 7)" in generated
    assert f"{len(episodes):>10,} episodes" in generated


def test_every_episode_has_the_legal_status_and_placement_of_its_day(generated):
    episodes = Episode.objects.select_related("child")
    statuses = Counter(episodes.values_list("legal_status", flat=True))
    assert len(statuses) >= 4  # the mix of seed_demo, not one status
    for episode in episodes:
        day = local_day(episode.last_seen_at)
        assert episode.legal_status == episode.child.legal_status_on(day), episode.pk
        if episode.legal_status == "CLA":
            assert episode.missing_from == "care"
            assert episode.placement == episode.child.placement_on(day)
        else:
            assert episode.placement is None


def test_children_go_missing_more_than_once_in_a_year(generated):
    per_child_year = Counter[tuple[int, int]]()
    for child, seen in Episode.objects.values_list("child_id", "last_seen_at"):
        year = next(
            n for n, (first, last) in enumerate(years()) if first <= local_day(seen) <= last
        )
        per_child_year[(child, year)] += 1
    repeats = sum(1 for count in per_child_year.values() if count > 1)
    assert 0.2 < repeats / len(per_child_year) < 0.6
    assert max(per_child_year.values()) >= 5  # a few go many times


def test_some_episodes_are_still_open_and_each_is_its_childs_latest(generated):
    still_open = list(Episode.objects.filter(returned_at__isnull=True))
    assert still_open
    for episode in still_open:
        latest = Episode.objects.filter(child=episode.child).order_by("-last_seen_at").first()
        assert latest == episode
    ended = Episode.objects.filter(returned_at__isnull=False)
    within_18_hours = sum(
        1
        for seen, back in ended.values_list("last_seen_at", "returned_at")
        if back - seen <= datetime.timedelta(hours=18)
    )
    assert 0.8 < within_18_hours / ended.count() < 0.95


def test_return_interviews_have_the_provider_the_rules_choose(generated):
    interviews = ReturnInterview.objects.select_related("episode__child", "episode__placement")
    assert interviews.count() > 0.8 * Episode.objects.filter(returned_at__isnull=False).count()
    for interview in interviews:
        choice = choose_provider(interview.episode)
        assert interview.provider == choice.provider
        # The rule at referral counts earlier episodes only; the service, run now, counts
        # later ones too, so only the rule's first clause is compared.
        assert interview.provider_rule.split(",")[0] == choice.rule.split(",")[0]
    statuses = Counter(interviews.values_list("status", flat=True))
    assert statuses["completed"] > statuses["declined"] > 0


def test_a_tenth_of_the_children_are_assessed_with_every_indicator_answered(
    generated, default_instrument
):
    assessed = Assessment.objects.values("child").distinct().count()
    assert assessed == pytest.approx(0.1 * Child.objects.count(), rel=0.5)
    indicators = default_instrument.indicators.count()
    assert Answer.objects.count() == indicators * Assessment.objects.count()
    assert Link.objects.filter(person__isnull=False).exists()
    assert Link.objects.filter(kind=Link.Kind.MISSING_TOGETHER).exists()


def test_no_one_can_sign_in_as_anyone_it_made(generated):
    (recorder,) = User.objects.all()
    assert not recorder.is_active
    assert not recorder.has_usable_password()


def test_the_worklists_of_children_missing_in_the_last_30_days_are_in_step(generated):
    since = timezone.make_aware(
        datetime.datetime.combine(END - datetime.timedelta(days=29), datetime.time())
    )
    recent = set(Episode.objects.filter(last_seen_at__gte=since).values_list("child_id", flat=True))
    with_items = set(DueItem.objects.values_list("child_id", flat=True))
    assert recent
    assert with_items == recent
    assert f"{len(recent):>10,} worklists brought in step" in generated


def test_the_reporting_table_holds_every_generated_episode_as_the_records_give_it(generated):
    assert EpisodeFact.objects.count() == Episode.objects.count()
    assert report_facts.differences() == 0


def test_the_annual_report_counts_the_generated_year(generated):
    first, last = years()[-1]
    report = build(Period(first, last))
    in_period = [
        seen
        for seen in Episode.objects.values_list("last_seen_at", flat=True)
        if first <= local_day(seen) <= last
    ]
    assert report["episodes"] == len(in_period)
    assert report["episodes"] == pytest.approx(EPISODES, rel=TOLERANCE)
    assert report["children"] == pytest.approx(CHILDREN, rel=TOLERANCE)


def digest() -> str:
    rows = [
        *Child.objects.order_by("public_id").values_list(
            "public_id", "reference", "first_name", "last_name", "date_of_birth"
        ),
        *Episode.objects.order_by("public_id").values_list(
            "public_id", "last_seen_at", "returned_at", "legal_status", "police_reference"
        ),
        *ReturnInterview.objects.order_by("public_id").values_list("public_id", "status"),
        *Assessment.objects.order_by("public_id").values_list("public_id", "computed_level"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generated_digest(seed: int) -> str:
    """Generate, take the digest, and roll back, so the next run starts from empty."""
    with transaction.atomic():
        generate(seed=seed)
        made = digest()
        transaction.set_rollback(True)
    assert not Child.objects.exists()
    return made


def test_the_same_seed_gives_the_same_data(default_instrument):
    first = generated_digest(7)
    assert generated_digest(7) == first
    assert generated_digest(8) != first


def test_it_refuses_a_database_that_already_holds_a_child(default_instrument):
    ChildFactory.create()
    with pytest.raises(CommandError, match="already holds children"):
        generate()
    assert Child.objects.count() == 1
    assert not Episode.objects.exists()


@pytest.mark.parametrize("option", ["years", "episodes_per_year", "children_per_year"])
@pytest.mark.parametrize("size", [0, -1])
def test_it_refuses_sizes_below_one(default_instrument, option, size):
    flag = "--" + option.replace("_", "-")
    with pytest.raises(CommandError, match=f"{flag} must be at least 1"):
        generate(**{option: size})
    assert not Child.objects.exists()


def test_it_refuses_an_end_date_in_the_future(default_instrument):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="in the future"):
        call_command("generate_national", "--years=1", "--seed=1", f"--end-date={tomorrow}")
