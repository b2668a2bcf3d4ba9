"""Reading the register, the tracker and the term dates as far as the user may see them."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import User
from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.education.calendar import TermDates, school_year_of
from mace.education.models import CMECase, CMECheck, MissingOutEntry, TermlyReturn
from mace.education.terms import home_calendar
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment
from mace.people.models import Child
from mace.people.selectors import ReasonRequired

ALSO_MISSING_DAYS = 365


@dataclass(frozen=True)
class Flags:
    """What else is known about a child on the register (one record, seen from each side)."""

    missing_now: bool
    missing_recently: bool
    exploitation_risk: bool


def flags_for(children: list[Child]) -> dict[int, Flags]:
    since = timezone.now() - datetime.timedelta(days=ALSO_MISSING_DAYS)
    ids = [c.pk for c in children]
    open_now = set(
        Episode.objects.filter(child_id__in=ids, returned_at__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    recent = set(
        Episode.objects.filter(child_id__in=ids, last_seen_at__gte=since).values_list(
            "child_id", flat=True
        )
    )
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(child_id__in=ids).order_by("assessed_at", "pk"):
        latest[assessment.child_id] = assessment
    return {
        pk: Flags(
            missing_now=pk in open_now,
            missing_recently=pk in recent,
            exploitation_risk=pk in latest and latest[pk].is_open_risk,
        )
        for pk in ids
    }


def _require_details(actor: User, child: Child) -> None:
    """A case or an entry opens as the child's record does: refused without a relationship,
    and for a restricted child only once a reason is given (ReasonRequired; issue 16)."""
    decision = policy.can_view_child(actor, child)
    policy.require(decision.allowed)
    if decision.needs_reason:
        raise ReasonRequired(child)


def shown_in_full(*, actor: User, children: list[Child]) -> set[int]:
    """The children of a list whose details the actor may see now; the others are shown as
    their reference and "Restricted" only."""
    return policy.children_shown_in_full(actor, children)


def register(*, actor: User, show_closed: bool = False) -> QuerySet[CMECase]:
    policy.require(policy.can_use_education(actor))
    cases = CMECase.objects.filter(child__in=policy.visible_children(actor).values("pk"))
    if not show_closed:
        cases = cases.filter(status=CMECase.Status.OPEN)
    return cases.select_related("child", "officer").order_by("absent_since", "pk")


def case_get(*, actor: User, public_id: str) -> CMECase:
    policy.require(policy.can_use_education(actor))
    case = (
        CMECase.objects.select_related("child", "officer", "created_by")
        .prefetch_related(Prefetch("checks", CMECheck.objects.select_related("recorded_by")))
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    _require_details(actor, case.child)
    return case


def tracker(*, actor: User, show_resolved: bool = False) -> QuerySet[MissingOutEntry]:
    """Pupils missing out on education who meet a criterion of concern (003 §47)."""
    policy.require(policy.can_use_education(actor))
    entries = MissingOutEntry.objects.filter(
        child__in=policy.visible_children(actor).values("pk")
    ).exclude(concerns=[])
    if not show_resolved:
        entries = entries.filter(resolved_on__isnull=True)
    return entries.select_related("child", "termly_return").order_by(
        "-termly_return__school_year", "termly_return__school", "pk"
    )


def entry_get(*, actor: User, public_id: str) -> MissingOutEntry:
    policy.require(policy.can_use_education(actor))
    entry = (
        MissingOutEntry.objects.select_related("child", "termly_return")
        .filter(public_id=public_id)
        .first()
    )
    if entry is None:
        raise Http404
    _require_details(actor, entry.child)
    return entry


def returns(*, actor: User) -> QuerySet[TermlyReturn]:
    policy.require(policy.can_use_education(actor))
    concern = MissingOutEntry.objects.filter(termly_return=OuterRef("pk")).exclude(concerns=[])
    return TermlyReturn.objects.annotate(has_concerns=Exists(concern)).prefetch_related("entries")


def return_get(*, actor: User, public_id: str) -> TermlyReturn:
    policy.require(policy.can_use_education(actor))
    found = TermlyReturn.objects.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class ChildEducation:
    cases: list[CMECase]
    entries: list[MissingOutEntry]


def for_child(*, actor: User, child: Child) -> ChildEducation:
    """The child's education section: anyone who may open the child's record sees it."""
    return ChildEducation(
        cases=list(
            CMECase.objects.filter(child=child).select_related("officer").order_by("-absent_since")
        ),
        entries=list(
            MissingOutEntry.objects.filter(child=child)
            .select_related("termly_return")
            .order_by("-termly_return__school_year", "-pk")
        ),
    )


@dataclass(frozen=True)
class YearOfTerms:
    school_year: int
    label: str
    terms: tuple[TermDates, ...]
    uses_default: bool


def term_dates(*, around: datetime.date | None = None) -> list[YearOfTerms]:
    """This school year, the last and the next: the authority's own dates or the default."""
    calendar = home_calendar()
    this = school_year_of(around or timezone.localdate())
    return [
        YearOfTerms(
            school_year=year,
            label=f"{year}-{(year + 1) % 100:02d}",
            terms=calendar.terms_of(year),
            uses_default=calendar.uses_default(year),
        )
        for year in (this - 1, this, this + 1)
    ]


def home_authority_code() -> str:
    return str(setting(SettingKey.HOME_AUTHORITY_ONS_CODE))
