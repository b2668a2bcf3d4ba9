"""Who may see and do what. Every page, API view, export and selector asks here.

The rules (SPEC C11, section 1):
- Partnership-wide roles see every child: the missing coordinator (every open episode),
  MASH and police public-protection officers (they triage every report) and managers
  (oversight, escalation, supervision).
- Social workers and family key workers see the children allocated to them or to their
  team, and those they are recorded as working with.
- Return interview workers, inclusion officers and panel members see only the children
  they, or their agency as referred provider, are recorded as working with. Panel members
  also open the records of the children on their panels' recent agendas; anyone else who
  sits on a panel sees only its agenda's summary on the meeting pages (issue 16).
- Analysts never see identifiable records, only anonymised aggregates.
- Administrators manage accounts and settings and have no need to see children.
- Auditors read the audit trail, not the records themselves.
- A restricted record asks everyone but the allocated worker and their team's managers
  for a reason before it opens; the reason is logged (`people.services.
  restricted_access_grant`). Until then a meeting's pages and pack show the child only as
  reference and "Restricted".
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from mace.accounts.models import Role, User
from mace.people.models import Child, Involvement

PARTNERSHIP_WIDE = frozenset({Role.MISSING_COORDINATOR, Role.POLICE_OFFICER, Role.MANAGER})
BY_RELATIONSHIP = frozenset(
    {Role.SOCIAL_WORKER, Role.RHI_WORKER, Role.INCLUSION_OFFICER, Role.PANEL_MEMBER}
)
NO_CHILD_RECORDS = frozenset({Role.ANALYST, Role.ADMINISTRATOR, Role.AUDITOR})
MAY_CREATE_CHILDREN = frozenset(
    {
        Role.POLICE_OFFICER,
        Role.SOCIAL_WORKER,
        Role.MISSING_COORDINATOR,
        Role.INCLUSION_OFFICER,
        Role.MANAGER,
    }
)
MAY_EDIT_CHILDREN = MAY_CREATE_CHILDREN
MAY_READ_AUDIT = frozenset({Role.MANAGER, Role.AUDITOR})
PANEL_AGENDA_DAYS = 90
INTELLIGENCE_ROLES = frozenset(
    {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER}
)


@dataclass(frozen=True)
class Decision:
    """The answer to 'may this user open this record?'."""

    allowed: bool
    needs_reason: bool = False

    def __bool__(self) -> bool:
        return self.allowed and not self.needs_reason


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def require(allowed: bool) -> None:
    """Raise PermissionDenied (a 403 page) unless allowed."""
    if not allowed:
        raise PermissionDenied


def sees_identifiable_data(user: User) -> bool:
    return _active(user) and user.role not in NO_CHILD_RECORDS


def can_search_children(user: User) -> bool:
    return sees_identifiable_data(user)


def can_create_child(user: User) -> bool:
    return _active(user) and user.role in MAY_CREATE_CHILDREN


def can_merge_children(user: User) -> bool:
    return _active(user) and user.role in {Role.MANAGER, Role.MISSING_COORDINATOR}


# Possible duplicates at import and from education (issue 18): the missing coordinator, who
# runs the imports and keeps the children's records together, managers (oversight), and
# administrators, who run the scheduled imports, see the review list. Administrators have no
# need to see children (SPEC section 1), so they see each pair by reference only and decide
# nothing; deciding is merging, for those who may merge.
MAY_SEE_DUPLICATE_REVIEWS = frozenset({Role.MISSING_COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR})


def can_see_duplicate_reviews(user: User) -> bool:
    """The list of children who may be duplicates, from imports and education (issue 18)."""
    return _active(user) and user.role in MAY_SEE_DUPLICATE_REVIEWS


def can_decide_duplicate_review(user: User, new_child: Child, matched_child: Child) -> bool:
    """Merge the pair, or confirm they are different children: those who may merge, and only
    once they may see both children's details now (a restricted one after a reason), since
    deciding means comparing them (C11, issue 16)."""
    return (
        can_see_duplicate_reviews(user)
        and can_merge_children(user)
        and may_see_child_details(user, new_child)
        and may_see_child_details(user, matched_child)
    )


def duplicate_pairs_decidable(
    user: User, pairs: Iterable[tuple[Child, Child]]
) -> set[tuple[int, int]]:
    """Of these pairs of children, the ids of those this user may decide now: the rule of
    `can_decide_duplicate_review` for a whole list, in one query."""
    pairs = list(pairs)
    if not (can_see_duplicate_reviews(user) and can_merge_children(user)):
        return set()
    shown = children_shown_in_full(user, [child for pair in pairs for child in pair])
    return {(a.pk, b.pk) for a, b in pairs if a.pk in shown and b.pk in shown}


def can_read_audit(user: User) -> bool:
    return _active(user) and user.role in MAY_READ_AUDIT


def can_manage_users(user: User) -> bool:
    return _active(user) and user.role == Role.ADMINISTRATOR


def can_change_own_account_settings(user: User) -> bool:
    """Set one's own preferences (how notifications are emailed): every active user, of
    every role; never anyone else's."""
    return _active(user)


