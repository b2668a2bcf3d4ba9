"""The quarterly Missing and Child Sexual Exploitation dataset of 003 A7: every item, with its
lead agency, and for each either the figures MACE holds or that it does not hold them.

Definitions (a quarter of the calendar year, dates inclusive, UK time):
- Incidences of looked-after children missing (or away without authorisation) from placement:
  episodes of that kind, last seen in the quarter, of children looked after when last seen;
  the away ones broken down by age (at the time) and gender.
- Looked-after children currently missing: their episodes open at the quarter's end.
- Missing episodes from home, and children missing from home: episodes missing from home (or
  another setting) of children not looked after, last seen in the quarter.
- Persistent absence: looked-after children missing in the quarter who were also missing in
  the one before.
- Children missing education of concern: open on the register at the quarter's end, or on the
  tracker of pupils missing out on education with a criterion of concern, unresolved then.
- Children vulnerable to, at risk of, and exposed to (at risk of significant harm from) CSE:
  by the latest assessment of sexual exploitation made in the quarter; their types, indicators
  answered yes, and demographics likewise.
- Hotspots: those with a link seen in the quarter; persons of concern: those linked by the
  quarter's end. Restricted intelligence, counted only for those cleared.
- Disruption outcomes: as recorded (003 A7 lines), those naming a person or place only for
  those cleared.
- Feedback from return home interviews: the interviews held in the quarter, the number coded
  with each theme, and the six scales' averages (`mace.reports.voice`); the four quarters
  ending with this one side by side in `voice_of_the_child`.
- Ceased: children whose latest CSE assessment in the quarter shows no open risk while the one
  before it did. Re-referrals: children assessed at an open risk in the quarter whose previous
  assessment had closed the risk.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from mace.disruption.models import DisruptionOutcome
from mace.education.models import CMECase, MissingOutEntry
from mace.episodes.models import Episode, EpisodeKind
from mace.exploitation.models import Answer, Assessment, ExploitationType, RiskLevel
from mace.intelligence.models import Link, Location, PersonOfConcern
from mace.lib.days import day_of
from mace.lib.quarters import Quarter
from mace.people.models import LegalStatusKind
from mace.reports import voice
from mace.reports.annual import _band

NOT_HELD = "MACE does not hold this"
RESTRICTED = "Restricted intelligence: shown only to cleared roles"


@dataclass
class Item:
    section: str
    item: str
    lead: str
    value: Any = None
    held: bool = True
    note: str = ""
    breakdown: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "section": self.section,
            "item": self.item,
            "lead_agency": self.lead,
            "held": self.held,
            "value": self.value,
        }
        if self.breakdown:
            out["breakdown"] = self.breakdown
        if self.note:
            out["note"] = self.note
        return out


def _bounds(quarter: Quarter) -> tuple[datetime.datetime, datetime.datetime]:
    return quarter.bounds()


def _episodes(quarter: Quarter) -> Any:
    first, after = _bounds(quarter)
    return Episode.objects.filter(
        last_seen_at__gte=first, last_seen_at__lt=after, child__merged_into__isnull=True
    ).select_related("child")


def _latest_cse(quarter: Quarter) -> tuple[dict[int, Assessment], dict[int, Assessment]]:
    """Each child's latest sexual exploitation assessment in the quarter, and the one before."""
    first, after = _bounds(quarter)
    latest: dict[int, Assessment] = {}
    before: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(exploitation_type=ExploitationType.SEXUAL, assessed_at__lt=after)
        .select_related("child")
        .order_by("assessed_at", "pk")
    ):
        if assessment.assessed_at >= first:
            if assessment.child_id in latest:
                before[assessment.child_id] = latest[assessment.child_id]
            latest[assessment.child_id] = assessment
        else:
            before[assessment.child_id] = assessment
    return latest, before


