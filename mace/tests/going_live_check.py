"""Runs docs/going-live.md as written, and reads back what its steps promise.

`blocks` finds the guide's ```sh blocks; those a real server alone runs (a block after a
`<!-- server -->` comment, or one that starts a server or changes a schedule) are left out.
`run_guide` runs the others in order, each with bash, in the checkout, against a fresh
database (DATABASE_URL) with the production settings, HOME standing for the server's home
(the guide keeps the day's files in ~/go-live).

`python -m mace.tests.going_live_check HOME` (with the same DATABASE_URL) then prints, as
one line of JSON, the facts test_going_live_guide.py checks: the tracker's rows against what
was imported, notifications and emails, the review list, every page the guide names (as the
first of the roles that may see it, with its heading) and the first weekly meeting's agenda.
It writes only the users and the meeting the guide's page steps would have made.
"""

import csv
import datetime
import html
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "going-live.md"
SERVER_MARK = "<!-- server -->"
SERVER_WORDS = ("runserver", "gunicorn", "crontab", "systemctl")
# A page named in the guide: `/path/` followed by its heading in curly quotes.
PAGE = re.compile(r"`(/[^`\s]*)`\s+“([^”]+)”")
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
# Who may see a page, tried in this order (the administrator first: the guide's steps are
# theirs until the users exist).
PAGE_ROLES = ("administrator", "missing_coordinator", "manager", "analyst")


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, for a failure to point at
    text: str
    server_only: bool


@dataclass(frozen=True)
class Ran:
    block: Block
    seconds: float  # wall clock
    cpu_seconds: float  # user and system time of the block's processes
    returncode: int
    stdout: str
    stderr: str


def blocks(markdown: str) -> list[Block]:
    lines = markdown.splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```sh":
            index += 1
            continue
        end = lines.index("```", index + 1)
        text = "\n".join(lines[index + 1 : end])
        before = [line.strip() for line in lines[:index] if line.strip()]
        marked = bool(before) and before[-1] == SERVER_MARK
        server = marked or any(word in text for word in SERVER_WORDS)
        found.append(Block(line=index + 1, text=text, server_only=server))
        index = end + 1
    return found


def pages(markdown: str) -> list[tuple[str, str]]:
    """Each page the guide names, with the heading it says the page has, every time it
    names it (a page named twice is checked twice)."""
    named = ((path, " ".join(heading.split())) for path, heading in PAGE.findall(markdown))
    return list(dict.fromkeys(named))