# The partnership's settings (issue 18): timescales, providers, home authority, letterhead,
# suppression, go-live, the risk assessment instrument. Administrators set MACE up.
MAY_CONFIGURE = frozenset({Role.ADMINISTRATOR})


def can_configure(user: User) -> bool:
    """Change the partnership's settings and load its risk assessment instrument; see the
    first-run checklist."""
    return _active(user) and user.role in MAY_CONFIGURE


def can_see_intelligence(user: User) -> bool:
    """Persons of concern and intelligence notes: cleared people in cleared roles (C5)."""
    return _active(user) and user.intelligence_cleared and user.role in INTELLIGENCE_ROLES


def _related(name: str) -> Any:
    """The model behind one of Child's reverse relations, without importing its app here."""
    return Child._meta.get_field(name).related_model


def is_inclusion_team(user: User) -> bool:
    """Is this user one of the Inclusion Team, who hold the register of children missing
    education and the missing-out tracker for the authority (003 §38-43; SPEC section 1:
    "Inclusion officer: children missing education and missing out on education")? They see
    every child on either, and a case one of them puts on the register is theirs to keep
    (`cme_notify`)."""
    return user.role == Role.INCLUSION_OFFICER


def opens_records_through_agendas(user: User) -> bool:
    """Does sitting on a panel open the records of the children on its agendas to this user?

    Only for panel members (SPEC section 1: "Panel chair, panel member: agendas, per-agency
    risk views, minutes, actions"). A return-interview worker, inclusion officer or social
    worker on a panel sees the agenda's summary on the meeting pages, and opens a child's
    record only through their own relationship to the child (SPEC section 1: the
    return-interview worker "sees only the children referred to them"; issue 16)."""
    return user.role == Role.PANEL_MEMBER


def _related_child_ids(user: User) -> QuerySet[Any]:
    """The ids of the children this user works with: each relationship is its own small query
    on its own index, and the ids are their union. (One query joining every child to all its
    relations, ORed, had to read every child: 200 ms a worklist at national scale.)"""
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    involvements = _related("involvements").objects.filter(current)
    parts = [
        involvements.filter(user=user).values("child_id"),
        involvements.filter(agency_id=user.agency_id, kind=Involvement.Kind.RHI_PROVIDER).values(
            "child_id"
        ),
    ]
    if opens_records_through_agendas(user):
        # Members of a panel see the children on its agendas, from PANEL_AGENDA_DAYS before
        # the meeting (003 A5: the meeting reviews each child with every agency present).
        parts.append(
            _related("agenda_items")
            .objects.filter(
                meeting__series__members=user,
                meeting__date__gte=today - datetime.timedelta(days=PANEL_AGENDA_DAYS),
            )
            .values("child_id")
        )
    if is_inclusion_team(user):
        parts.append(_related("cme_cases").objects.values("child_id"))
        parts.append(_related("missing_out_entries").objects.values("child_id"))
    if user.role == Role.SOCIAL_WORKER:
        parts.append(Child.objects.filter(allocated_worker=user).values("pk"))
        if user.team_id is not None:
            parts.append(Child.objects.filter(team_id=user.team_id).values("pk"))
    first, *rest = (part.order_by() for part in parts)
    return first.union(*rest)


def visible_children(user: User) -> QuerySet[Child]:
    """Every child record this user may find. Merged-away records are excluded."""
    base = Child.objects.filter(merged_into__isnull=True)
    if not sees_identifiable_data(user):
        return base.none()
    if user.role in PARTNERSHIP_WIDE:
        return base
    if user.role in BY_RELATIONSHIP:
        return base.filter(pk__in=_related_child_ids(user))
    return base.none()


def visible_children_filter(user: User, path: str = "child") -> Q:
    """A filter on a relation to a child (`path`) keeping the rows about children this user
    may find: the same children as `visible_children`. For a partnership-wide role it is a
    condition on the joined child rather than a test of each row against a subquery of every
    child, which PostgreSQL cannot hash once the children outgrow its working memory (a
    national worklist took 25 s that way). Rows with no child are not kept."""
    if not sees_identifiable_data(user):
        return Q(pk__in=[])
    if user.role in PARTNERSHIP_WIDE:
        return Q(**{f"{path}__isnull": False, f"{path}__merged_into__isnull": True})
    return Q(**{f"{path}__in": visible_children(user).values("pk")})


def _has_relationship(user: User, child: Child) -> bool:
    if user.role in PARTNERSHIP_WIDE:
        return True
    if user.role not in BY_RELATIONSHIP:
        return False
    return Child.objects.filter(pk=child.pk).filter(pk__in=_related_child_ids(user)).exists()


