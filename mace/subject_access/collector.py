"""Everything held about a child, gathered from every app (SPEC C11), as plain records: each
with its type, its fields and their values, in words where they are choices, and what in it
is for redaction review before anything is disclosed.

The records are found through `sources.SOURCES` for the child and every record merged into
it (their history belongs to the child). The audit trail holds the child's public id, not a
relation: its entries are found by that, for the child and its merged records.

Redaction review marks (ICO subject access guidance: third-party information and
intelligence are considered before disclosure, not left out by MACE):
- the whole record, when it is intelligence (SPEC C5) or about someone else;
- a field the source names (who reported, sources and informants, parents' views);
- a field that points to another child or to intelligence;
- free text that names someone MACE knows of in the child's records: a related person,
  another child, a person of concern. This is an aid to the reviewer, not a promise that
  every name in free text is found.
"""

import datetime
import decimal
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.text import capfirst

from mace.access import policy
from mace.accounts.models import User
from mace.audit.labels import record_type
from mace.audit.models import AuditEvent
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.people.models import Child
from mace.subject_access.sources import ANOTHER_CHILDS_RECORD, AUDIT_HEADING, SOURCES, Source

INTELLIGENCE = "Intelligence"
ANOTHER_CHILD = "Names another child"
INTELLIGENCE_LEFT_OUT = (
    f"{RESTRICTED_MARKER}. It is not in this export, which was made by someone not cleared to "
    "see intelligence: a manager cleared for intelligence must make the export before anything "
    "is disclosed."
)
NOT_RECORDED = "Not recorded"
# Dates that say when a record happened, in the order a record's title looks for them.
TITLE_DATES = (
    "last_seen_at",
    "assessed_at",
    "held_at",
    "held_on",
    "conducted_at",
    "graded_at",
    "offered_at",
    "notified_at",
    "referred_at",
    "referred_on",
    "notified_on",
    "recorded_at",
    "observed_on",
    "occurred_on",
    "checked_on",
    "prepared_at",
    "granted_at",
    "due_at",
    "due_date",
    "start_date",
    "created_at",
)
SHORTEST_NAME = 4  # shorter names would be found inside ordinary words


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: Any  # as JSON holds it: codes, ISO dates, ids
    text: str  # in words
    review: str = ""  # why it is for redaction review, if it is

    @property
    def recorded(self) -> bool:
        return self.text not in (NOT_RECORDED, "")


@dataclass
class Record:
    type: str
    model: str
    id: str
    title: str
    fields: list[Field]
    review: list[str] = field(default_factory=list)  # why the whole record is

    @property
    def for_review(self) -> bool:
        return bool(self.review) or any(f.review for f in self.fields)

    @property
    def recorded_fields(self) -> list[Field]:
        return [f for f in self.fields if f.recorded]


@dataclass
class Section:
    key: str
    heading: str
    records: list[Record]


@dataclass(frozen=True)
class ReviewItem:
    section: str
    record: Record
    field: str  # the field's label, or "" for the whole record
    reason: str


@dataclass
class SubjectAccess:
    child: Child
    merged: list[Child]
    actor: User
    generated_at: datetime.datetime
    sections: list[Section]
    intelligence_included: bool
    intelligence_note: str

    @property
    def review_items(self) -> list[ReviewItem]:
        items: list[ReviewItem] = []
        for section in self.sections:
            for record in section.records:
                items += [ReviewItem(section.heading, record, "", r) for r in record.review]
                items += [
                    ReviewItem(section.heading, record, f.label, f.review)
                    for f in record.fields
                    if f.review
                ]
        return items

    @property
    def counts(self) -> dict[str, int]:
        return {section.heading: len(section.records) for section in self.sections}

    @property
    def record_count(self) -> int:
        return sum(len(section.records) for section in self.sections)


def long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


IN_THE_ZIP = "In the photographs folder of this export"


