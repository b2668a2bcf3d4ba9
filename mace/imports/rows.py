"""The tracker's and police notifications' rows: their columns, the checks of each value,
and the parsed rows the writers take (see importer.py for the whole import)."""

import datetime
import difflib
import enum
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from mace.episodes.factors import PushPullFactor
from mace.episodes.models import (
    Episode,
    EpisodeKind,
    MissingFrom,
    RiskGrade,
)
from mace.interviews.models import InterviewOffer
from mace.lib.days import day_of, month_end
from mace.lib.quoting import quoted
from mace.people.authorities import DEMO_HOME_AUTHORITY, LOCAL_AUTHORITIES, AuthorityRef
from mace.people.models import (
    Child,
    ChildIdentifier,
    Ethnicity,
    Gender,
    LegalStatusKind,
    LocalAuthority,
)
from mace.worklist.thresholds import thresholds

_Item = TypeVar("_Item")

UK_TIME = zoneinfo.ZoneInfo("Europe/London")
# Clocks drift; a time a few minutes ahead of ours is not "in the future" (as in the forms).
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
BELOW_MINIMUM_REASON = "Imported below the minimum grade: review"
TRACKER = "tracker"
POLICE_NOTIFICATION = "police notification"
# The name the audit trail gives an import run with no user (a database with no
# administrator yet): what did it, since no one did.
SYSTEM_ACTOR = {TRACKER: "tracker import", POLICE_NOTIFICATION: "police notification import"}

CHILD_REQUIRED = ("child_ref", "first_name", "last_name", "date_of_birth", "gender")
CHILD_OPTIONAL = ("ethnicity", "legal_status", "placing_authority", "uasc", "area")
EPISODE_REQUIRED = (
    "episode_ref",
    "child_ref",
    "kind",
    "missing_from",
    "legal_status",
    "last_seen_at",
)
EPISODE_OPTIONAL = (
    "reported_at",
    "returned_at",
    "police_risk",
    "rhi_offered_at",
    "rhi_outcome",
    "rhi_completed_at",
    "push_pull_factors",
    "with_children",
)
NOTIFICATION_REQUIRED = tuple(dict.fromkeys(CHILD_REQUIRED + EPISODE_REQUIRED))

# The values of format 1, exactly as SPEC section 5 lists them.
GENDERS = tuple(Gender.values)
LEGAL_STATUSES = tuple(LegalStatusKind.values)
ETHNICITIES = tuple(Ethnicity.values)
KINDS = (EpisodeKind.MISSING.value, EpisodeKind.AWAY.value)
MISSING_FROM = (MissingFrom.HOME.value, MissingFrom.CARE.value)
POLICE_RISKS = tuple(RiskGrade.values)
RHI_OUTCOMES = ("completed", "declined", "no_contact", "not_offered")
PUSH_PULL_FACTORS = tuple(PushPullFactor.values)
YES_NO = ("Y", "N")

MAX_LENGTHS = {
    "child_ref": ChildIdentifier._meta.get_field("value").max_length,
    "episode_ref": Episode._meta.get_field("police_reference").max_length,
    "first_name": Child._meta.get_field("first_name").max_length,
    "last_name": Child._meta.get_field("last_name").max_length,
    "area": Child._meta.get_field("area").max_length,
}

OFFER_RESPONSE = {
    "completed": InterviewOffer.Response.ACCEPTED,
    "declined": InterviewOffer.Response.DECLINED,
    "no_contact": InterviewOffer.Response.NO_RESPONSE,
}


class ImportFileError(Exception):
    """The import cannot go on. A file that cannot be used at all (unreadable, not UTF-8,
    columns missing) raises `mace.lib.csv_files.CsvFileError` instead, before any row."""


class ImportInterrupted(ImportFileError):
    """The database went away mid-import. Each row already imported landed whole (whole
    chunks, then whole rows of the chunk being written a row at a time); the rest did not
    start. Running the same import again finishes it."""