def _exempt_from_reason(user: User, child: Child) -> bool:
    if child.allocated_worker_id == user.pk:
        return True
    return (
        user.role == Role.MANAGER and child.team_id is not None and (child.team_id == user.team_id)
    )


def _has_grant(user: User, child: Child) -> bool:
    return child.restricted_grants.filter(user=user, expires_at__gt=timezone.now()).exists()


def can_view_child(user: User, child: Child) -> Decision:
    """May the user open this child's record, and must they first give a reason?"""
    if not sees_identifiable_data(user) or not _has_relationship(user, child):
        return Decision(allowed=False)
    if child.is_restricted and not _exempt_from_reason(user, child):
        return Decision(allowed=True, needs_reason=not _has_grant(user, child))
    return Decision(allowed=True)


def openable_children(user: User) -> QuerySet[Child]:
    """The children whose records this user may open now without giving a reason first:
    visible, and either not restricted, or exempt, or opened with a reason still in force.
    The API serves these; a restricted record opens there only after a reason in MACE."""
    visible = visible_children(user)
    exempt = Q(is_restricted=False) | Q(allocated_worker=user)
    if user.role == Role.MANAGER and user.team_id is not None:
        exempt |= Q(team_id=user.team_id)
    granted = Q(restricted_grants__user=user, restricted_grants__expires_at__gt=timezone.now())
    ids = Child.objects.filter(exempt | granted).values("pk")
    return visible.filter(pk__in=ids)


@dataclass(frozen=True)
class AgendaDisclosure:
    """What a meeting page, the meeting pack or any other export of a panel meeting shows
    of one child on its agenda, to a user who may see the panel (issue 16, SPEC C11).

    - `summary`: the name, why the child is on the agenda, the decisions, the agencies'
      views and the actions. False for a restricted record the user has not opened with a
      reason in force and is not exempt from (`can_view_child`): then only the reference
      and "Restricted" are shown. The chair is not exempt: they give a reason like anyone.
    - `details`: the date of birth and the allocated worker too, for those who may open the
      record now.
    - `linked`: the reference or name links to the record, for those who may open it (a
      restricted one after a reason). Panel members of other roles are not linked to
      records they cannot open (`opens_records_through_agendas`).
    """

    summary: bool
    details: bool
    linked: bool


def agenda_disclosures(user: User, children: list[Child]) -> dict[int, AgendaDisclosure]:
    """`AgendaDisclosure` for each of these children on an agenda, by child pk: the rules
    of `can_view_child` for the whole agenda in two queries (`openable`: the rule every list
    follows, `children_shown_in_full`)."""
    ids = [child.pk for child in children]
    visible = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    openable = children_shown_in_full(user, children)
    return {
        child.pk: AgendaDisclosure(
            summary=child.pk in openable or not child.is_restricted,
            details=child.pk in openable,
            linked=child.pk in visible,
        )
        for child in children
    }


def may_see_child_details(user: User, child: Child) -> bool:
    """May this user see the child's details (name, date of birth, aliases, worker, school,
    concerns) now, in a page, a list or a form? Only if they may open the record without
    giving a reason first: not restricted, exempt, or opened with a reason still in force
    (SPEC C11; issue 16). Otherwise a list shows the reference and "Restricted" only, linking
    to the record, which asks for the reason."""
    return bool(can_view_child(user, child))


def children_shown_in_full(user: User, children: Iterable[Child]) -> set[int]:
    """Of these children, the ids of those whose details this user may see now (the rule of
    `may_see_child_details`), in one query for a whole list. A child the user may not open
    at all is not among them either (issue 16: search, duplicate warning, education lists)."""
    ids = {child.pk for child in children}
    if not ids:
        return set()
    return set(openable_children(user).filter(pk__in=ids).values_list("pk", flat=True))


def children_not_shown_in_full(user: User, children: Iterable[Child]) -> set[int]:
    """The ids of these children that a list (a worklist, the coordinator's lists, disruption
    outcomes) shows by reference and "Restricted" only: those not `children_shown_in_full`."""
    children = list(children)
    return {child.pk for child in children} - children_shown_in_full(user, children)


MAY_RECORD_EPISODES = frozenset(
    {Role.POLICE_OFFICER, Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER}
)


def can_record_episode(user: User, child: Child) -> bool:
    """Report a child missing, record their return, grade risk, record notifications."""
    return user.role in MAY_RECORD_EPISODES and bool(can_view_child(user, child))


def can_record_safe_and_well(user: User, child: Child) -> bool:
    return user.role == Role.POLICE_OFFICER and bool(can_view_child(user, child))


def can_grade_police_risk(user: User, child: Child) -> bool:
    return user.role in {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR} and bool(
        can_view_child(user, child)
    )