def long_date_time(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y H:i")


def plain(value: Any) -> Any:
    """A value as JSON holds it."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def _own_str(obj: models.Model) -> bool:
    return type(obj).__str__ is not models.Model.__str__


def _title_date(obj: models.Model) -> str:
    for name in TITLE_DATES:
        value = getattr(obj, name, None)
        if isinstance(value, datetime.datetime):
            return long_date_time(value)
        if isinstance(value, datetime.date):
            return long_date(value)
    return ""


class _Collector:
    def __init__(self, child: Child, actor: User) -> None:
        self.child = child
        self.actor = actor
        self.merged = _merged_into(child)
        self.subjects = [child, *self.merged]
        self.subject_ids = {c.pk for c in self.subjects}
        self.intelligence = policy.can_see_intelligence(actor)
        self.left_out_intelligence = False
        self.names: dict[str, str] = {}  # a third party's name, lower case: who they are
        self._pattern: re.Pattern[str] | None = None
        self._marked_whole = False

    # What is held

    def rows(self, source: Source) -> list[models.Model]:
        model = source.model
        where = Q()
        for path in source.paths:
            where |= Q(**{f"{path}__in": self.subject_ids})
        found = model._default_manager.filter(where).distinct()
        related = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.name not in ("child",) and f.related_model is not None
        ]
        users = [
            f"{f.name}__agency"
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is User
        ]
        many = [f.name for f in model._meta.many_to_many]
        rows = list(found.select_related(*related, *users).prefetch_related(*many))
        kept = [row for row in rows if self.intelligence or not source.is_intelligence(row)]
        if len(kept) < len(rows):
            self.left_out_intelligence = True
        return kept

    def learn_names(self, source: Source, rows: list[models.Model]) -> None:
        """The names of the third parties these records hold: the people in the child's life,
        other children, persons of concern."""
        for row in rows:
            if source.label == "people.relatedperson":
                self._name(row.name, "a person in the child's life")  # type: ignore[attr-defined]
            if source.label == "intelligence.personofconcern":
                self._name(f"{row.first_name} {row.last_name}", "a person of concern")  # type: ignore[attr-defined]
                for nickname in row.nicknames.split(","):  # type: ignore[attr-defined]
                    self._name(nickname, "a person of concern")
            for other in self._children_named(row):
                self._name(other.full_name, "another child")
                self._name(f"{other.first_name} {other.last_name}", "another child")

    def _name(self, name: str, who: str) -> None:
        name = " ".join(name.split())
        if len(name) >= SHORTEST_NAME and name.lower() not in self._own_names():
            self.names.setdefault(name.lower(), who)

    def _own_names(self) -> set[str]:
        own = set()
        for c in self.subjects:
            own |= {c.full_name.lower(), f"{c.first_name} {c.last_name}".lower()}
        return own

    def _children_named(self, row: models.Model) -> list[Child]:
        found: list[Child] = []
        if isinstance(row, Child):
            return found
        for f in row._meta.concrete_fields:
            if f.is_relation and f.related_model is Child:
                other = getattr(row, f.name)
                if other is not None and other.pk not in self.subject_ids:
                    found.append(other)
        for f in row._meta.many_to_many:
            if f.related_model is Child:
                found += [c for c in getattr(row, f.name).all() if c.pk not in self.subject_ids]
        return found

    # In words

    def record(self, source: Source, row: models.Model, number: int) -> Record:
        label = source.label
        kind = record_type(label)
        review = []
        if source.is_intelligence(row):
            review.append(INTELLIGENCE)
        if source.third_party:
            review.append(source.third_party)
        if source.owner and getattr(row, f"{source.owner}_id") not in self.subject_ids:
            review.append(ANOTHER_CHILDS_RECORD)
        # A record marked whole is reviewed whole: its fields are not marked again for the
        # names they hold (a parent's record names the parent).
        self._marked_whole = bool(review)
        fields: list[Field] = []
        for f in row._meta.concrete_fields:
            if f.primary_key and not f.is_relation:
                continue
            if f.is_relation and f.related_model is Child:
                value = getattr(row, f.attname)
                if value in self.subject_ids and not isinstance(row, Child):
                    continue  # this child: every record here is about them
            fields.append(self.field(source, row, f))
        for f in row._meta.many_to_many:
            fields.append(self.many(row, f))
        when = _title_date(row)
        title = f"{kind} {number}" + (f": {when}" if when else "")
        ident = getattr(row, "public_id", None) or row.pk
        return Record(kind, label, str(ident), title, fields, review)

    def field(self, source: Source, row: models.Model, f: Any) -> Field:
        label = capfirst(str(f.verbose_name))
        raw = getattr(row, f.attname)
        review = source.review_fields.get(f.name, "")
        if f.is_relation:
            obj = getattr(row, f.name) if raw is not None else None
            if obj is None:
                return Field(f.name, label, None, NOT_RECORDED)
            text = self.describe(obj)
            value = plain(getattr(obj, "public_id", raw))
            if isinstance(obj, Child) and obj.pk not in self.subject_ids:
                review = review or ANOTHER_CHILD
            if obj._meta.app_label == "intelligence":
                review = review or INTELLIGENCE
            return Field(f.name, label, value, text, review)
        if isinstance(f, models.FileField):
            # The file itself is in the zip (render.py: the photographs, oldest first), not
            # its opaque storage name.
            held = bool(raw)
            return Field(f.name, label, None, IN_THE_ZIP if held else NOT_RECORDED)
        if raw is None or raw == "":
            return Field(f.name, label, None if raw is None else "", NOT_RECORDED)
        if f.choices:
            text = str(getattr(row, f"get_{f.name}_display")())
        elif isinstance(raw, bool):
            text = "Yes" if raw else "No"
        elif isinstance(raw, datetime.datetime):
            text = long_date_time(raw)
        elif isinstance(raw, datetime.date):
            text = long_date(raw)
        elif isinstance(f, models.JSONField):
            text = self.json_text(source, f.name, raw)
        else:
            text = str(raw)
        if not review and not self._marked_whole and isinstance(raw, str) and not f.choices:
            review = self.names_in(raw)
        return Field(f.name, label, plain(raw), text, review)

    def json_text(self, source: Source, name: str, raw: Any) -> str:
        if isinstance(raw, list):
            if not raw:
                return NOT_RECORDED
            choices = source.coded.get(name)
            labels = dict(choices.choices) if choices else {}
            return ", ".join(str(labels.get(item, item)) for item in raw)
        return json.dumps(raw, ensure_ascii=False)

    def many(self, row: models.Model, f: Any) -> Field:
        label = capfirst(str(f.verbose_name))
        related = list(getattr(row, f.name).all())
        text = "; ".join(self.describe(obj) for obj in related) or NOT_RECORDED
        value = [plain(getattr(obj, "public_id", obj.pk)) for obj in related]
        others = [o for o in related if isinstance(o, Child) and o.pk not in self.subject_ids]
        return Field(f.name, label, value, text, ANOTHER_CHILD if others else "")

    def describe(self, obj: models.Model) -> str:
        if isinstance(obj, User):
            return obj.name_role_and_agency
        if isinstance(obj, Child):
            if obj.pk in self.subject_ids:
                return f"This child ({obj.reference})"
            return f"{obj.full_name} ({obj.reference})"
        if _own_str(obj):
            return str(obj)
        when = _title_date(obj)
        kind = record_type(obj._meta.label_lower)
        return f"{kind} of {when}" if when else kind

    def names_in(self, text: str) -> str:
        if not self.names:
            return ""
        if self._pattern is None:
            alternatives = sorted(self.names, key=len, reverse=True)
            self._pattern = re.compile(
                r"\b(" + "|".join(re.escape(n) for n in alternatives) + r")\b", re.IGNORECASE
            )
        found = []
        for match in self._pattern.finditer(text):
            name = match.group(1)
            entry = f"{name} ({self.names[name.lower()]})"
            if entry not in found:
                found.append(entry)
        return f"Names {', '.join(found)}" if found else ""

    # The audit trail

    def audit(self) -> Section:
        ids = [c.public_id for c in self.subjects]
        events = (
            AuditEvent.objects.filter(child_id__in=ids)
            .select_related("actor__agency")
            .order_by("at", "id")
        )
        by_public_id = {c.public_id: c for c in self.subjects}
        records = []
        for number, event in enumerate(events, start=1):
            about_intelligence = event.object_type.startswith("intelligence.")
            if about_intelligence and not self.intelligence:
                self.left_out_intelligence = True
                continue
            child = by_public_id.get(event.child_id)  # type: ignore[arg-type]
            values = policy.can_see_audit_values(self.actor, event, child)
            who = (
                event.actor.name_role_and_agency
                if event.actor is not None
                else event.actor_username or "MACE itself (no user)"
            )
            fields = [
                Field("at", "When", plain(event.at), long_date_time(event.at)),
                Field("actor", "Who", plain(event.actor.public_id) if event.actor else None, who),
                Field("action", "What they did", event.action, event.get_action_display()),
                Field(
                    "object_type",
                    "Record",
                    event.object_type,
                    record_type(event.object_type),
                ),
                Field("object_id", "Record's identifier", event.object_id, event.object_id),
                Field("summary", "Summary", event.summary, event.summary or NOT_RECORDED),
            ]
            if values:
                reason = event.reason
                fields.append(
                    Field(
                        "reason",
                        "Reason given",
                        reason,
                        reason or NOT_RECORDED,
                        self.names_in(reason),
                    )
                )
                for key, label in (("before", "Before"), ("after", "After")):
                    data = getattr(event, key)
                    text = json.dumps(data, ensure_ascii=False) if data else NOT_RECORDED
                    fields.append(Field(key, label, data, text, self.names_in(text)))
            title = f"{event.get_action_display()} {number}: {long_date_time(event.at)}"
            review = [INTELLIGENCE] if about_intelligence else []
            records.append(
                Record("Audit entry", "audit.auditevent", str(event.pk), title, fields, review)
            )
        return Section("audit.auditevent", AUDIT_HEADING, records)


def _merged_into(child: Child) -> list[Child]:
    """The records merged into this child, and those merged into them."""
    found: list[Child] = []
    frontier = [child.pk]
    while frontier:
        step = list(Child.objects.filter(merged_into__in=frontier).order_by("pk"))
        found += step
        frontier = [c.pk for c in step]
    return found


def collect(child: Child, *, actor: User, sources: Iterable[Source] = SOURCES) -> SubjectAccess:
    """Everything held about the child (and the records merged into it), for this actor:
    intelligence only if they are cleared for it (SPEC C5), otherwise noted as left out.
    The caller has checked the actor may make the export (`policy.can_export_subject_access`)."""
    collector = _Collector(child, actor)
    sources = list(sources)
    held = [(source, collector.rows(source)) for source in sources]
    for source, rows in held:
        collector.learn_names(source, rows)
    sections = [
        Section(
            source.label,
            source.heading,
            [collector.record(source, row, n) for n, row in enumerate(rows, start=1)],
        )
        for source, rows in held
    ]
    sections.append(collector.audit())
    left_out = collector.left_out_intelligence
    return SubjectAccess(
        child=child,
        merged=collector.merged,
        actor=actor,
        generated_at=timezone.now(),
        sections=sections,
        intelligence_included=collector.intelligence,
        intelligence_note=INTELLIGENCE_LEFT_OUT if left_out else "",
    )
