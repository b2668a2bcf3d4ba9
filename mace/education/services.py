"""Recording children missing education and pupils missing out on education (SPEC C6,
003 §27-48). Every change is audited and brings the child's worklist (T17-T19) in step."""

import datetime
import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mace.access.policy import (
    can_change_education,
    can_keep_term_dates,
    can_use_education,
    is_inclusion_team,
    require,
)
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, changed_only, snapshot
from mace.education.calendar import (
    compulsory_school_age,
    parse_term_label,
    previous_term,
    term_label,
)
from mace.education.models import (
    CMECase,
    CMECheck,
    CMEReason,
    Criterion,
    DeletionGround,
    MissingOutEntry,
    MissingOutReason,
    Term,
    TermlyReturn,
)
from mace.exploitation.models import Assessment, ExploitationType
from mace.lib.concurrency import lock_for_edit
from mace.lib.csv_files import CsvFile, CsvFileError, read_csv_upload
from mace.lib.quoting import quoted
from mace.people.duplicates import Candidates, is_same_name_and_date
from mace.people.models import Child, DuplicateReviewSource, Gender
from mace.people.services import child_create, duplicate_reviews_open
from mace.worklist.engine import sync_child

UNDER_HOURS = decimal.Decimal(10)  # 003 §47: attending school less than 10 hours a week
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
NOTIFICATION_COLUMNS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "school",
    "reason",
    "absent_since",
    "destination",
)
NOTIFICATION_OPTIONAL = ("deletion_ground", "destination_detail", "notified_on")
RETURN_COLUMNS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "reason",
    "hours_per_week",
    "ehcp",
)