# Return home interviews (SPEC C3, 003 §21-26, A4)

MAY_RECORD_INTERVIEWS = frozenset(
    {Role.RHI_WORKER, Role.SOCIAL_WORKER, Role.MISSING_COORDINATOR, Role.MANAGER}
)
MAY_HOLD_INTERVIEWS = frozenset({Role.RHI_WORKER, Role.SOCIAL_WORKER})
MAY_NOMINATE_INTERVIEW_PROVIDERS = frozenset({Role.MANAGER})


def can_record_return_interview(user: User, child: Child) -> bool:
    """Allocate a return interview, record its offers and the interview itself (003 A4), for
    a child whose record the user may open. SPEC section 1: the return-interview worker
    "records the interview", the social worker "books return interviews", the missing
    coordinator "chases return interviews" and managers oversee. Police officers record the
    safe-and-well interview instead (`can_record_safe_and_well`)."""
    return user.role in MAY_RECORD_INTERVIEWS and bool(can_view_child(user, child))


def can_see_return_interview(user: User, child: Child) -> bool:
    """See what the child said in their return interviews (003 A4): on the episode page, the
    printable record, the six scales over time on the child's page and the police
    missing-person profile. For anyone who may open the child's record now, as the episode
    page shows it (SPEC principle 5: the child's voice shown over time); not for roles that
    see no child records, nor without a relationship to the child, nor before a reason is
    given for a restricted record (C11)."""
    return bool(can_view_child(user, child))


def can_record_health_assessment_offer(user: User, child: Child) -> bool:
    """T12 (003 §16): record on the episode whether the child was offered a health
    assessment on return. Those who record return interviews, whoever arranges the interview
    (the placing authority included): the return-interview worker, the social worker, the
    missing coordinator (whose queue holds the T12 item) and managers."""
    return user.role in MAY_RECORD_INTERVIEWS and bool(can_view_child(user, child))


MAY_KEEP_INTERVIEW_THEMES = frozenset({Role.ADMINISTRATOR})


def can_keep_interview_themes(user: User) -> bool:
    """Add, rename, retire (and restore) the partnership's list of return-interview themes,
    and delete one no interview is coded with (issue 20 point 4): administrators, who keep
    the partnership's settings (SPEC section 1)."""
    return _active(user) and user.role in MAY_KEEP_INTERVIEW_THEMES


def can_see_interview_collation(user: User) -> bool:
    """The quarterly collation of return interviews, anonymised (issue 20 point 4: themes
    counted, the six scales averaged; no child named): on its report page and in the 003 A7
    dataset, for those who run reports. Analysts get it suppressed
    (`sees_unsuppressed_report_figures`), like every report."""
    return can_run_reports(user)


def can_see_interview_collation_at_meeting(user: User, series: Any) -> bool:
    """The same collation on a monitoring meeting's page (SPEC C3: "collated quarterly for the
    monitoring meeting"): whoever may open that panel's meetings. Only managers and the
    missing coordinator see small numbers as counted; the panel's other members see the
    suppressed form, as an analyst does."""
    return can_see_panel(user, series)


def interview_workers() -> QuerySet[User]:
    """Those who may be named as the worker who holds a return interview, for the referral
    form's list: active return-interview workers, and social workers or family key workers
    (SPEC C3: the interview is held by an independent person; 003 §21-24 lets the child's
    own worker do it when the child asks)."""
    return User.objects.filter(is_active=True, role__in=MAY_HOLD_INTERVIEWS)


def can_nominate_interview_provider(user: User) -> bool:
    """Refer the interview to a provider other than the one the rules choose (003 §25: "a
    manager may nominate another professional", with the reason recorded)."""
    return _active(user) and user.role in MAY_NOMINATE_INTERVIEW_PROVIDERS


MAY_ASSESS_EXPLOITATION = frozenset(
    {Role.SOCIAL_WORKER, Role.MANAGER, Role.MISSING_COORDINATOR, Role.POLICE_OFFICER}
)
MAY_PREPARE_DIRECTOR_LETTERS = frozenset({Role.MISSING_COORDINATOR, Role.MANAGER})


def can_record_assessment(user: User, child: Child) -> bool:
    """Record an exploitation risk assessment, or the front door referral that follows it."""
    return user.role in MAY_ASSESS_EXPLOITATION and bool(can_view_child(user, child))


def can_use_assessment_draft(user: User, draft: Any) -> bool:
    """Resume, replace or discard a draft risk assessment (`exploitation.AssessmentDraft`):
    only its author, while they may still record an assessment of the child. Nobody else
    sees what a draft holds; colleagues who may record one see only that it exists, by
    whom and when (`exploitation.selectors.drafts_by_colleagues`)."""
    return draft.author_id == user.pk and can_record_assessment(user, draft.child)


