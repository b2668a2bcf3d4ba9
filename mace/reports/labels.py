"""The reports' figures and breakdowns in words (issue 19 point 7): a board reads "Looked
after", "Peer influence" and the indicator's own words, never CLA, peer_influence or SH22.

The JSON download keeps the codes (it is for machines, and `report annual` gives the same);
the page, CSV, xlsx and PDF show these labels. A figure is named by the path the CSV used to
print (`episodes_by_legal_status.CLA`); `figure_label` turns that path into words.
"""

from typing import Any

from mace.disruption.models import DisruptionOutcome
from mace.episodes.factors import PushPullFactor
from mace.exploitation.models import (
    ExploitationType,
    FormOfExploitation,
    Indicator,
    RiskLevel,
    SourceOfIdentification,
    SuspectFact,
)
from mace.people.models import Ethnicity, Gender, LegalStatusKind, Sexuality
from mace.reports.voice import SCALE_LABELS

LEGAL = dict(LegalStatusKind.choices)
GENDER = dict(Gender.choices)
ETHNICITY = dict(Ethnicity.choices)
AGE = {"unknown": "Age not known", "18+": "18 and over"}
RHI = {
    "offered": "Offered",
    "offered_within_72h": "Offered within 72 hours",
    "accepted": "Accepted",
    "completed": "Completed",
    "completed_within_72h": "Completed within 72 hours",
    "declined": "Declined",
}
SOURCES = {**dict(SourceOfIdentification.choices), "not_recorded": "Not recorded"}
SUSPECTS = dict(SuspectFact.choices)
# The types' short names, for a chart's axis (the tables give the full words).
SHORT_TYPES = {
    ExploitationType.SEXUAL.value: "Sexual",
    ExploitationType.CRIMINAL.value: "Criminal",
    ExploitationType.RADICALISATION.value: "Radicalisation",
    ExploitationType.TRAFFICKING.value: "Trafficking",
}
MONTHLY = {
    "missing_from_home": "Missing from home",
    "missing_from_care": "Missing from care",
    "away_from_placement": "Away from placement without authorisation",
}

# The annual report's figures, by their key in `annual.build`.
FIGURES = {
    "episodes": "Episodes",
    "children": "Children",
    "episodes_by_legal_status": "Episodes by legal status at the time",
    "children_by_legal_status": "Children by legal status at the time",
    "pct_episodes_by_legal_status": "Episodes by legal status at the time (%)",
    "children_with_more_than_one_episode": "Children with more than one episode",
    "pct_children_with_more_than_one_episode": "Children with more than one episode (%)",
    "children_with_more_than_one_episode_by_legal_status": (
        "Children with more than one episode, by legal status at the time"
    ),
    "episodes_18h_or_less": "Episodes of 18 hours or less",
    "pct_episodes_18h_or_less": "Episodes of 18 hours or less (% of those ended)",
    "episodes_over_18h": "Episodes of more than 18 hours",
    "found": "Episodes ended (child found or returned)",
    "still_missing": "Episodes with no return recorded",
    "episodes_by_hour_started": "Episodes by the hour they started",
    "episodes_by_day_started": "Episodes by the day they started",
    "peak_hour": "Peak hour (the hour starting)",
    "peak_day": "Peak day",
    "by_gender": "Children by gender",
    "episodes_by_gender": "Episodes by gender",
    "episodes_in_association": "Episodes missing in association with other children",
    "episodes_from_care_in_association": (
        "Episodes missing from care in association with other children"
    ),
    "children_placed_by_other_authorities": "Children placed here by other authorities",
    "children_placed_out_of_area": "Children placed out of area by the home authority",
    "episodes_from_care_by_placement_type": "Episodes missing from care, by placement type",
    "episodes_by_age": "Episodes by age at the time",
    "children_by_ethnicity": "Children by ethnicity",
    "children_by_area": "Children by area",
    "children_known_to_camhs": "Children known to CAMHS",
    "monthly": "Children each month",
    "rhi": "Return interviews",
    "pct_rhi_offered_within_72h": "Return interviews offered within 72 hours (% of episodes ended)",
    "pct_rhi_completed_within_72h": (
        "Return interviews completed within 72 hours (% of episodes ended)"
    ),
    "push_pull_factors": "Push and pull factors recorded",
    "exploitation": "Exploitation",
    "children_assessed": "Children assessed",
    "by_level": "Children by their latest level of risk",
    "by_type": "Children by type of exploitation",
    "children_by_every_type_assessed": "Children by every type of exploitation assessed",
    "by_ethnicity": "Children assessed by ethnicity",
    "by_area": "Children assessed by area",
    "by_source_of_identification": "Children assessed by where the concern came from",
    "suspects": "Children whose suspects were known to be",
    "by_age": "By age at the time",
    "by_legal_status": "By legal status at the assessment",
    "indicators_answered_yes": "Indicators answered yes",
    "suspects_named": "Suspects named",
    "suspects_not_named": "No suspect named",
    "also_missing": "Also missing in the period",
    "ceased": "Ceased to be at risk",
    "re_referred": "Re-referred",
    "disruption_outcomes": "Disruption outcomes",
    "suppressed_below": "Numbers suppressed below",
}
FIGURES_EXPLOITATION_GENDER = "Children assessed by gender"


