"""Recording intelligence (SPEC C5): persons of concern, locations, links and notes.

Every write checks access.policy, validates, and writes its audit entry in the same
transaction. Audit summaries carry no intelligence content: auditors are not cleared.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from mace.access.policy import can_record_link, can_see_intelligence, can_view_child, require
from mace.accounts.models import Role, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.episodes.models import Episode
from mace.intelligence.models import (
    Confidence,
    IntelligenceNote,
    Link,
    Location,
    OnlineIdentity,
    PersonOfConcern,
    Phone,
    Vehicle,
)
from mace.lib.days import day_of
from mace.people.models import Child
from mace.worklist.notify import notify

UNCLEARED_ALERT = "A new intelligence link was recorded for {reference}"


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def _registration(registration: str) -> str:
    return "".join(registration.split()).upper()


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str = "",
    last_name: str = "",
    nicknames: str = "",
    date_of_birth: datetime.date | None = None,
    age_group: str = "",
    gender: str = "",
    addresses: str = "",
    organised_crime_groups: str = "",
    notes: str = "",
    phones: Iterable[str] = (),
    vehicles: Iterable[tuple[str, str]] = (),
    online_identities: Iterable[tuple[str, str]] = (),
) -> PersonOfConcern:
    """Record a person of concern with their phones, vehicles (registration, description)
    and online identities (platform, handle)."""
    require(can_see_intelligence(actor))
    if not (first_name.strip() or last_name.strip() or nicknames.strip()):
        raise ValidationError({"first_name": "Enter a name or a nickname for the person"})
    person = PersonOfConcern(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        nicknames=nicknames.strip(),
        date_of_birth=date_of_birth,
        age_group=age_group,
        addresses=addresses,
        organised_crime_groups=organised_crime_groups,
        notes=notes,
        created_by=actor,
    )
    if gender:
        person.gender = gender
    person.full_clean()
    person.save()
    for number in {_digits(n) for n in phones if _digits(n)}:
        Phone.objects.create(person=person, number=number)
    for registration, description in vehicles:
        if _registration(registration):
            Vehicle.objects.get_or_create(
                person=person,
                registration=_registration(registration),
                defaults={"description": description},
            )
    for platform, handle in online_identities:
        if handle.strip():
            OnlineIdentity.objects.get_or_create(
                person=person, platform=platform.strip(), handle=handle.strip()
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=person,
        summary="Recorded a person of concern",
    )
    return person


@transaction.atomic
def location_create(
    *,
    actor: User,
    name: str,
    kind: str,
    address: str = "",
    postcode: str = "",
    is_hotspot: bool = False,
    notes: str = "",
) -> Location:
    """Record an address, venue, area or online space, and whether it is a hotspot."""
    require(can_see_intelligence(actor))
    location = Location(
        name=name.strip(),
        kind=kind,
        address=address,
        postcode=postcode.strip().upper(),
        is_hotspot=is_hotspot,
        notes=notes,
        created_by=actor,
    )
    location.full_clean()
    location.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=location,
        summary="Recorded a location",
    )
    return location


def _pair_name(
    child: Child | None,
    other_child: Child | None,
    person: PersonOfConcern | None,
    location: Location | None,
) -> str:
    ends = (child is not None, other_child is not None, person is not None, location is not None)
    pairs = {
        (True, True, False, False): "child-child",
        (True, False, True, False): "child-person",
        (True, False, False, True): "child-location",
        (False, False, True, True): "person-location",
    }
    if ends not in pairs:
        raise ValidationError(
            "A link joins exactly one pair: two children, a child and a person, "
            "a child and a location, or a person and a location"
        )
    return pairs[ends]


def _require_access(
    actor: User,
    child: Child | None,
    other_child: Child | None,
    person: PersonOfConcern | None,
    location: Location | None,
) -> None:
    if person is not None or location is not None:
        require(can_see_intelligence(actor))
    for each in (child, other_child):
        if each is not None:
            require(bool(can_view_child(actor, each)))
    if child is not None:
        require(any(can_record_link(actor, c) for c in (child, other_child) if c is not None))


def _existing(
    *,
    kind: str,
    child: Child | None,
    other_child: Child | None,
    person: PersonOfConcern | None,
    location: Location | None,
) -> Link | None:
    return Link.objects.filter(
        kind=kind, child=child, other_child=other_child, person=person, location=location
    ).first()


def _save_link(link: Link) -> Link:
    """Save, turning a duplicate that slipped past the check (a race) into the same error."""
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        raise ValidationError(_duplicate_message(link)) from error
    return link


def _duplicate_message(link: Link) -> str:
    return (
        f"This link is already recorded ({link.get_kind_display().lower()}). "
        "Open the existing link instead of adding it again"
    )


def _link_children(link: Link) -> list[Child]:
    return [c for c in (link.child, link.other_child) if c is not None]


@transaction.atomic
def link_create(
    *,
    actor: User,
    kind: str,
    source: str,
    observed_on: datetime.date,
    confidence: str,
    child: Child | None = None,
    other_child: Child | None = None,
    person: PersonOfConcern | None = None,
    location: Location | None = None,
) -> Link:
    """Link two children, a child and a person or location, or a person and a location.

    The same pair and kind is recorded once. A child newly linked to a person of concern
    or a hotspot is an alert (C5: flags new links to known persons of concern)."""
    pair = _pair_name(child, other_child, person, location)
    _require_access(actor, child, other_child, person, location)
    if child is not None and other_child is not None:
        if child.pk == other_child.pk:
            raise ValidationError({"other_child": "Choose a different child to link to"})
        if other_child.pk < child.pk:
            child, other_child = other_child, child
    link = Link(
        kind=kind,
        source=source.strip(),
        observed_on=observed_on,
        confidence=confidence,
        child=child,
        other_child=other_child,
        person=person,
        location=location,
        created_by=actor,
    )
    link.full_clean(validate_constraints=False)
    if _existing(kind=kind, child=child, other_child=other_child, person=person, location=location):
        raise ValidationError(_duplicate_message(link))
    _save_link(link)
    _audit_link(actor, link, pair)
    _alert_if_new_intelligence(link)
    return link


def _audit_link(actor: User | None, link: Link, pair: str) -> None:
    """One entry per child involved, so the link shows in each child's audit trail."""
    child_ids: list[uuid.UUID | None] = [c.public_id for c in _link_children(link)]
    for child_id in child_ids or [None]:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=link,
            child_id=child_id,
            summary=f"Recorded a {pair} link",
        )