def environment(database_url: str, home: Path) -> dict[str, str]:
    """The production settings (no DEBUG, no test settings) on the fresh database."""
    drop = {"DEBUG", "MACE_TESTING", "MACE_BENCH_APPS", "DATABASE_URL", "SECRET_KEY"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="going-live-guide-test-only",
        HOME=str(home),
        TZ="Europe/London",
    )
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_guide(markdown: str, *, database_url: str, home: Path) -> list[Ran]:
    """Run the guide's blocks in order; stop at the first that fails."""
    env = environment(database_url, home)
    done: list[Ran] = []
    for block in blocks(markdown):
        if block.server_only:
            continue
        started = time.monotonic()
        cpu = _children_cpu()
        result = subprocess.run(  # noqa: S603
            ["bash", "-euo", "pipefail", "-c", block.text],  # noqa: S607
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        done.append(
            Ran(
                block,
                time.monotonic() - started,
                _children_cpu() - cpu,
                result.returncode,
                result.stdout,
                result.stderr,
            )
        )
        if result.returncode:
            break
    return done


def read_facts(*, database_url: str, home: Path) -> dict[str, Any]:
    """What the database the guide made holds, read in a process of its own."""
    env = environment(database_url, home)
    # The pages are rendered without collectstatic (MACE_TESTING: plain static storage) and
    # asked for as https://testserver.
    env.update(MACE_TESTING="1", ALLOWED_HOSTS="testserver")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "mace.tests.going_live_check", str(home)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _heading(content: str) -> str:
    found = HEADING.search(content)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else ""


def facts(home: Path) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mace.settings")
    django.setup()

    from django.test import Client
    from django.utils import timezone

    from mace.accounts.models import Agency, Role, User
    from mace.accounts.tests.factories import TeamFactory, UserFactory
    from mace.conftest import sign_in
    from mace.episodes.models import Episode
    from mace.interviews.models import ReturnInterview
    from mace.meetings import cadence, panels
    from mace.meetings.models import PanelSeries
    from mace.people.models import Child, ChildIdentifier, DuplicateReview
    from mace.worklist.models import DueItem, EmailDelivery, Notification

    tracker = home / "go-live" / "tracker"
    children = _rows(tracker / "children.csv")
    episodes = _rows(tracker / "episodes.csv")
    reference = {
        identifier.value: identifier.child.reference
        for identifier in ChildIdentifier.objects.filter(kind="tracker").select_related("child")
    }
    by_birth: dict[tuple[str, str], list[str]] = {}
    for row in children:
        key = (row["date_of_birth"], row["last_name"])
        by_birth.setdefault(key, []).append(row["child_ref"])
    twins = sorted(
        sorted(reference[ref] for ref in refs) for refs in by_birth.values() if len(refs) > 1
    )
    reviews = sorted(
        sorted([review.new_child.reference, review.matched_child.reference])
        for review in DuplicateReview.objects.filter(status="open").select_related(
            "new_child", "matched_child"
        )
    )
    still_missing = [reference[row["child_ref"]] for row in episodes if not row["returned_at"]]

    # The users step 6 makes on its pages.
    admin = User.objects.get(username="admin")
    admin.must_change_password = False  # step 3: the new password at first sign-in
    admin.save(update_fields=["must_change_password"])
    agency = admin.agency
    team = TeamFactory.create(agency=agency, name="Missing and exploitation team")
    users = {"administrator": admin}
    for role in PAGE_ROLES[1:]:
        users[role] = UserFactory.create(
            username=role,
            role=Role(role),
            agency=agency,
            team=team if role == Role.MANAGER else None,
            intelligence_cleared=role != Role.ANALYST,
        )

    seen: dict[str, dict[str, Any]] = {}
    markdown = GUIDE.read_text(encoding="utf-8")
    for path in dict.fromkeys(path for path, _ in pages(markdown)):
        tried = []
        for role in PAGE_ROLES:
            response = sign_in(Client(), users[role]).get(path, secure=True)
            tried.append(f"{role}: {response.status_code}")
            if response.status_code == 200:
                seen[path] = {"role": role, "heading": _heading(response.content.decode())}
                break
        else:
            seen[path] = {"role": None, "heading": "", "tried": tried}

    # Step 14: the first weekly meeting's agenda, built by the missing coordinator.
    coordinator = users["missing_coordinator"]
    weekly = PanelSeries.objects.get(kind=PanelSeries.Kind.MONITORING)
    today = timezone.localdate()
    day = cadence.meeting_dates(weekly, today, today + datetime.timedelta(days=14))[0]
    meeting = panels.panel_meeting_open(actor=coordinator, series=weekly, day=day)
    on_agenda = panels.agenda_build(actor=coordinator, meeting=meeting)
    meeting_page = sign_in(Client(), coordinator).get(
        f"/meetings/{meeting.public_id}/", secure=True
    )

    return {
        "tracker": {
            "children": len(children),
            "episodes": len(episodes),
            "looked_after_episodes": sum(row["legal_status"] == "CLA" for row in episodes),
            "interviews": dict(
                Counter(row["rhi_outcome"] for row in episodes if row["rhi_outcome"])
            ),
            "rejects": sorted(path.name for path in tracker.glob("*.rejects.csv")),
        },
        "held": {
            "children": Child.objects.count(),
            "episodes": Episode.objects.count(),
            "interviews": dict(Counter(ReturnInterview.objects.values_list("status", flat=True))),
            "agencies": Agency.objects.count(),
        },
        "looked_after_episodes": [
            [reference[row["child_ref"]], row["last_seen_at"][:10]]
            for row in episodes
            if row["legal_status"] == "CLA"
        ],
        "notifications": Notification.objects.count(),
        "emails": EmailDelivery.objects.count(),
        "due_items": dict(Counter(DueItem.objects.values_list("status", flat=True))),
        "still_missing": still_missing,
        "open_items_of_the_still_missing": DueItem.objects.filter(
            child__reference__in=still_missing, status=DueItem.Status.OPEN
        ).count(),
        "twins": twins,
        "reviews": reviews,
        "pages": seen,
        "agenda": {
            "day": day.isoformat(),
            "children": on_agenda,
            "references": sorted(
                {item.child.reference for item in meeting.items.select_related("child")}
            ),
            "status": meeting_page.status_code,
            "heading": _heading(meeting_page.content.decode()),
        },
    }


if __name__ == "__main__":
    print(json.dumps(facts(Path(sys.argv[1]))))