class RowRejected(Exception):
    """A row cannot be imported; nothing of it was written."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


# Checking values ---------------------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?",
    re.IGNORECASE,
)
_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2}))?")
_ISH_DATE = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T]+(\d{1,2})[:.](\d{2}))?")


def _example(raw: str, *, with_time: bool) -> str:
    """A correct value close to what was typed, as the example in a reason."""
    year, month, day, hour, minute = 2010, 2, 28, 21, 30
    if found := _UK_DATE.fullmatch(raw):
        day, month, year = (int(part) for part in found.groups()[:3])
        hour, minute = (int(found[4]), int(found[5])) if found[4] else (hour, minute)
    elif found := _ISH_DATE.fullmatch(raw):
        year, month, day = (int(part) for part in found.groups()[:3])
        hour, minute = (int(found[4]), int(found[5])) if found[4] else (hour, minute)
    year, month = min(max(year, 1900), 2100), min(max(month, 1), 12)
    day = min(max(day, 1), month_end(datetime.date(year, month, 1)).day)
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if with_time:
        text += f"T{min(hour, 23):02d}:{min(minute, 59):02d}"
    return text


def uk_time(naive: datetime.datetime) -> datetime.datetime | None:
    """A wall-clock time in the UK as an aware datetime; None if it never happened.

    When the clocks go back an hour happens twice: the first (BST) one is taken. When they
    go forward an hour is skipped: a time in it does not exist.
    """
    aware = naive.replace(tzinfo=UK_TIME, fold=0)
    round_trip = aware.astimezone(datetime.UTC).astimezone(UK_TIME)
    if round_trip.replace(tzinfo=None) != naive:
        return None
    return aware


def _nearest(value: str, allowed: Sequence[str]) -> str | None:
    """The code the person probably meant: another case, a start of it, or a near spelling."""
    typed = value.lower().replace(" ", "_").replace("-", "_")
    same = [code for code in allowed if code.lower() == typed]
    starts = [code for code in allowed if code.lower().startswith(typed)]
    close = difflib.get_close_matches(typed, [code.lower() for code in allowed], n=1, cutoff=0.75)
    if same or len(starts) == 1:
        return (same or starts)[0]
    return next((code for code in allowed if close and code.lower() == close[0]), None)


class RowChecker:
    """Reads the values of one row, collecting every problem as a reason to reject it."""

    def __init__(self, values: dict[str, str], now: datetime.datetime) -> None:
        self.values = values
        self.now = now
        self.reasons: list[str] = []

    def reject(self, column: str, problem: str) -> None:
        self.reasons.append(f"{column}: {quoted(self.values.get(column, ''))} {problem}")

    def text(self, column: str, *, required: bool, what: str = "") -> str | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.reject(column, f"is empty, but it is required; give {what or column}")
            return None
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            self.reject(column, f"is longer than {limit} characters; shorten it")
            return None
        return value

    def choice(
        self, column: str, allowed: Sequence[str], *, required: bool, what: str = ""
    ) -> str | None:
        value = self.text(column, required=required, what=what or f"one of {', '.join(allowed)}")
        if value is None:
            return None
        if value in allowed:
            return value
        near = _nearest(value, allowed)
        hint = f' (did you mean "{near}"?)' if near else ""
        self.reject(column, f"is not one of {', '.join(allowed)}; use one of these{hint}")
        return None

    def codes(self, column: str, allowed: Sequence[str]) -> tuple[str, ...] | None:
        value = self.values.get(column, "")
        if not value:
            return None
        codes = [code.strip() for code in value.split(";") if code.strip()]
        unknown = [code for code in codes if code not in allowed]
        if unknown:
            self.reject(
                column,
                f"has unknown code{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(quoted(code) for code in unknown)}; "
                f'use codes of {", ".join(allowed)}, separated by ";"',
            )
            return None
        return tuple(sorted(set(codes)))

    def refs(self, column: str) -> tuple[str, ...] | None:
        value = self.values.get(column, "")
        if not value:
            return None
        return tuple(dict.fromkeys(ref.strip() for ref in value.split(";") if ref.strip()))

    def date(self, column: str, *, required: bool, what: str = "") -> datetime.date | None:
        value = self.text(column, required=required, what=what or "a date as YYYY-MM-DD")
        if value is None:
            return None
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            day = datetime.date.fromisoformat(value)
        except ValueError:
            example = _example(value, with_time=False)
            self.reject(column, f"is not a date; use YYYY-MM-DD, for example {example}")
            return None
        if day > day_of(self.now):
            self.reject(column, "is in the future; check the date")
            return None
        return day

    def moment(self, column: str, *, required: bool = False) -> datetime.datetime | None:
        value = self.text(column, required=required, what="a date and time")
        if value is None:
            return None
        try:
            if not _DATETIME.fullmatch(value):
                raise ValueError(value)
            parsed = datetime.datetime.fromisoformat(value.upper())
        except ValueError:
            example = _example(value, with_time=True)
            self.reject(
                column,
                "is not a date and time; use YYYY-MM-DDTHH:MM (seconds and an offset such "
                f"as +01:00 may follow), for example {example}",
            )
            return None
        if parsed.tzinfo is None:
            aware = uk_time(parsed)
            if aware is None:
                self.reject(
                    column,
                    "does not exist in UK time: it falls in the hour skipped when the clocks "
                    "go forward; check the time, or give it with its offset, for example "
                    f"{parsed.isoformat(timespec='minutes')}+00:00",
                )
                return None
            parsed = aware
        if parsed > self.now + CLOCK_TOLERANCE:
            self.reject(column, "is in the future; check the date and time")
            return None
        # In UTC, as the database gives them back, so that held and imported values compare.
        return parsed.astimezone(datetime.UTC)

    def yes_no(self, column: str) -> bool | None:
        value = self.choice(column, YES_NO, required=False)
        return None if value is None else value == "Y"


# Parsed rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRow:
    line: int
    child_ref: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    gender: str
    ethnicity: str | None = None
    legal_status: str | None = None
    placing_authority: AuthorityRef | None = None
    uasc: bool | None = None
    area: str | None = None


@dataclass(frozen=True)
class EpisodeRow:
    line: int
    episode_ref: str
    child_ref: str
    kind: str
    missing_from: str
    legal_status: str
    last_seen_at: datetime.datetime
    reported_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None
    police_risk: str | None = None
    rhi_offered_at: datetime.datetime | None = None
    rhi_outcome: str | None = None
    rhi_completed_at: datetime.datetime | None = None
    push_pull_factors: tuple[str, ...] | None = None
    with_children: tuple[str, ...] | None = None


class Authorities:
    """Local authorities by name or ONS code: those held, then the reference list."""

    def __init__(self) -> None:
        known = {ref.ons_code: ref for ref in (*LOCAL_AUTHORITIES, DEMO_HOME_AUTHORITY)}
        for name, code in LocalAuthority.objects.values_list("name", "ons_code"):
            known[code] = AuthorityRef(name, code)
        self.by_code = {code.upper(): ref for code, ref in known.items()}
        self.by_name = {ref.name.lower(): ref for ref in known.values()}
        self.home_code = thresholds().home_authority_ons_code

    def find(self, text: str) -> AuthorityRef | None:
        return self.by_code.get(text.upper()) or self.by_name.get(text.lower())

    @property
    def home(self) -> AuthorityRef | None:
        return self.by_code.get(self.home_code.upper())

    @staticmethod
    def get(ref: AuthorityRef) -> LocalAuthority:
        # Not cached: a row rolled back may have created it, and must not leave a stale pk.
        authority, _ = LocalAuthority.objects.get_or_create(
            ons_code=ref.ons_code, defaults={"name": ref.name}
        )
        return authority


def parse_child(
    values: dict[str, str],
    line: int,
    now: datetime.datetime,
    authorities: Authorities,
    *,
    with_legal_status: bool = True,
) -> tuple[ChildRow | None, list[str]]:
    check = RowChecker(values, now)
    child_ref = check.text("child_ref", required=True, what="the child's reference in the tracker")
    first_name = check.text("first_name", required=True, what="the child's first name")
    last_name = check.text("last_name", required=True, what="the child's last name")
    date_of_birth = check.date(
        "date_of_birth", required=True, what="the date of birth as YYYY-MM-DD"
    )
    gender = check.choice("gender", GENDERS, required=True)
    ethnicity = check.choice(
        "ethnicity", ETHNICITIES, required=False, what="a DfE ethnicity code such as WBRI"
    )
    legal_status = (
        check.choice("legal_status", LEGAL_STATUSES, required=False) if with_legal_status else None
    )
    placing_authority = None
    if text := values.get("placing_authority", ""):
        placing_authority = authorities.find(text)
        if placing_authority is None:
            check.reject(
                "placing_authority",
                "is not a local authority MACE knows; use the authority's name as MACE "
                "lists it (for example Barnet) or its ONS code (for example E09000003)",
            )
        elif placing_authority.ons_code != authorities.home_code and authorities.home is None:
            check.reject(
                "placing_authority",
                "cannot be recorded: the home authority (HOME_AUTHORITY_ONS_CODE "
                f"{authorities.home_code}) is not a local authority MACE holds; ask an "
                "administrator to add it",
            )
    uasc = check.yes_no("uasc")
    area = check.text("area", required=False)
    if check.reasons:
        return None, check.reasons
    # With no reasons, every required value is there; the asserts say so to mypy.
    assert child_ref is not None
    assert first_name is not None
    assert last_name is not None
    assert date_of_birth is not None
    assert gender is not None
    return (
        ChildRow(
            line=line,
            child_ref=child_ref,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            gender=gender,
            ethnicity=ethnicity,
            legal_status=legal_status,
            placing_authority=placing_authority,
            uasc=uasc,
            area=area,
        ),
        [],
    )


def parse_episode(
    values: dict[str, str], line: int, now: datetime.datetime
) -> tuple[EpisodeRow | None, list[str]]:
    check = RowChecker(values, now)
    episode_ref = check.text("episode_ref", required=True, what="the police reference")
    child_ref = check.text("child_ref", required=True, what="the child's reference in the tracker")
    kind = check.choice("kind", KINDS, required=True)
    missing_from = check.choice("missing_from", MISSING_FROM, required=True)
    legal_status = check.choice(
        "legal_status",
        LEGAL_STATUSES,
        required=True,
        what=f"the child's status at the start, one of {', '.join(LEGAL_STATUSES)}",
    )
    last_seen_at = check.moment("last_seen_at", required=True)
    reported_at = check.moment("reported_at")
    returned_at = check.moment("returned_at")
    police_risk = check.choice("police_risk", POLICE_RISKS, required=False)
    rhi_offered_at = check.moment("rhi_offered_at")
    rhi_outcome = check.choice("rhi_outcome", RHI_OUTCOMES, required=False)
    rhi_completed_at = check.moment("rhi_completed_at")
    factors = check.codes("push_pull_factors", PUSH_PULL_FACTORS)
    with_children = check.refs("with_children")

    if kind == EpisodeKind.AWAY and missing_from == MissingFrom.HOME:
        check.reject(
            "kind",
            "is only for a looked-after child away from a care placement; use missing, "
            "or missing_from care",
        )
    if last_seen_at is not None:
        for column, moment in (
            ("reported_at", reported_at),
            ("returned_at", returned_at),
            ("rhi_offered_at", rhi_offered_at),
            ("rhi_completed_at", rhi_completed_at),
        ):
            if moment is not None and moment < last_seen_at:
                check.reject(
                    column,
                    f"is before last_seen_at {quoted(values['last_seen_at'])}; it must be the "
                    "same or later: check both times",
                )
    if rhi_completed_at is not None and rhi_outcome != "completed":
        check.reject(
            "rhi_completed_at",
            f"is given but rhi_outcome is {quoted(values.get('rhi_outcome', ''))}; set "
            "rhi_outcome to completed, or leave rhi_completed_at empty",
        )
    if rhi_outcome == "completed" and not values.get("rhi_completed_at"):
        check.reject(
            "rhi_completed_at",
            "is empty, but rhi_outcome is completed; give when the interview took place",
        )
    if rhi_outcome == "not_offered" and rhi_offered_at is not None:
        check.reject(
            "rhi_offered_at",
            "is given but rhi_outcome is not_offered; leave rhi_offered_at empty, or give "
            "the outcome of the offer",
        )
    if rhi_outcome in ("declined", "no_contact") and not values.get("rhi_offered_at"):
        check.reject(
            "rhi_offered_at",
            f"is empty, but rhi_outcome {rhi_outcome} means an interview was offered; "
            "give when it was offered",
        )
    if (
        rhi_offered_at is not None
        and rhi_completed_at is not None
        and rhi_offered_at > rhi_completed_at
    ):
        check.reject(
            "rhi_offered_at",
            f"is after rhi_completed_at {quoted(values['rhi_completed_at'])}; the offer "
            "comes first: check both times",
        )
    if check.reasons:
        return None, check.reasons
    assert episode_ref is not None
    assert child_ref is not None
    assert kind is not None
    assert missing_from is not None
    assert legal_status is not None
    assert last_seen_at is not None
    return (
        EpisodeRow(
            line=line,
            episode_ref=episode_ref,
            child_ref=child_ref,
            kind=kind,
            missing_from=missing_from,
            legal_status=legal_status,
            last_seen_at=last_seen_at,
            reported_at=reported_at,
            returned_at=returned_at,
            police_risk=police_risk,
            rhi_offered_at=rhi_offered_at,
            rhi_outcome=rhi_outcome,
            rhi_completed_at=rhi_completed_at,
            push_pull_factors=factors,
            with_children=with_children,
        ),
        [],
    )