def _alert_if_new_intelligence(link: Link) -> None:
    """The allocated worker and every cleared missing coordinator hear of a child's new link
    to a person of concern or a hotspot; those not cleared learn only that one exists."""
    child = link.child
    if child is None:
        return
    if link.person is not None:
        detail = f"{child.reference} linked to person of concern {link.person.display_name}"
    elif link.location is not None and link.location.is_hotspot:
        detail = f"{child.reference} linked to hotspot {link.location.name}"
    else:
        return
    body = (
        f"{link.get_kind_display()}, {link.get_confidence_display().lower()}, "
        f"observed {link.observed_on:%d/%m/%Y}. Source: {link.source}"
    )
    recipients: dict[int, User] = {
        u.pk: u
        for u in User.objects.filter(
            role=Role.MISSING_COORDINATOR, is_active=True, intelligence_cleared=True
        )
    }
    if child.allocated_worker is not None:
        recipients[child.allocated_worker.pk] = child.allocated_worker
    url = reverse("intelligence:child", kwargs={"public_id": child.public_id})
    for user in recipients.values():
        if can_see_intelligence(user):
            notify(
                user=user,
                kind="intelligence_link",
                title=detail,
                body=body,
                url=url,
                child=child,
            )
        else:
            notify(
                user=user,
                kind="intelligence_link",
                title=UNCLEARED_ALERT.format(reference=child.reference),
                url=url,
                child=child,
            )


@transaction.atomic
def note_add(
    *,
    actor: User,
    text: str,
    source: str,
    child: Child | None = None,
    person: PersonOfConcern | None = None,
) -> IntelligenceNote:
    """Record a piece of intelligence about a child or a person of concern."""
    require(can_see_intelligence(actor))
    if (child is None) == (person is None):
        raise ValidationError("An intelligence note is about one child or one person")
    if child is not None:
        require(bool(can_view_child(actor, child)))
    note = IntelligenceNote(
        child=child, person=person, text=text.strip(), source=source.strip(), recorded_by=actor
    )
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=note,
        child_id=child.public_id if child is not None else None,
        summary="Added an intelligence note",
    )
    return note


def _episode_source(episode: Episode) -> str:
    if episode.police_reference:
        return f"Missing episode {episode.police_reference}"
    return f"Missing episode {day_of(episode.last_seen_at):%d/%m/%Y}"


@transaction.atomic
def links_from_episodes(child: Child) -> list[Link]:
    """Link the child to every child they went missing with ("missing in association").

    Idempotent: one missing-together link per pair, dated by the first episode together;
    running it again makes nothing new. Made by MACE itself, so the audit has no actor."""
    episodes = (
        Episode.objects.filter(Q(child=child) | Q(with_children=child))
        .distinct()
        .select_related("child")
        .prefetch_related("with_children")
        .order_by("last_seen_at")
    )
    made: list[Link] = []
    done: set[int] = set()
    for episode in episodes:
        group = [episode.child, *episode.with_children.all()]
        for companion in group:
            if companion.pk == child.pk or companion.pk in done:
                continue
            if companion.merged_into_id is not None:
                continue
            done.add(companion.pk)
            first, second = sorted((child, companion), key=lambda c: c.pk)
            if _existing(
                kind=Link.Kind.MISSING_TOGETHER,
                child=first,
                other_child=second,
                person=None,
                location=None,
            ):
                continue
            link = _save_link(
                Link(
                    kind=Link.Kind.MISSING_TOGETHER,
                    source=_episode_source(episode),
                    observed_on=day_of(episode.last_seen_at),
                    confidence=Confidence.CONFIRMED,
                    child=first,
                    other_child=second,
                )
            )
            _audit_link(None, link, "child-child")
            made.append(link)
    return made


def on_episode_saved(episode: Episode) -> list[Link]:
    """For the episode services to call after an episode is reported or changed: every
    child in the episode is linked to the others it went missing with."""
    made: list[Link] = []
    for each in [episode.child, *episode.with_children.all()]:
        made.extend(links_from_episodes(each))
    return made