def can_prepare_director_letter(user: User, child: Child) -> bool:
    """The missing coordinator and managers prepare the letter for the directors to sign
    (003 §15), for a child whose record they may open."""
    return user.role in MAY_PREPARE_DIRECTOR_LETTERS and bool(can_view_child(user, child))


def can_edit_child(user: User, child: Child) -> bool:
    return user.role in MAY_EDIT_CHILDREN and bool(can_view_child(user, child))


# The child's photograph and physical description (issue 20 point 3; SPEC C1, C10).


def can_see_photograph(user: User, child: Child) -> bool:
    """See the child's photograph and description: on the child's pages, through the image
    view and in the police missing-person profile. The same people who may open the child's
    record now: not before a reason is given for a restricted record (C11), never analysts,
    administrators or auditors, who see no child records (SPEC section 1)."""
    return bool(can_view_child(user, child))


def can_add_photograph(user: User, child: Child) -> bool:
    """Upload a photograph of the child: those who may change the child's record."""
    return can_edit_child(user, child)


def can_remove_photograph(user: User, child: Child) -> bool:
    """Remove a photograph of the child (one of another child, or one that should not have
    been kept): those who may add one, so that a wrong image can come off the record, and
    out of the police profile, at once."""
    return can_edit_child(user, child)


def can_change_description(user: User, child: Child) -> bool:
    """Change the child's physical description and clothing when last seen: those who may
    change the child's record (the police officer taking a report included)."""
    return can_edit_child(user, child)


MAY_SUPERVISE = frozenset({Role.MANAGER})


def can_record_supervision(user: User, child: Child) -> bool:
    """Record that a child was discussed in supervision (T16: every 4 weeks, 003 quality
    assurance). SPEC section 1: the team or service manager's "oversight: supervision every 4
    weeks"; only for a child whose record they may change."""
    return user.role in MAY_SUPERVISE and can_edit_child(user, child)


MAY_ALLOCATE_CHILDREN = frozenset({Role.MANAGER})
MAY_RESTRICT_CHILDREN = frozenset({Role.MANAGER})
MAY_HOLD_CASES = frozenset({Role.SOCIAL_WORKER})


def can_allocate_child(user: User, child: Child) -> bool:
    """Choose the child's team and allocated worker (issue 16). Team and service managers
    allocate: oversight and approvals are theirs (SPEC section 1). The missing coordinator
    watches episodes and chases interviews but holds no caseloads, and social workers and
    police may not, or they could give themselves a child and with it the allocated worker's
    freedom from giving reasons for a restricted record. A manager who must give a reason to
    open the record gives it first."""
    return (
        _active(user) and user.role in MAY_ALLOCATE_CHILDREN and bool(can_view_child(user, child))
    )


def can_restrict_child(user: User, child: Child) -> bool:
    """Make a child's record restricted, or lift the restriction (issue 16, C11: records for
    which access must be justified). Managers decide, as they approve (SPEC section 1); the
    allocated worker and their team's managers are the ones who open it without a reason,
    so letting a social worker decide would let them choose who must justify themselves."""
    return (
        _active(user) and user.role in MAY_RESTRICT_CHILDREN and bool(can_view_child(user, child))
    )


def may_hold_case(worker: User, team: Any) -> bool:
    """May this person be a child's allocated worker in this team (issue 16)? An active
    social worker or family key worker (SPEC section 1: they own a child's record) who is a
    member of the child's team. The demonstration data allocates only so (seed_demo)."""
    return bool(
        team is not None
        and worker.is_active
        and worker.role in MAY_HOLD_CASES
        and worker.team_id == team.pk
    )


def case_holders() -> QuerySet[User]:
    """Everyone who may be allocated a child in some team: for the allocation form's list."""
    return User.objects.filter(
        is_active=True, role__in=MAY_HOLD_CASES, team__isnull=False
    ).select_related("team")


def team_for_new_child(user: User) -> Any:
    """The team a new record starts in: a social worker's own, so they go on seeing the
    child they recorded (C11: the children allocated to their team). Anyone else's new
    record starts with no team; a manager allocates it (can_allocate_child)."""
    if user.role in MAY_HOLD_CASES:
        return user.team
    return None


def can_record_link(user: User, child: Child) -> bool:
    """Link this child to another child, or (if cleared) to a person or place (C5): those
    who may change the child's record, and cleared users who may open it."""
    if not can_view_child(user, child):
        return False
    return can_edit_child(user, child) or can_see_intelligence(user)


MAY_PLAN_DISRUPTION = MAY_ASSESS_EXPLOITATION
MAY_RECORD_DISRUPTION_OUTCOMES = frozenset(
    {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER}
)
MAY_KEEP_DISRUPTION_LIBRARY = frozenset({Role.ADMINISTRATOR, Role.MANAGER})
MAY_SEE_DISRUPTION_COUNTS = frozenset(
    {*MAY_RECORD_DISRUPTION_OUTCOMES, Role.ANALYST, Role.PANEL_MEMBER}
)