class UploadRejected(Exception):
    """A file was refused as a whole; nothing of it was saved. `problems` says what to fix,
    row by row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _audit(actor: User, action: str, obj: Any, child: Child, summary: str, **kw: Any) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, child_id=child.public_id, summary=summary, **kw
    )


# One record per child


def child_for_notification(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    gender: str,
    source: str = DuplicateReviewSource.EDUCATION_NOTIFICATION,
    found_at: str = "",
    candidates: Candidates | None = None,
) -> Child:
    """The child already held with this name and date of birth, else a new record: a child
    missing education who also goes missing is one child (issue 6).

    A new record like one held by the create page's rule (`people.duplicates`: name and
    other names, date of birth alike) goes on the review list beside it (issue 18), to merge
    or confirm as different: created, so the notification is not held back. `candidates`,
    loaded once for a whole upload, saves a query a row; the child created is added to it."""
    pool = candidates if candidates is not None else Candidates()
    first, last = first_name.strip(), last_name.strip()
    found = pool.match(first_name=first, last_name=last, date_of_birth=date_of_birth)
    exact = [m.child for m in found if is_same_name_and_date(m.child, first, last, date_of_birth)]
    if exact:
        return min(exact, key=lambda child: child.pk)
    child = child_create(
        actor=actor, first_name=first, last_name=last, date_of_birth=date_of_birth, gender=gender
    )
    duplicate_reviews_open(
        actor=actor, new_child=child, matches=found, source=source, found_at=found_at
    )
    pool.add(child)
    return child


# The register


def _check_case(case: CMECase) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    for name in ("absent_since", "notified_on", "enquiries_completed_on", "fap_referred_on"):
        value = getattr(case, name)
        if value and value > today:
            errors[name] = "This date is in the future: give the date it happened"
    if case.notified_on and case.notified_on < case.absent_since:
        errors["notified_on"] = "The school cannot have notified before the absence began"
    if case.child.date_of_birth and case.absent_since:
        first, last = compulsory_school_age(case.child.date_of_birth)
        if not first <= case.absent_since <= last:
            errors["absent_since"] = (
                f"The child was not of compulsory school age on {case.absent_since:%-d %B %Y}: "
                f"it runs from {first:%-d %B %Y} to {last:%-d %B %Y} for this date of birth. "
                "Check the date of birth and the first day of absence"
            )
    if case.third_rejection_on and case.rejected_applications < 3:
        errors["rejected_applications"] = (
            "A date for the third rejection needs at least 3 rejected applications"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cme_notify(*, actor: User, child: Child, **fields: Any) -> CMECase:
    """Put a child on the register of children missing education (003 §31-38)."""
    require(can_use_education(actor))
    case = CMECase(child=child, created_by=actor, **fields)
    if case.officer is None and is_inclusion_team(actor):
        case.officer = actor
    _check_case(case)
    case.full_clean()
    case.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        case,
        child,
        "Put on the register of children missing education",
        after=snapshot(case),
    )
    sync_child(child)
    return case


@transaction.atomic
def cme_update(*, actor: User, case: CMECase, expected_version: int, **changes: Any) -> CMECase:
    """Record what has happened on a case: the notification, enquiries, applications, the
    Fair Access Panel, the school-to-school database, a referral to social care."""
    require(can_change_education(actor, case.child))
    locked = lock_for_edit(case, expected_version, "case")
    if not locked.is_open:
        raise ValidationError("This case is closed. Reopen it by notifying the child again.")
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_case(locked)
    locked.full_clean()
    locked.version += 1
    locked.save()
    old, new = changed_only(before, snapshot(locked))
    for row in (old, new):
        row.pop("version", None)
    if new:
        _audit(
            actor,
            AuditEvent.Action.CHANGE,
            locked,
            locked.child,
            "Updated the missing education case",
            before=old,
            after=new,
        )
    sync_child(locked.child)
    return locked


@transaction.atomic
def cme_check_add(
    *, actor: User, case: CMECase, kind: str, checked_on: datetime.date, result: str, note: str
) -> CMECheck:
    """A check made to trace the child (003 §41): health, council tax, benefits, parents,
    the school-to-school database."""
    require(can_change_education(actor, case.child))
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "This date is in the future"})
    check = CMECheck(
        case=case, kind=kind, checked_on=checked_on, result=result, note=note, recorded_by=actor
    )
    check.full_clean()
    check.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        check,
        case.child,
        f"Recorded a check: {check.get_kind_display()}, {check.get_result_display().lower()}",
    )
    if kind == CMECheck.Kind.SCHOOL_TO_SCHOOL and case.s2s_recorded_on is None:
        CMECase.objects.filter(pk=case.pk).update(
            s2s_recorded_on=checked_on, version=case.version + 1
        )
    sync_child(case.child)
    return check


@transaction.atomic
def cme_close(
    *,
    actor: User,
    case: CMECase,
    expected_version: int,
    outcome: str,
    outcome_detail: str = "",
    closed_on: datetime.date | None = None,
) -> CMECase:
    """Take the child off the register with the outcome (003 §41-44)."""
    require(can_change_education(actor, case.child))
    locked = lock_for_edit(case, expected_version, "case")
    if not locked.is_open:
        raise ValidationError("This case is already closed.")
    closed_on = closed_on or timezone.localdate()
    if closed_on < locked.absent_since:
        raise ValidationError({"closed_on": "A case cannot close before the child went missing"})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "This date is in the future"})
    locked.status = CMECase.Status.CLOSED
    locked.outcome = outcome
    locked.outcome_detail = outcome_detail
    locked.closed_on = closed_on
    locked.full_clean()
    locked.version += 1
    locked.save()
    _audit(
        actor,
        AuditEvent.Action.CHANGE,
        locked,
        locked.child,
        f"Closed the missing education case: {locked.get_outcome_display()}",
    )
    sync_child(locked.child)
    return locked


# CSV uploads: all or nothing


@dataclass
class _Reader:
    problems: list[str]
    line: int = 0

    def text(self, values: dict[str, str], column: str, required: bool = True) -> str:
        value = values.get(column, "").strip()
        if required and not value:
            self.problems.append(f"line {self.line}, {column}: is empty, but it is required")
        return value

    def date(self, values: dict[str, str], column: str, required: bool = True) -> Any:
        value = self.text(values, column, required)
        if not value:
            return None
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.problems.append(
                f"line {self.line}, {column}: {quoted(value)} is not a date; use YYYY-MM-DD, "
                "for example 2026-09-14"
            )
            return None
        if day > timezone.localdate():
            self.problems.append(f"line {self.line}, {column}: {value} is in the future")
        return day

    def choice(
        self, values: dict[str, str], column: str, choices: Any, required: bool = True
    ) -> str:
        value = self.text(values, column, required)
        if not value:
            return ""
        allowed = [code for code, _ in choices]
        lowered = value.lower()
        if lowered in allowed:
            return lowered
        self.problems.append(
            f"line {self.line}, {column}: {quoted(value)} is not one of {', '.join(allowed)}"
        )
        return ""


def _read(upload_name: str, data: bytes, required: Sequence[str]) -> CsvFile:
    try:
        return read_csv_upload(upload_name, data, required=required, max_bytes=MAX_UPLOAD_BYTES)
    except CsvFileError as exc:
        raise UploadRejected([str(exc)]) from exc


def _child_values(read: _Reader, values: dict[str, str]) -> dict[str, Any]:
    return {
        "first_name": read.text(values, "first_name"),
        "last_name": read.text(values, "last_name"),
        "date_of_birth": read.date(values, "date_of_birth"),
        "gender": read.choice(values, "gender", Gender.choices),
    }


@transaction.atomic
def notifications_import(*, actor: User, name: str, data: bytes) -> list[CMECase]:
    """Notifications from schools as CSV. Every row is checked first; one bad row refuses
    the whole file, saying which rows and columns to fix, and nothing is saved."""
    require(can_use_education(actor))
    csv_file = _read(name, data, NOTIFICATION_COLUMNS)
    read = _Reader(problems=[])
    rows = []
    for row in csv_file.rows:
        read.line = row.line
        read.problems.extend(f"line {row.line}, {p}" for p in row.problems)
        values = row.values
        rows.append(
            (
                _child_values(read, values),
                {
                    "school": read.text(values, "school"),
                    "reason": read.choice(values, "reason", CMEReason.choices),
                    "absent_since": read.date(values, "absent_since"),
                    "destination": read.choice(values, "destination", CMECase.Destination.choices),
                    "deletion_ground": read.choice(
                        values, "deletion_ground", DeletionGround.choices, required=False
                    ),
                    "destination_detail": read.text(values, "destination_detail", required=False),
                    "notified_on": read.date(values, "notified_on", required=False),
                },
            )
        )
    if not rows and not read.problems:
        read.problems.append(f"{name} has a header but no rows")
    if read.problems:
        raise UploadRejected(read.problems)
    cases = []
    candidates = Candidates.for_dates(values["date_of_birth"] for values, _ in rows)
    for line, (child_values, case_values) in zip(csv_file.rows, rows, strict=True):
        child = child_for_notification(
            actor=actor, found_at=f"{name} line {line.line}", candidates=candidates, **child_values
        )
        try:
            cases.append(cme_notify(actor=actor, child=child, **case_values))
        except ValidationError as error:
            transaction.set_rollback(True)
            raise UploadRejected(
                [f"line {csv_file.rows[len(cases)].line}: {m}" for m in error.messages]
            ) from error
    return cases


# Pupils missing out on education


def criteria_of_concern(
    child: Child,
    *,
    school_year: int,
    term: str,
    hours_per_week: decimal.Decimal,
    has_ehcp: bool,
) -> list[str]:
    """The five criteria of 003 §47, as they apply to this pupil on this term's return."""
    met = []
    year, name = previous_term(school_year, term)
    if MissingOutEntry.objects.filter(
        child=child, termly_return__school_year=year, termly_return__term=name
    ).exists():
        met.append(Criterion.TWO_TERMS)
    if child.episodes.exists():
        met.append(Criterion.MISSING)
    if Assessment.objects.filter(child=child, exploitation_type=ExploitationType.SEXUAL).exists():
        met.append(Criterion.CSE)
    if has_ehcp:
        met.append(Criterion.EHCP)
    if hours_per_week < UNDER_HOURS:
        met.append(Criterion.UNDER_10_HOURS)
    return [str(code) for code in met]


