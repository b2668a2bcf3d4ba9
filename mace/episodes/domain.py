"""What an episode is, before and apart from who writes it: an unsaved episode built from
its facts (`new_episode`) and the checks every episode must pass (`validate`); an unsaved
police risk grading (`new_grading`) and the minimum grade (`check_grade`, T1).

The services (`episode_report`, `episode_update`) and the tracker import (`mace.imports`)
both build and check episodes here, so a page and an imported row follow the same rules;
each then saves in its own way (one `save()`, or the import's insert of a chunk's rows a
table at a time). No query is made here but `open_episode_of` (issue 18 point 7: one open
episode a child, checked by `refuse_second_open`): keys and uniqueness are the database's,
and the services' `full_clean()` adds Django's own checks of them.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import User
from mace.episodes.factors import PUSH_PULL_CODES
from mace.episodes.models import (
    RISK_ORDER,
    Episode,
    EpisodeKind,
    MissingFrom,
    RiskGrade,
    RiskGrading,
)
from mace.lib.checks import check_values
from mace.people.models import Child, Placement
from mace.worklist.thresholds import thresholds

# A time a few minutes ahead of the server's clock is not "in the future": clocks drift.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


def clean_factors(factors: Iterable[str]) -> list[str]:
    """The push and pull factors, each once, sorted; an unknown code is refused."""
    unknown = sorted(set(factors) - PUSH_PULL_CODES)
    if unknown:
        raise ValidationError(
            {"push_pull_factors": f"Unknown push or pull factor: {', '.join(unknown)}"}
        )
    return sorted(set(factors))


def new_episode(
    *,
    child: Child,
    kind: str,
    missing_from: str,
    last_seen_at: datetime.datetime,
    reported_at: datetime.datetime,
    legal_status: str,
    placement: Placement | None,
    push_pull_factors: Iterable[str] = (),
    created_by: User | None = None,
    **details: Any,
) -> Episode:
    """An unsaved episode of `child` with these facts. The caller says the legal status and
    placement at the start (the services compute them from the child's history; the import
    takes the tracker's status); `validate` checks it."""
    episode = Episode(
        child=child,
        kind=kind,
        missing_from=missing_from,
        last_seen_at=last_seen_at,
        reported_at=reported_at,
        legal_status=legal_status,
        placement=placement if missing_from == MissingFrom.CARE else None,
        push_pull_factors=clean_factors(push_pull_factors),
        created_by=created_by,
        **details,
    )
    if episode.police_reference == "":
        episode.police_reference = None
    return episode


def validate(episode: Episode) -> None:
    """The rules every episode keeps, new or changed, and each value's own checks (choices,
    lengths, blanks), with no query. Raises ValidationError naming each field at fault."""
    errors: dict[str, str] = {}
    if episode.kind == EpisodeKind.AWAY and episode.missing_from != MissingFrom.CARE:
        errors["kind"] = (
            "Away from placement without authorisation is only for a child missing from a "
            "care placement. Choose 'Missing' for a child missing from home"
        )
    if episode.reported_at and episode.last_seen_at and episode.reported_at < episode.last_seen_at:
        errors["reported_at"] = "The report time must be the same as or after the time last seen"
    if episode.returned_at and episode.last_seen_at and episode.returned_at < episode.last_seen_at:
        errors["returned_at"] = "The time found or returned must be after the time last seen"
    now = timezone.now() + CLOCK_TOLERANCE
    for name in ("last_seen_at", "reported_at", "returned_at"):
        value = getattr(episode, name)
        if value is not None and value > now:
            errors.setdefault(name, "This time is in the future: check the date and time")
    if errors:
        raise ValidationError(errors)
    check_values(episode)


class AlreadyMissing(ValidationError):
    """A second open episode of a child (issue 18 point 7), naming the one already open."""

    def __init__(self, episode: Episode, open_episode: Episode) -> None:
        self.open_episode = open_episode
        seen = timezone.localtime(open_episode.last_seen_at).strftime("%d/%m/%Y %H:%M")
        super().__init__(
            {
                "child": f"{episode.child.reference} is already missing: episode "
                f"{open_episode.public_id} (last seen {seen}) has no return recorded. Record "
                "the return on that episode, or give the time this one ended"
            },
            code="already_missing",
        )


def open_episode_of(child: Child, *, besides: Episode | None = None) -> Episode | None:
    """The child's episode with no return recorded, other than `besides` (one query)."""
    held = Episode.objects.filter(child=child, returned_at__isnull=True)
    if besides is not None and besides.pk is not None:
        held = held.exclude(pk=besides.pk)
    return held.order_by("last_seen_at", "pk").first()


def refuse_second_open(episode: Episode, open_episode: Episode | None) -> None:
    """Issue 18 point 7: a child has one open episode at a time. An episode with no return
    recorded, while `open_episode` (the child's other open one, if any) is open, is refused
    with AlreadyMissing; reporting them missing again would double counts and tasks."""
    if episode.returned_at is None and open_episode is not None and open_episode != episode:
        raise AlreadyMissing(episode, open_episode)


def below_minimum(grade: str) -> bool:
    """Whether a police grade is below the local minimum (003 §2, a setting; T1)."""
    return RISK_ORDER[grade] < RISK_ORDER[thresholds().minimum_police_risk_grade]


def check_grade(grade: str) -> None:
    """T1, 003 §2: "a child is graded no lower than a set minimum". A grade given in MACE
    below it is refused, saying which to choose."""
    if below_minimum(grade):
        label = RiskGrade(thresholds().minimum_police_risk_grade).label
        raise ValidationError(
            {
                "grade": f"A child must be graded at least {label} risk (003 §2). "
                f"Choose {label} or higher"
            }
        )


def new_grading(
    *,
    episode: Episode,
    grade: str,
    graded_at: datetime.datetime,
    graded_by: User | None,
    reason: str = "",
) -> RiskGrading:
    """An unsaved police risk grading of `episode`, its values checked (no query). The
    minimum is the caller's to apply (`check_grade`): a grade the police recorded before
    MACE (the tracker's) is history and kept as it was."""
    grading = RiskGrading(
        episode=episode, grade=grade, graded_at=graded_at, graded_by=graded_by, reason=reason
    )
    check_values(grading)
    return grading