def can_plan_disruption(user: User, child: Child) -> bool:
    """Add actions to a child's disruption plan (003 A3): those who assess the risk."""
    return user.role in MAY_PLAN_DISRUPTION and bool(can_view_child(user, child))


def can_record_action_outcome(user: User, action: Any) -> bool:
    """Record what came of a disruption action: its owner, its monitor, or a planner."""
    if not can_view_child(user, action.child):
        return False
    return user.pk in (action.owner_id, action.monitor_id) or can_plan_disruption(
        user, action.child
    )


def can_record_disruption_outcome(
    user: User, child: Child | None = None, *, intelligence: bool = False
) -> bool:
    """Record a disruption outcome of 003 A7. Naming a person of concern or a place is
    recording intelligence, for cleared users only."""
    if not _active(user) or user.role not in MAY_RECORD_DISRUPTION_OUTCOMES:
        return False
    if child is not None and not can_view_child(user, child):
        return False
    return can_see_intelligence(user) if intelligence else True


def can_keep_disruption_library(user: User) -> bool:
    """Add strategic aims and intervention options to the A3 library, and retire them."""
    return _active(user) and user.role in MAY_KEEP_DISRUPTION_LIBRARY


def can_see_disruption_counts(user: User) -> bool:
    """The dataset's disruption figures (003 A7); intelligence-bearing ones if cleared."""
    return _active(user) and user.role in MAY_SEE_DISRUPTION_COUNTS


MAY_RUN_PANELS = frozenset({Role.MISSING_COORDINATOR, Role.MANAGER})
MAY_KEEP_PANEL_SETTINGS = frozenset({Role.ADMINISTRATOR, Role.MANAGER})


def can_see_panel(user: User, series: Any) -> bool:
    """Open a panel's meetings: those who run panels, police officers (partnership-wide),
    the panel's chair and its members."""
    if not sees_identifiable_data(user):
        return False
    if user.role in MAY_RUN_PANELS or user.role == Role.POLICE_OFFICER:
        return True
    if series.chair_id == user.pk:
        return True
    return bool(series.members.filter(pk=user.pk).exists())


def can_run_panel(user: User, series: Any) -> bool:
    """Build the agenda, record attendance, discussions, agencies' views and actions, and
    circulate the minutes: the missing coordinator (who administers the meeting) and
    managers."""
    return _active(user) and user.role in MAY_RUN_PANELS


def can_agree_minutes(user: User, meeting: Any) -> bool:
    """003 A5: the minutes are agreed by the chair (or, without one, a manager)."""
    if not _active(user):
        return False
    chair_id = meeting.series.chair_id
    return user.pk == chair_id if chair_id else user.role == Role.MANAGER


def can_keep_panel_settings(user: User) -> bool:
    """Change a panel's cadence, sections, chair and members."""
    return _active(user) and user.role in MAY_KEEP_PANEL_SETTINGS


def can_use_panels(user: User) -> bool:
    """The panels page: those who run or keep panels, police officers, chairs and members."""
    from mace.meetings.models import PanelSeries  # the policy loads before meetings

    if can_keep_panel_settings(user):
        return True
    if not sees_identifiable_data(user):
        return False
    if user.role in MAY_RUN_PANELS or user.role == Role.POLICE_OFFICER:
        return True
    return bool(user.panel_series.exists()) or PanelSeries.objects.filter(chair=user).exists()


# Worklists (SPEC C8: "Each user's worklist ... Team and service views for managers; a
# missing coordinator's view of every open episode and every interview not yet done.")

MAY_SEE_TEAM_WORK = frozenset({Role.MANAGER})
MAY_SEE_COORDINATOR_VIEW = frozenset({Role.MISSING_COORDINATOR, Role.MANAGER, Role.POLICE_OFFICER})


def can_have_worklist(user: User) -> bool:
    """A worklist of what is due and late by child (C8): everyone who works with children's
    records. Analysts, auditors and administrators hold no cases."""
    return sees_identifiable_data(user)


def can_see_team_work(user: User) -> bool:
    """The team view (C8: "Team and service views for managers"): oversight is the
    manager's (section 1)."""
    return sees_identifiable_data(user) and user.role in MAY_SEE_TEAM_WORK


def can_see_coordinator_view(user: User) -> bool:
    """The coordinator's view of every open episode and every interview not yet done (C8):
    the missing coordinator, who "watches every open and recent episode" (section 1),
    managers overseeing them, and police officers, who triage every report."""
    return sees_identifiable_data(user) and user.role in MAY_SEE_COORDINATOR_VIEW


