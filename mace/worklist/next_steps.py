"""What happens next, said once something urgent is recorded (issue 19 point 6): after a
risk assessment of significant harm (T13) or a high-risk episode (T4), the page that follows
shows a notification banner with the deadline, not just another row on a worklist.

The messages are read from the due items the service has just created or moved (the engine
keeps them in step in the same transaction), so the banner says what the worklist says. Each
function gives the lines of one banner: the first is its heading ("Strategy meeting due by
14:30 on 6 December 2026"), the others say why and what to do. `mace.frontend.banners` lays
them out; the views add them as messages.
"""

import datetime

from django.utils import dateformat, timezone

from mace.episodes.models import Episode, RiskGrade
from mace.exploitation.models import Assessment, RiskLevel
from mace.worklist.models import DueItem
from mace.worklist.rules import (
    T3StrategyMeetingLookedAfter,
    T13SignificantHarm,
    safe_and_well_key,
)
from mace.worklist.thresholds import thresholds


def deadline(moment: datetime.datetime) -> str:
    """A deadline as people say it: "14:30 on 6 December 2026" (local time)."""
    return dateformat.format(timezone.localtime(moment), r"H:i \o\n j F Y")


def _period(span: datetime.timedelta) -> str:
    """ "1 hour", "3 hours", "90 minutes"."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'' if hours == 1 else 's'}"
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _open_item(key: str) -> DueItem | None:
    return DueItem.objects.filter(key=key, status=DueItem.Status.OPEN).first()


def after_assessment(assessment: Assessment) -> list[str]:
    """A risk assessment of significant harm: refer to the police now and hold a strategy
    meeting by the T13 deadline. Nothing for any other level, or once the meeting is held."""
    if assessment.level != RiskLevel.SIGNIFICANT_HARM:
        return []
    item = _open_item(T13SignificantHarm.key_for(assessment))
    if item is None:
        return []
    return [
        f"Strategy meeting due by {deadline(item.due_at)}",
        "At risk of significant harm (T13): refer the child to the police now, using the 87a "
        "referral form, and hold a child protection strategy meeting with every agency that "
        "knows the child.",
    ]


def after_episode(episode: Episode) -> list[str]:
    """A high-risk episode (T4). Once the child is found: the safe-and-well interview's
    deadline. While the child is still missing: that it will be due within the hour of
    their being found, and a looked-after child's strategy meeting (T3) by its deadline."""
    if episode.returned_at is not None:
        item = _open_item(safe_and_well_key(episode))
        if item is None or item.rule != "T4":
            return []
        return [
            f"Safe-and-well interview due by {deadline(item.due_at)}",
            "High risk (T4): the police hold the safe-and-well interview within "
            f"{_period(thresholds().safe_and_well_high_risk)} of the child being found.",
        ]
    grade = episode.current_risk
    if grade is None or grade.grade != RiskGrade.HIGH:
        return []
    within = _period(thresholds().safe_and_well_high_risk)
    why = (
        f"High risk (T4): when the child is found, the police safe-and-well interview is due "
        f"within {within}. Record the return as soon as it is known."
    )
    meeting = _open_item(T3StrategyMeetingLookedAfter.key_for(episode))
    if meeting is not None:
        return [f"Strategy meeting due by {deadline(meeting.due_at)}", why]
    return [f"Safe-and-well interview due within {within} of the child being found", why]