def _entry(
    actor: User, termly_return: TermlyReturn, child: Child, **values: Any
) -> MissingOutEntry:
    entry = MissingOutEntry(termly_return=termly_return, child=child, **values)
    entry.concerns = criteria_of_concern(
        child,
        school_year=termly_return.school_year,
        term=termly_return.term,
        hours_per_week=entry.hours_per_week,
        has_ehcp=entry.has_ehcp,
    )
    entry.full_clean()
    entry.save()
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        entry,
        child,
        f"On {termly_return.school}'s return for {_label(termly_return)}",
    )
    return entry


def _label(termly_return: TermlyReturn) -> str:
    return term_label(termly_return.school_year, termly_return.term)


def _return_for(actor: User, school: str, term: str, received_on: datetime.date) -> TermlyReturn:
    try:
        school_year, name = parse_term_label(term)
    except ValueError as exc:
        raise ValidationError({"term": str(exc)}) from exc
    found, _ = TermlyReturn.objects.get_or_create(
        school=school.strip(),
        school_year=school_year,
        term=name,
        defaults={"received_on": received_on, "recorded_by": actor},
    )
    return found


def _hours(read: _Reader, values: dict[str, str]) -> decimal.Decimal | None:
    value = read.text(values, "hours_per_week")
    if not value:
        return None
    try:
        hours = decimal.Decimal(value)
    except decimal.InvalidOperation:
        hours = decimal.Decimal(-1)
    if not decimal.Decimal(0) <= hours <= decimal.Decimal(40):
        read.problems.append(
            f"line {read.line}, hours_per_week: {quoted(value)} is not a number of hours "
            "from 0 to 40"
        )
        return None
    return hours


