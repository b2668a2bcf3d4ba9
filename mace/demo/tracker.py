"""A fictional partnership's tracker export of several years, in format 1 (SPEC section 5).

What a partnership brings on the day it goes live (docs/going-live.md): `children.csv` and
`episodes.csv` from the spreadsheet its coordinator kept before MACE. The export has what a
real one holds that the first week trips over (issue 18):

- years of history: episodes that ended long before go-live, with their return-interview
  columns filled in (offered, outcome, completed);
- looked-after children whose episodes say `legal_status` CLA, so the SSDA903 Missing table
  has rows, and children placed here by other authorities;
- one child still missing today, who must get live items;
- near duplicates: a child entered twice under two references, the name misspelt the
  second time, with the same date of birth.

Every name comes from Faker: nothing here is a real child. The same seed gives the same files.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from faker import Faker

from mace.episodes.factors import PushPullFactor
from mace.imports.rows import CHILD_OPTIONAL, CHILD_REQUIRED, EPISODE_OPTIONAL, EPISODE_REQUIRED
from mace.people.authorities import DEMO_HOME_AUTHORITY, LOCAL_AUTHORITIES

CHILD_COLUMNS = (*CHILD_REQUIRED, *CHILD_OPTIONAL)
EPISODE_COLUMNS = (*EPISODE_REQUIRED, *EPISODE_OPTIONAL)
ETHNICITIES = ("WBRI", "WBRI", "WBRI", "WIRI", "MWBC", "BAFR", "BCRB", "AIND", "APKN", "OOTH")
AREAS = ("North ward", "Riverside", "Old Town", "Hillcrest", "Station ward")


@dataclass(frozen=True)
class TrackerExport:
    children: Path
    episodes: Path
    # What the files hold, for a reader (and a test) to check the import against.
    child_rows: int
    episode_rows: int
    looked_after_episodes: int
    interview_rows: int
    still_missing: int
    near_duplicates: int


def _misspelt(name: str, rng: random.Random) -> str:
    """The name as a hurried second entry might spell it: one letter doubled or dropped,
    never the first (a first letter wrong is a different name to the duplicate rule, and to
    a coordinator reading the list)."""
    if len(name) < 3:
        return name + name[-1]
    at = rng.randrange(1, len(name))
    if rng.random() < 0.5:
        return name[: at + 1] + name[at:]
    return name[:at] + name[at + 1 :]


def _stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def write_tracker_export(
    directory: Path,
    *,
    years: int = 4,
    children: int = 60,
    seed: int = 2026,
    now: datetime.datetime | None = None,
) -> TrackerExport:
    """Write `children.csv` and `episodes.csv` into `directory`, covering `years` years up to
    `now`, and say what they hold."""
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    now = now or timezone.now()
    start = now - datetime.timedelta(days=365 * years)
    span_days = 365 * years - 14
    others = [ref for ref in LOCAL_AUTHORITIES if ref.ons_code != DEMO_HOME_AUTHORITY.ons_code]
    factors = list(PushPullFactor.values)

    child_rows: list[dict[str, str]] = []
    episode_rows: list[dict[str, str]] = []
    looked_after_episodes = interview_rows = 0
    for number in range(1, children + 1):
        gender = rng.choice(("male", "female", "female", "male", "other"))
        first = fake.first_name_female() if gender == "female" else fake.first_name_male()
        age = rng.randint(11, 16)
        born = (now - datetime.timedelta(days=365 * age + rng.randrange(365))).date()
        looked_after = rng.random() < 0.4
        placed_by_others = looked_after and rng.random() < 0.25
        child_ref = f"TRK{number:05d}"
        child_rows.append(
            {
                "child_ref": child_ref,
                "first_name": first,
                "last_name": fake.last_name(),
                "date_of_birth": born.isoformat(),
                "gender": gender,
                "ethnicity": rng.choice(ETHNICITIES),
                "legal_status": "CLA" if looked_after else rng.choice(("NONE", "CIN", "CP")),
                "placing_authority": (rng.choice(others).ons_code if placed_by_others else ""),
                "uasc": "Y" if looked_after and rng.random() < 0.1 else "N",
                "area": rng.choice(AREAS),
            }
        )
        # Episodes spread evenly over the years (so every collection year, the last one the
        # SSDA903 return is made for included, has looked-after episodes), at least a week
        # apart (never two open at once), the last a fortnight before `now`.
        days = sorted(rng.sample(range(0, span_days, 7), rng.choice((1, 1, 2, 2, 3, 5))))
        for day in days:
            moment = start + datetime.timedelta(days=day)
            last_seen = moment.replace(hour=rng.choice((13, 16, 19, 22)), minute=0)
            returned = last_seen + datetime.timedelta(hours=rng.choice((5, 9, 17, 30, 60)))
            status = "CLA" if looked_after else child_rows[-1]["legal_status"]
            row = {
                "episode_ref": f"PR/{last_seen:%y}/{len(episode_rows) + 1:06d}",
                "child_ref": child_ref,
                "kind": "away" if looked_after and rng.random() < 0.15 else "missing",
                "missing_from": "care" if looked_after else "home",
                "legal_status": status,
                "last_seen_at": _stamp(last_seen),
                "reported_at": _stamp(last_seen + datetime.timedelta(hours=2)),
                "returned_at": _stamp(returned),
                "police_risk": rng.choice(("medium", "medium", "high", "low")),
                "rhi_offered_at": "",
                "rhi_outcome": "",
                "rhi_completed_at": "",
                "push_pull_factors": ";".join(rng.sample(factors, rng.choice((0, 1, 2)))),
                "with_children": "",
            }
            outcome = rng.choice(("completed", "completed", "completed", "declined", "no_contact"))
            row["rhi_offered_at"] = _stamp(returned + datetime.timedelta(hours=20))
            row["rhi_outcome"] = outcome
            if outcome == "completed":
                row["rhi_completed_at"] = _stamp(returned + datetime.timedelta(hours=60))
            interview_rows += 1
            looked_after_episodes += status == "CLA"
            episode_rows.append(row)

    # One child missing now: last seen yesterday evening, not yet back.
    missing = child_rows[0]
    last_seen = (now - datetime.timedelta(days=1)).replace(hour=20, minute=0, second=0)
    episode_rows.append(
        {
            "episode_ref": f"PR/{last_seen:%y}/{len(episode_rows) + 1:06d}",
            "child_ref": missing["child_ref"],
            "kind": "missing",
            "missing_from": "care" if missing["legal_status"] == "CLA" else "home",
            "legal_status": missing["legal_status"],
            "last_seen_at": _stamp(last_seen),
            "reported_at": _stamp(last_seen + datetime.timedelta(hours=1)),
            "returned_at": "",
            "rhi_offered_at": "",
            "rhi_outcome": "",
            "rhi_completed_at": "",
            "police_risk": "high",
            "push_pull_factors": "",
            "with_children": "",
        }
    )
    looked_after_episodes += missing["legal_status"] == "CLA"

    # Two children entered a second time under a new reference, the name misspelt.
    near_duplicates = 0
    for original in child_rows[1:3]:
        twin = dict(original)
        twin["child_ref"] = f"TRK{len(child_rows) + 1:05d}"
        twin["first_name"] = _misspelt(original["first_name"], rng)
        child_rows.append(twin)
        near_duplicates += 1

    directory.mkdir(parents=True, exist_ok=True)
    children_path = directory / "children.csv"
    episodes_path = directory / "episodes.csv"
    for path, columns, rows in (
        (children_path, CHILD_COLUMNS, child_rows),
        (episodes_path, EPISODE_COLUMNS, episode_rows),
    ):
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return TrackerExport(
        children=children_path,
        episodes=episodes_path,
        child_rows=len(child_rows),
        episode_rows=len(episode_rows),
        looked_after_episodes=looked_after_episodes,
        interview_rows=interview_rows,
        still_missing=1,
        near_duplicates=near_duplicates,
    )