# Reassigning due items from the worklists (issue 19). The missing coordinator chases every
# interview and every open episode, and managers hold oversight and allocation (section 1):
# they move an item to someone else who can do it; the others work their own lists.

MAY_REASSIGN_ITEMS = frozenset({Role.MISSING_COORDINATOR, Role.MANAGER})


def _item_visible(user: User, item: Any) -> bool:
    """May the user see this due item on a worklist: its child is one they see, or it is
    about a meeting rather than a child."""
    if item.child_id is None:
        return item.meeting_id is not None
    return visible_children(user).filter(pk=item.child_id).exists()


def can_reassign_item(user: User, item: Any) -> bool:
    """Give this open due item to someone else: the missing coordinator and managers, for an
    item they can see."""
    return (
        sees_identifiable_data(user)
        and user.role in MAY_REASSIGN_ITEMS
        and item.status == "open"
        and _item_visible(user, item)
    )


def items_reassignable(user: User, items: Iterable[Any]) -> set[int]:
    """The ids of the items a list may offer to reassign: its items are already those the
    user sees (the worklist selectors), so this asks no more of the database."""
    if not sees_identifiable_data(user) or user.role not in MAY_REASSIGN_ITEMS:
        return set()
    return {item.pk for item in items if item.status == "open"}


def reassign_candidates(user: User, item: Any) -> QuerySet[User]:
    """Whom the item may go to: active people of its queue's team, or of its role's queue, or
    of the role (and team) of the person the rule gave it to, who can see its child; never the
    person who owns it now. None unless the user may reassign it."""
    people = (
        User.objects.filter(is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )
    if not can_reassign_item(user, item):
        return people.none()
    if item.team_id:
        people = people.filter(team_id=item.team_id)
    elif item.role:
        people = people.filter(role=item.role)
    elif item.assignee_id:
        people = people.filter(role=item.assignee.role)
        if item.assignee.team_id:
            people = people.filter(team_id=item.assignee.team_id)
    else:
        return people.none()
    current = item.reassigned_to_id or item.assignee_id
    if current:
        people = people.exclude(pk=current)
    if item.child_id is None:
        return people
    child = item.child
    return people.filter(
        pk__in=[
            person.pk
            for person in people
            if sees_identifiable_data(person) and _has_relationship(person, child)
        ]
    )


# Children missing education (SPEC C6, 003 §27-48)

MAY_KEEP_EDUCATION = frozenset({Role.INCLUSION_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER})
MAY_KEEP_TERM_DATES = frozenset({Role.INCLUSION_OFFICER, Role.MANAGER, Role.ADMINISTRATOR})


def can_use_education(user: User) -> bool:
    """The register of children missing education and the missing-out tracker: the
    Inclusion Team, and the coordinator and managers who oversee missing children."""
    return sees_identifiable_data(user) and user.role in MAY_KEEP_EDUCATION


def can_change_education(user: User, child: Child) -> bool:
    """Change a child's entries on the register or the tracker (update, record a check,
    close, resolve): those who keep the register, once they may see the child's details
    now. A restricted child's entries change only after a reason is given, as the record
    itself opens (SPEC C11; issue 16)."""
    return can_use_education(user) and may_see_child_details(user, child)


def can_keep_term_dates(user: User) -> bool:
    return _active(user) and user.role in MAY_KEEP_TERM_DATES


# Reports (SPEC C9): aggregate figures, no names

MAY_RUN_REPORTS = frozenset({Role.ANALYST, Role.MANAGER, Role.MISSING_COORDINATOR})


def can_run_reports(user: User) -> bool:
    return _active(user) and user.role in MAY_RUN_REPORTS


MAY_WRITE_REPORT_NARRATIVE = frozenset({Role.MANAGER, Role.MISSING_COORDINATOR})


def can_write_report_narrative(user: User) -> bool:
    """Write the annual report's narrative, the partnership's words between its tables
    (issue 19 point 7): the managers and the missing coordinator, who present the report to
    the board. Everyone who runs reports reads it (`can_run_reports`)."""
    return _active(user) and user.role in MAY_WRITE_REPORT_NARRATIVE


# The audit trail (SPEC C11: "searchable by child and by user"; issue 16)


def can_search_audit_by_child_name(user: User) -> bool:
    """Search the audit trail by a child's name: managers, and only over the children they may
    open (`audit_name_searchable_children`). Auditors search by a child's reference or public
    id and by user: they read the audit trail, not the records themselves (section 1), so a
    name must not lead them to a child (issue 16)."""
    return can_read_audit(user) and user.role == Role.MANAGER


def audit_name_searchable_children(user: User) -> QuerySet[Child]:
    """The children a name search of the audit trail may match for this user: those the user
    may open now (a restricted child only with a reason in force, or for its allocated worker
    or its team's manager), and the records merged into one of them, so that their history
    can still be found. None for those who may not search by name (issue 16)."""
    if not can_search_audit_by_child_name(user):
        return Child.objects.none()
    openable = openable_children(user).values("pk")
    return Child.objects.filter(Q(pk__in=openable) | Q(merged_into__in=openable))


def can_see_audit_values(user: User, event: Any, child: Child | None) -> bool:
    """May this user see the before and after values, and the reason given, of this audit
    event (`event.child_id`, `event.object_type`; `child` the child it is about, or None
    when it is about no child or the child is no longer held)?

    Only a manager who may open the record now: for a child, without giving a reason first
    (a restricted child needs a reason in force, or the manager's team holds it; a merged-away
    record is judged by the record it joined); for intelligence, a cleared manager; for
    anything else (accounts, settings), any manager. Everyone else who reads the trail, the
    auditors, sees who did what to which record type and fields, and when, with the values
    masked (SPEC C11, section 1; issue 16)."""
    if not can_read_audit(user) or user.role != Role.MANAGER:
        return False
    if str(event.object_type).startswith("intelligence.") and not can_see_intelligence(user):
        return False
    if event.child_id is None:
        return True
    if child is None or child.public_id != event.child_id:
        return False
    return bool(can_view_child(user, child.merged_into or child))


# Those who may open the records behind the figures anyway (SPEC section 1: oversight, and
# the coordinator who watches every episode) get them as counted unless they publish them.
MAY_SEE_SMALL_NUMBERS = frozenset({Role.MANAGER, Role.MISSING_COORDINATOR})


def sees_unsuppressed_report_figures(user: User) -> bool:
    """Report figures as counted, small numbers and all: only managers and the missing
    coordinator, who may open the children's records behind them anyway. Everyone else who
    runs reports (analysts: "anonymised only", SPEC section 1 and C11) always gets the
    published form of SPEC C9 (small numbers suppressed, secondary suppression too), and only
    for periods of whole quarters, on every page, download and API call (issue 16 point 7).
    A report anyone marks for publication is suppressed the same way."""
    return can_run_reports(user) and user.role in MAY_SEE_SMALL_NUMBERS


def can_download_statutory_returns(user: User) -> bool:
    """The SSDA903 tables, Annex A list 8 and the Standard Safeguarding Dataset name children
    (their references, dates of birth, ethnicity): only those who run reports and may open
    the records behind them, managers and the missing coordinator (issue 19 point 7).
    Analysts get anonymised figures only (SPEC section 1), so no return."""
    return sees_unsuppressed_report_figures(user)


# Imports (SPEC C12): the tracker and police notifications are loaded by those who keep the
# missing records across the authority (the coordinator) and by administrators, who run the
# scheduled and bulk commands.
MAY_RUN_IMPORTS = frozenset({Role.MISSING_COORDINATOR, Role.ADMINISTRATOR})


def can_run_imports(user: User) -> bool:
    """Import the tracker or police notifications as this user (`--as USERNAME`)."""
    return _active(user) and user.role in MAY_RUN_IMPORTS


def default_import_actor() -> User | None:
    """Who an import is recorded as when no one is named: the first active administrator
    (the account made at installation). None on a database with no administrator yet."""
    return User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()


# The subject access export (SPEC C11, issue 20 point 2): everything held about a child,
# intelligence and third-party information included for redaction review. Managers only:
# they hold oversight and approvals (SPEC section 1), and the export is the partnership's
# answer to a request, made by someone who may open the whole record now.
MAY_EXPORT_SUBJECT_ACCESS = frozenset({Role.MANAGER})


def can_export_subject_access(user: User, child: Child) -> bool:
    """See the child's subject access export page and make the export: managers who may open
    the record now (a restricted one once a reason is given, unless their team holds it). The
    intelligence in it is only for a manager cleared for intelligence (`can_see_intelligence`);
    anyone else's export says that restricted intelligence is left out."""
    return (
        _active(user)
        and user.role in MAY_EXPORT_SUBJECT_ACCESS
        and bool(can_view_child(user, child))
    )


# Retention (issue 20 point 1, SPEC C11 "retention periods ... with a reviewed purge"): the
# monthly review list of records due for deletion and the decisions on it, the purge of a
# child's whole record included, are managers' (oversight of the records, section 1). A
# decision on intelligence needs a manager cleared for it, who may read what is decided on.
MAY_REVIEW_RETENTION = frozenset({Role.MANAGER})


def can_review_retention(user: User) -> bool:
    """See the retention review list: which records are due for deletion, by reference."""
    return _active(user) and user.role in MAY_REVIEW_RETENTION


def can_decide_retention(user: User, review: Any) -> bool:
    """Decide on one review (delete, keep with a reason, review later), and so purge: a
    manager; for an intelligence note, a manager cleared for intelligence."""
    if not can_review_retention(user):
        return False
    return review.child_id is not None or can_see_intelligence(user)