def _yes_no(read: _Reader, values: dict[str, str], column: str) -> bool:
    value = read.text(values, column).lower()
    if value in {"yes", "y", "true", "1"}:
        return True
    if value in {"no", "n", "false", "0"}:
        return False
    if value:
        typed = values.get(column, "").strip()  # as the school wrote it, to find it
        read.problems.append(f"line {read.line}, {column}: {quoted(typed)} is not yes or no")
    return False


@transaction.atomic
def termly_return_import(
    *, actor: User, school: str, term: str, received_on: datetime.date, name: str, data: bytes
) -> TermlyReturn:
    """A school's termly return as CSV (003 §46), with the criteria of concern (003 §47)
    applied to every pupil. All or nothing, like the notifications."""
    require(can_use_education(actor))
    csv_file = _read(name, data, RETURN_COLUMNS)
    termly_return = _return_for(actor, school, term, received_on)
    read = _Reader(problems=[])
    rows = []
    for row in csv_file.rows:
        read.line = row.line
        read.problems.extend(f"line {row.line}, {p}" for p in row.problems)
        values = row.values
        rows.append(
            (
                row.line,
                _child_values(read, values),
                {
                    "reason": read.choice(values, "reason", MissingOutReason.choices),
                    "hours_per_week": _hours(read, values),
                    "has_ehcp": _yes_no(read, values, "ehcp"),
                },
            )
        )
    if not rows and not read.problems:
        read.problems.append(f"{name} has a header but no rows")
    if read.problems:
        transaction.set_rollback(True)
        raise UploadRejected(read.problems)
    seen: dict[int, int] = {}
    candidates = Candidates.for_dates(values["date_of_birth"] for _, values, _ in rows)
    for line, child_values, entry_values in rows:
        child = child_for_notification(
            actor=actor,
            source=DuplicateReviewSource.TERMLY_RETURN,
            found_at=f"{name} line {line}",
            candidates=candidates,
            **child_values,
        )
        if child.pk in seen or termly_return.entries.filter(child=child).exists():
            transaction.set_rollback(True)
            first = seen.get(child.pk)
            where = f"line {first}" if first else "an earlier upload of this return"
            raise UploadRejected(
                [f"line {line}: the same pupil is already on this return ({where}); keep one row"]
            )
        seen[child.pk] = line
        _entry(actor, termly_return, child, **entry_values)
    return termly_return