def indicator_names() -> dict[str, str]:
    """Each indicator's code and its words, the latest instrument's words where two differ."""
    return dict(Indicator.objects.order_by("instrument_id", "pk").values_list("code", "text"))


def value_labels(indicators: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """For each figure with a breakdown, its breakdown's codes in words."""
    return {
        "episodes_by_legal_status": LEGAL,
        "children_by_legal_status": LEGAL,
        "pct_episodes_by_legal_status": LEGAL,
        "by_gender": GENDER,
        "episodes_by_gender": GENDER,
        "children_with_more_than_one_episode_by_legal_status": LEGAL,
        "children_by_ethnicity": ETHNICITY,
        "episodes_by_age": AGE,
        "push_pull_factors": dict(PushPullFactor.choices),
        "rhi": RHI,
        "monthly": MONTHLY,
        "exploitation.by_level": dict(RiskLevel.choices),
        "exploitation.by_type": dict(ExploitationType.choices),
        "exploitation.children_by_every_type_assessed": dict(ExploitationType.choices),
        "exploitation.by_ethnicity": ETHNICITY,
        "exploitation.by_source_of_identification": SOURCES,
        "exploitation.suspects": SUSPECTS,
        "exploitation.by_gender": GENDER,
        "exploitation.by_age": AGE,
        "exploitation.by_legal_status": LEGAL,
        "exploitation.indicators_answered_yes": indicators if indicators is not None else {},
        "exploitation.disruption_outcomes": dict(DisruptionOutcome.Kind.choices),
    }


def figure_label(name: str, values: dict[str, dict[str, str]]) -> str:
    """`episodes_by_legal_status.CLA` as "Episodes by legal status at the time: Looked after"."""
    parts = name.split(".")
    if parts[0] == "exploitation" and len(parts) > 1:
        parent = f"exploitation.{parts[1]}"
        head = FIGURES_EXPLOITATION_GENDER if parts[1] == "by_gender" else FIGURES.get(parts[1])
        head = f"Exploitation: {head or parts[1]}"
        rest = parts[2:]
    else:
        parent = parts[0]
        head = FIGURES.get(parts[0], parts[0])
        rest = parts[1:]
    if parent == "episodes_by_hour_started" and rest:
        rest = [f"{int(rest[0]):02d}:00 to {int(rest[0]) + 1:02d}:00"]
    elif parent == "monthly" and len(rest) == 2:
        rest = [rest[0], MONTHLY.get(rest[1], rest[1])]
    elif rest:
        words = values.get(parent, {})
        rest = [words.get(part, part) for part in rest]
    return ": ".join([head, *rest])


# The quarterly dataset's breakdowns (`dataset.build`), in words.
DATASET_GROUPS = {
    "by_age": "Age",
    "by_gender": "Gender",
    "by_ethnicity": "Ethnicity",
    "by_sexuality": "Sexuality",
    "themes": "Theme",
    "average": "Average score out of 10",
    "answered": "Number who answered",
}
DATASET_SINGLE = {
    "on_the_register": "On the children missing education register",
    "missing_out_of_concern": "Missing out on education, of concern",
    "vulnerable": "(a) Vulnerable to CSE",
    "at_risk": "(b) At risk of CSE",
    "exposed": "(c) Exposed to CSE",
}


def dataset_breakdown_label(
    figure: str, indicators: dict[str, str], themes: dict[str, str] | None = None
) -> str:
    """A dataset breakdown's name (`by_gender.female`, `gang`, `SH22`, `themes.<code>`,
    `average.safe_before`) in words; `themes`, the interview themes' names by code."""
    if not figure:
        return ""
    group, _, code = figure.partition(".")
    if code:
        words = {
            "by_age": AGE,
            "by_gender": GENDER,
            "by_ethnicity": ETHNICITY,
            "by_sexuality": {**dict(Sexuality.choices), "not recorded": "Not recorded"},
            "themes": themes or {},
            "average": SCALE_LABELS,
            "answered": SCALE_LABELS,
        }.get(group, {})
        return f"{DATASET_GROUPS.get(group, group)}: {words.get(code, code)}"
    return (
        DATASET_SINGLE.get(figure)
        or dict(FormOfExploitation.choices).get(figure)
        or SOURCES.get(figure)
        or indicators.get(figure)
        or figure
    )


def page_labels(indicators: dict[str, str]) -> dict[str, Any]:
    """The breakdowns' words for the report page's tables."""
    values = value_labels(indicators)
    return {key.replace(".", "_"): words for key, words in values.items()}
