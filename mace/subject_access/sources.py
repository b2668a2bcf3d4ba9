"""Where everything held about a child is found: one `Source` for each kind of record, with
the lookups that lead from it to the child (SPEC C11: "a subject access export of everything
held about a child").

A new model with a relation to a child, or to a record of a child, must be added here:
`tests/test_every_record_type.py` walks the models' relations and fails until it is.

Each source says what of it is for redaction review before anything is disclosed: the
whole record when it is intelligence (SPEC C5) or about someone else (a parent, a person of
concern), and the fields that name other people or come from sources and informants. The
collector adds the fields that point to another child or to intelligence, and free text that
names someone it knows of (`collector.py`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from mace.education.models import Criterion
from mace.episodes.factors import PushPullFactor
from mace.exploitation.models import FormOfExploitation, MethodOfCoercion, SuspectFact

NAMES_OTHERS = "May name other people"
FROM_A_SOURCE = "Names a source or informant"
ANOTHER_CHILDS_RECORD = "Another child's record, which names this child"


@dataclass(frozen=True)
class Source:
    """One kind of record held about a child."""

    label: str  # app_label.model_name
    heading: str  # the section's heading, in words
    paths: tuple[str, ...]  # lookups from this record to a child
    # The whole record is intelligence (SPEC C5): only for cleared users, always reviewed.
    intelligence: bool = False
    # ...or only some records are (a link to a person of concern, not one to another child).
    intelligence_when: Callable[[Any], bool] | None = None
    # Why the whole record is third-party information, if it is.
    third_party: str = ""
    # Fields that hold third-party information, and why.
    review_fields: Mapping[str, str] = field(default_factory=dict)
    # The relation naming the child whose record it is, when a record found through another
    # path (an episode naming this child among those missing with another) may be another
    # child's: then the whole record is about someone else.
    owner: str = ""
    # JSON fields holding lists of codes, with the choices that name them.
    coded: Mapping[str, type[models.TextChoices]] = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def is_intelligence(self, record: Any) -> bool:
        if self.intelligence:
            return True
        return bool(self.intelligence_when and self.intelligence_when(record))


SOURCES: tuple[Source, ...] = (
    # The people register (C1)
    Source("people.child", "The child's record", ("pk",)),
    Source("people.childalias", "Other names (aliases)", ("child",)),
    Source("people.childidentifier", "Identifiers in other systems", ("child",)),
    Source("people.childaddress", "Addresses", ("child",)),
    Source("people.legalstatus", "Legal status history", ("child",)),
    Source("people.placement", "Placements", ("child",)),
    Source(
        "people.relatedperson",
        "Parents, carers and other people in the child's life",
        ("child",),
        third_party="Information about another person (a parent, carer or other)",
    ),
    Source("people.involvement", "Professionals and agencies involved", ("child",)),
    # The photographs themselves are in the zip (photographs/); here, when and by whom.
    Source("people.childphotograph", "Photographs", ("child",)),
    Source(
        "people.childdescription",
        "Physical description",
        ("child",),
        review_fields={"clothing": "Clothing when last seen, as someone described it"},
    ),
    Source(
        "people.duplicatereview",
        "Possible duplicate records",
        ("new_child", "matched_child"),
    ),
    Source(
        "access.restrictedaccessgrant", "Reasons given to open the restricted record", ("child",)
    ),
    # Missing episodes (C2) and what hangs off them
    Source(
        "episodes.episode",
        "Missing episodes",
        ("child", "with_children"),
        owner="child",
        review_fields={
            "reported_by": "Names who reported the child missing",
            "with_others": NAMES_OTHERS,
            "who_with_while_missing": NAMES_OTHERS,
            "found_by": "Names who found the child",
        },
        coded={"push_pull_factors": PushPullFactor},
    ),
    Source("episodes.riskgrading", "Police risk grades", ("episode__child",)),
    Source("episodes.episodenotification", "Who was told of an episode", ("episode__child",)),
    # Safe-and-well checks and return home interviews (C3)
    Source("interviews.safeandwellcheck", "Safe-and-well interviews", ("episode__child",)),
    Source(
        "interviews.returninterview",
        "Return home interviews",
        ("episode__child",),
        review_fields={
            "parents_views": "Parents' or carers' views (third-party information)",
            "harboured_where_by_whom": "May name who harboured the child",
            "consent_given_by": "Names who gave consent",
        },
    ),
    Source(
        "interviews.interviewthemecoding",
        "Themes of what the child said in a return home interview",
        ("interview__episode__child",),
    ),
    Source(
        "interviews.interviewoffer",
        "Offers of a return home interview",
        ("interview__episode__child",),
    ),
    # Exploitation (C4)
    Source(
        "exploitation.assessment",
        "Exploitation risk assessments",
        ("child",),
        review_fields={
            "offenders": "Names known or suspected offenders",
            "associations": NAMES_OTHERS,
        },
        coded={
            "types_of_exploitation": FormOfExploitation,
            "methods_of_coercion": MethodOfCoercion,
            "suspects": SuspectFact,
        },
    ),
    Source(
        "exploitation.answer", "Answers to the risk assessment's indicators", ("assessment__child",)
    ),
    Source(
        "exploitation.assessmentdraft",
        "Draft risk assessments, not yet recorded",
        ("child",),
        # What a worker typed and saved unchecked (issue 19 point 5): any box of the form.
        review_fields={"fields": "An unchecked draft: may name offenders and other people"},
    ),
    # Intelligence and disruption (C5)
    Source(
        "intelligence.link",
        "Links to other children, persons of concern and places",
        ("child", "other_child"),
        intelligence_when=lambda link: link.is_intelligence,
        review_fields={"source": FROM_A_SOURCE},
    ),
    Source(
        "intelligence.intelligencenote",
        "Intelligence notes",
        ("child",),
        intelligence=True,
        review_fields={"source": FROM_A_SOURCE, "text": "Intelligence"},
    ),
    Source(
        "intelligence.personofconcern",
        "Persons of concern linked to the child",
        ("links__child",),
        intelligence=True,
        third_party="Information about another person (a person of concern)",
    ),
    Source(
        "intelligence.location",
        "Places linked to the child",
        ("links__child",),
        intelligence=True,
    ),
    Source("disruption.disruptionaction", "Disruption plan actions", ("child",)),
    Source(
        "disruption.disruptionoutcome",
        "Disruption outcomes",
        ("child",),
        intelligence_when=lambda outcome: bool(outcome.person_id or outcome.location_id),
        review_fields={"details": NAMES_OTHERS},
    ),
    # Education (C6)
    Source("education.cmecase", "Child missing education cases", ("child",)),
    Source("education.cmecheck", "Checks on a child missing education", ("case__child",)),
    Source(
        "education.missingoutentry",
        "Missing out on education (termly returns)",
        ("child",),
        coded={"concerns": Criterion},
    ),
    # Meetings and panels (C7)
    Source(
        "meetings.strategymeeting",
        "Strategy meetings",
        ("child",),
        review_fields={"information_shared": "Information shared by other agencies"},
    ),
    Source("meetings.meetingaction", "Strategy meeting actions", ("meeting__child",)),
    Source("meetings.supervisiondiscussion", "Supervision discussions", ("child",)),
    Source("meetings.agendaitem", "Panel meeting discussions", ("child",)),
    Source(
        "meetings.agencyriskview", "Agencies' views of risk at panel meetings", ("item__child",)
    ),
    Source("meetings.panelaction", "Panel meeting actions", ("child",)),
    Source("meetings.transitionreferral", "Referrals to adult services", ("child",)),
    # Worklist (C8)
    Source("worklist.dueitem", "Worklist items (what was due and when)", ("child",)),
    Source("worklist.notification", "Notifications sent about the child", ("child",)),
    Source("worklist.recheck", "Scheduled checks of the timescales", ("child",)),
    # Retention (C11): when the record falls due for deletion and what was decided.
    Source("retention.retentionreview", "Retention reviews", ("child",)),
    # Documents (C10) and reports (C9)
    Source("documents.directorletter", "Director-to-director letters", ("child",)),
    Source(
        "reports.episodefact",
        "Reporting table (one row a missing episode)",
        ("child",),
        coded={"push_pull_factors": PushPullFactor},
    ),
)

AUDIT_HEADING = "Who viewed, changed or exported the record (audit trail)"