def build(quarter: Quarter, *, cleared: bool) -> dict[str, Any]:
    items: list[Item] = []
    add = items.append
    episodes = list(_episodes(quarter))
    cla = [e for e in episodes if e.legal_status == LegalStatusKind.CLA]
    cla_missing = [e for e in cla if e.kind == EpisodeKind.MISSING]
    cla_away = [e for e in cla if e.kind == EpisodeKind.AWAY]
    home = [
        e
        for e in episodes
        if e.legal_status != LegalStatusKind.CLA and e.kind == EpisodeKind.MISSING
    ]
    _, after = _bounds(quarter)
    open_at_end = Episode.objects.filter(
        legal_status=LegalStatusKind.CLA, last_seen_at__lt=after
    ).filter(Q(returned_at__isnull=True) | Q(returned_at__gte=after))
    previous = {e.child_id for e in _episodes(quarter.previous()) if e.legal_status == "CLA"}
    s = "Missing from home, care and school"
    add(
        Item(
            s,
            "Incidences of looked after children missing from their placement",
            "CSC",
            len(cla_missing),
        )
    )
    add(
        Item(
            s,
            "Incidences of looked after children away from placement without authorisation",
            "CSC",
            len(cla_away),
            breakdown={
                "by_age": dict(
                    Counter(_band(e.child.age_on(day_of(e.last_seen_at))) for e in cla_away)
                ),
                "by_gender": dict(Counter(e.child.gender for e in cla_away)),
            },
        )
    )
    add(
        Item(
            s,
            "Looked after children currently missing from placement",
            "CSC",
            open_at_end.values("child").distinct().count(),
            note=f"Episodes open at the end of {quarter.end:%-d %B %Y}",
        )
    )
    add(Item(s, "Number of missing episodes from home", "CSC", len(home)))
    add(Item(s, "Number of children missing from home", "CSC", len({e.child_id for e in home})))
    add(
        Item(
            s,
            "Persistent absence (looked after children also missing the quarter before)",
            "CSC",
            len({e.child_id for e in cla} & previous),
        )
    )
    end = quarter.end
    cme = set(
        CMECase.objects.filter(absent_since__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .values_list("child_id", flat=True)
    )
    concern = set(
        MissingOutEntry.objects.exclude(concerns=[])
        .filter(termly_return__received_on__lte=end)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=end))
        .values_list("child_id", flat=True)
    )
    add(
        Item(
            s,
            "Number of children missing from education about whom the LA is concerned",
            "Inclusion",
            len(cme | concern),
            breakdown={"on_the_register": len(cme), "missing_out_of_concern": len(concern)},
        )
    )

    latest, before = _latest_cse(quarter)
    assessed = list(latest.values())
    levels = Counter(a.level for a in assessed)
    p = "Child sexual exploitation: prevent"
    add(Item(p, "CSE training activities and attendance", "All", held=False, note=NOT_HELD))
    add(Item(p, "Awareness raising activities", "All", held=False, note=NOT_HELD))
    i = "Child sexual exploitation: identify and assess"
    add(
        Item(
            i,
            "Children (a) vulnerable to, (b) at risk of, (c) exposed to CSE",
            "CSC",
            len([a for a in assessed if a.is_open_risk]),
            breakdown={
                "vulnerable": levels.get(RiskLevel.VULNERABLE, 0),
                "at_risk": levels.get(RiskLevel.AT_RISK, 0),
                "exposed": levels.get(RiskLevel.SIGNIFICANT_HARM, 0),
            },
        )
    )
    add(
        Item(
            i,
            "Category or type of CSE",
            "CSC",
            None,
            breakdown=dict(Counter(t for a in assessed for t in (a.types_of_exploitation or []))),
        )
    )
    # Where the concern came from, as each child's latest assessment records it (blank on
    # assessments made before it was asked: not recorded).
    add(
        Item(
            i,
            "Source of identification",
            "CSC",
            None,
            breakdown=dict(
                sorted(Counter(a.identified_by or "not_recorded" for a in assessed).items())
            ),
        )
    )
    yes = Counter(
        Answer.objects.filter(assessment__in=assessed, yes=True).values_list(
            "indicator__code", flat=True
        )
    )
    add(Item(i, "Indicators of risk", "CSC", None, breakdown=dict(sorted(yes.items()))))
    add(
        Item(
            i,
            "Demographics of children and young people",
            "CSC",
            len(assessed),
            breakdown={
                "by_age": dict(
                    Counter(_band(a.child.age_on(day_of(a.assessed_at))) for a in assessed)
                ),
                "by_gender": dict(Counter(a.child.gender for a in assessed)),
                "by_ethnicity": dict(Counter(a.child.ethnicity for a in assessed)),
                "by_sexuality": dict(
                    Counter(a.child.sexuality or "not recorded" for a in assessed)
                ),
            },
        )
    )
    if cleared:
        hotspots = (
            Location.objects.filter(
                is_hotspot=True, links__observed_on__range=(quarter.start, quarter.end)
            )
            .distinct()
            .count()
        )
        add(Item(i, "Geographical locations and hotspots where CSE took place", "CSC", hotspots))
    else:
        add(
            Item(
                i,
                "Geographical locations and hotspots where CSE took place",
                "CSC",
                held=True,
                note=RESTRICTED,
            )
        )
    feedback = voice.collate(quarter)
    add(
        Item(
            i,
            "Feedback from return home interviews",
            "NYAS",
            feedback["interviews"],
            note="Return interviews held in the quarter: interviews coded with each theme "
            "(one interview may have several), and the average of each 0 to 10 scale with "
            "the number who answered it",
            # Copies: the same quarter is the last of `voice_of_the_child`, suppressed apart.
            breakdown={
                "themes": dict(feedback["themes"]),
                "average": dict(feedback["average"]),
                "answered": dict(feedback["answered"]),
            },
        )
    )
    d = "Child sexual exploitation: intervention, disruption and prosecution"
    if cleared:
        persons = PersonOfConcern.objects.filter(
            pk__in=Link.objects.filter(observed_on__lte=quarter.end, person__isnull=False).values(
                "person"
            )
        ).count()
        add(Item(d, "Number of known people of concern", "Police & YOT", persons))
    else:
        add(Item(d, "Number of known people of concern", "Police & YOT", note=RESTRICTED))
    outcomes = DisruptionOutcome.objects.filter(occurred_on__range=(quarter.start, quarter.end))
    withheld = False
    if not cleared:
        named = Q(person__isnull=False) | Q(location__isnull=False)
        withheld = outcomes.filter(named).exists()
        outcomes = outcomes.exclude(named)
    kinds = Counter(outcomes.values_list("kind", flat=True))
    K = DisruptionOutcome.Kind
    note = (
        "Outcomes naming a person or place are restricted and not counted here" if withheld else ""
    )
    for kind, label, lead in [
        (K.REGULATORY, "Disruption activities using regulatory powers", "All"),
        (K.SEXUAL_RISK_ORDER, "Number of sexual risk orders issued", "Police & YOT"),
        (K.ABDUCTION_WARNING, "Number of child abduction warning notices issued", "Police"),
        (K.CONVICTION, "Number of CSE related convictions", "Police & YOT"),
        (K.PROTECTIVE, "Protective action taken by CSC", "CSC"),
        (K.LICENSING, "Number of suspended or revoked licences", "Council"),
    ]:
        add(Item(d, label, lead, kinds.get(kind, 0), note=note))
    add(
        Item(
            "Child sexual exploitation: support",
            "CSE related referrals to support services",
            "Various",
            held=False,
            note=NOT_HELD,
        )
    )
    o = "Child sexual exploitation: impact and outcomes"
    ceased = [
        a
        for a in assessed
        if not a.is_open_risk and a.child_id in before and before[a.child_id].is_open_risk
    ]
    rereferred = [
        a
        for a in assessed
        if a.is_open_risk and a.child_id in before and not before[a.child_id].is_open_risk
    ]
    add(
        Item(
            o,
            "Children who cease to be exposed to CSE as a result of intervention",
            "CSC",
            len(ceased),
        )
    )
    add(Item(o, "Re-referrals of CSE", "CSC", len(rereferred)))
    add(
        Item(
            o,
            "Feedback from children, young people and families",
            "MASE",
            held=False,
            note=NOT_HELD,
        )
    )
    add(Item(o, "Learning from audited cases", "All", held=False, note=NOT_HELD))
    return {
        "quarter": str(quarter),
        "from": quarter.start.isoformat(),
        "to": quarter.end.isoformat(),
        "restricted_included": cleared,
        "items": [item.as_dict() for item in items],
        "voice_of_the_child": [*voice.over_time(quarter.previous(), 3), feedback],
    }