@transaction.atomic
def missing_out_entry_add(
    *,
    actor: User,
    school: str,
    term: str,
    received_on: datetime.date,
    child: Child,
    reason: str,
    hours_per_week: decimal.Decimal,
    has_ehcp: bool,
) -> MissingOutEntry:
    """One pupil on a school's termly return, entered by hand."""
    require(can_use_education(actor))
    termly_return = _return_for(actor, school, term, received_on)
    if termly_return.entries.filter(child=child).exists():
        raise ValidationError("This pupil is already on that school's return for that term.")
    return _entry(
        actor,
        termly_return,
        child,
        reason=reason,
        hours_per_week=hours_per_week,
        has_ehcp=has_ehcp,
    )


@transaction.atomic
def missing_out_resolve(
    *, actor: User, entry: MissingOutEntry, resolution: str, resolved_on: datetime.date
) -> MissingOutEntry:
    """Take an entry off the tracker: the situation is resolved (003 §47-48)."""
    require(can_change_education(actor, entry.child))
    if entry.resolved_on is not None:
        raise ValidationError("This entry is already resolved.")
    if resolved_on > timezone.localdate():
        raise ValidationError({"resolved_on": "This date is in the future"})
    entry.resolved_on = resolved_on
    entry.resolution = resolution
    entry.save(update_fields=["resolved_on", "resolution"])
    _audit(actor, AuditEvent.Action.CHANGE, entry, entry.child, "Resolved on the education tracker")
    return entry


# Term dates (a setting)


@transaction.atomic
def term_save(*, actor: User, authority_code: str, **fields: Any) -> Term:
    """Set one term's dates for an authority, replacing that term's earlier dates."""
    require(can_keep_term_dates(actor))
    term = Term.objects.filter(
        authority_code=authority_code, school_year=fields["school_year"], name=fields["name"]
    ).first() or Term(authority_code=authority_code)
    for name, value in fields.items():
        setattr(term, name, value)
    errors: dict[str, str] = {}
    if term.end < term.start:
        errors["end"] = "The term must end on or after the day it starts"
    halves = (term.half_term_start, term.half_term_end)
    if any(halves) and not all(halves):
        errors["half_term_end"] = "Give both the first and the last day of half-term, or neither"
    elif (
        term.half_term_start
        and term.half_term_end
        and not term.start < term.half_term_start <= term.half_term_end < term.end
    ):
        errors["half_term_start"] = "Half-term must fall inside the term"
    overlapping = (
        Term.objects.filter(authority_code=authority_code)
        .exclude(pk=term.pk)
        .filter(Q(start__lte=term.end) & Q(end__gte=term.start))
        .first()
    )
    if overlapping:
        errors["start"] = (
            f"These dates overlap the {term_label(overlapping.school_year, overlapping.name)} "
            f"term ({overlapping.start:%-d %b %Y} to {overlapping.end:%-d %b %Y})"
        )
    if errors:
        raise ValidationError(errors)
    term.full_clean()
    term.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=term,
        summary=f"Set term dates: {term_label(term.school_year, term.name)}",
    )
    _resync_open_cases()
    return term


def _resync_open_cases() -> None:
    """Term dates move school-day deadlines: bring every open case's child in step."""
    for child in Child.objects.filter(cme_cases__status=CMECase.Status.OPEN).distinct():
        sync_child(child)
