"""Reading intelligence (SPEC C5). Every function takes the requesting user.

Intelligence is restricted: a user who is not cleared (access.policy.can_see_intelligence)
learns only that restricted intelligence exists, never its content and never how much of
it there is, in pages, search, exports and counts alike.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from mace.access.policy import can_see_intelligence, can_view_child, require
from mace.accounts.models import User
from mace.intelligence.models import IntelligenceNote, Link, Location, PersonOfConcern
from mace.people.models import Child

RESTRICTED_MARKER = "Restricted intelligence exists"


@dataclass(frozen=True)
class Network:
    """The connected picture around one child, as far as the user may see it."""

    child: Child
    links: list[Link] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    persons: list[PersonOfConcern] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    notes: list[IntelligenceNote] = field(default_factory=list)
    # Set, without a count, when the user is not cleared and intelligence is held.
    restriction: str = ""


def _has_intelligence(child: Child) -> bool:
    links = Link.objects.filter(child=child).filter(
        Q(person__isnull=False) | Q(location__isnull=False)
    )
    return links.exists() or IntelligenceNote.objects.filter(child=child).exists()


def network_for_child(actor: User, child: Child) -> Network:
    """The child's links: other children the user may open; for cleared users, persons of
    concern and locations (with those persons' own places) and intelligence notes."""
    require(bool(can_view_child(actor, child)))
    direct = list(
        Link.objects.filter(Q(child=child) | Q(other_child=child)).select_related(
            "child", "other_child", "person", "location"
        )
    )
    links: list[Link] = []
    children: dict[int, Child] = {}
    for link in direct:
        if link.is_intelligence:
            continue
        other = link.other_child if link.child_id == child.pk else link.child
        if other is not None and can_view_child(actor, other):
            links.append(link)
            children[other.pk] = other
    if not can_see_intelligence(actor):
        restriction = RESTRICTED_MARKER if _has_intelligence(child) else ""
        return Network(
            child=child, links=links, children=list(children.values()), restriction=restriction
        )

    persons: dict[int, PersonOfConcern] = {}
    locations: dict[int, Location] = {}
    for link in direct:
        if link.person is not None:
            persons[link.person.pk] = link.person
        if link.location is not None:
            locations[link.location.pk] = link.location
        if link.is_intelligence:
            links.append(link)
    # One step further: where the linked persons are known to be.
    for link in Link.objects.filter(
        person__in=list(persons), location__isnull=False, child__isnull=True
    ).select_related("person", "location"):
        links.append(link)
        if link.location is not None:
            locations[link.location.pk] = link.location
    return Network(
        child=child,
        links=links,
        children=list(children.values()),
        persons=list(persons.values()),
        locations=list(locations.values()),
        notes=list(IntelligenceNote.objects.filter(child=child).select_related("recorded_by")),
    )


def search_persons(actor: User, query: str) -> QuerySet[PersonOfConcern]:
    """Persons of concern by name, nickname, phone, vehicle or online identity. Cleared only."""
    require(can_see_intelligence(actor))
    text = query.strip()
    if not text:
        return PersonOfConcern.objects.none()
    q = (
        Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(nicknames__icontains=text)
        | Q(online_identities__handle__icontains=text)
    )
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 4:
        q |= Q(phones__number__contains=digits)
    registration = "".join(text.split()).upper()
    if registration:
        q |= Q(vehicles__registration__contains=registration)
    matches = PersonOfConcern.objects.filter(q).values("pk")
    return PersonOfConcern.objects.filter(pk__in=matches).order_by("last_name", "first_name")


@dataclass(frozen=True)
class IntelligenceNetwork:
    """The connected picture around a person of concern or a place. Cleared users only."""

    centre: PersonOfConcern | Location
    links: list[Link] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    persons: list[PersonOfConcern] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    notes: list[IntelligenceNote] = field(default_factory=list)
    # Links to children the user may not open are left out; this says that some were.
    children_withheld: bool = False


def _links_touching(persons: list[int], locations: list[int], exclude: set[int]) -> list[Link]:
    return list(
        Link.objects.filter(Q(person__in=persons) | Q(location__in=locations))
        .exclude(pk__in=exclude)
        .select_related("child", "other_child", "person", "location")
    )


def _around(actor: User, centre: PersonOfConcern | Location) -> IntelligenceNetwork:
    """Two steps out from the centre: its links, then the links of the persons and places
    it is linked to (a person's other places, a place's other visitors)."""
    require(can_see_intelligence(actor))
    persons: dict[int, PersonOfConcern] = {}
    locations: dict[int, Location] = {}
    children: dict[int, Child] = {}
    links: dict[int, Link] = {}
    withheld = False
    if isinstance(centre, PersonOfConcern):
        persons[centre.pk] = centre
    else:
        locations[centre.pk] = centre
    frontier_persons, frontier_locations = list(persons), list(locations)
    for _step in range(2):
        found = _links_touching(frontier_persons, frontier_locations, set(links))
        frontier_persons, frontier_locations = [], []
        for link in found:
            child = link.child
            if child is not None:
                if not can_view_child(actor, child):
                    withheld = True
                    continue
                children[child.pk] = child
            links[link.pk] = link
            if link.person is not None and link.person.pk not in persons:
                persons[link.person.pk] = link.person
                frontier_persons.append(link.person.pk)
            if link.location is not None and link.location.pk not in locations:
                locations[link.location.pk] = link.location
                frontier_locations.append(link.location.pk)
    notes: list[IntelligenceNote] = []
    if isinstance(centre, PersonOfConcern):
        notes = list(IntelligenceNote.objects.filter(person=centre).select_related("recorded_by"))
    return IntelligenceNetwork(
        centre=centre,
        links=list(links.values()),
        children=list(children.values()),
        persons=list(persons.values()),
        locations=list(locations.values()),
        notes=notes,
        children_withheld=withheld,
    )


def network_for_person(actor: User, person: PersonOfConcern) -> IntelligenceNetwork:
    """The children and places linked to a person of concern, and who else is at those places."""
    return _around(actor, person)


def network_for_location(actor: User, location: Location) -> IntelligenceNetwork:
    """The children and persons linked to a place, and the other places of those persons."""
    return _around(actor, location)


def person_get(actor: User, public_id: str) -> PersonOfConcern:
    require(can_see_intelligence(actor))
    return PersonOfConcern.objects.prefetch_related("phones", "vehicles", "online_identities").get(
        public_id=public_id
    )


def location_get(actor: User, public_id: str) -> Location:
    require(can_see_intelligence(actor))
    return Location.objects.get(public_id=public_id)


def search_locations(actor: User, query: str) -> QuerySet[Location]:
    """Locations by name, address or postcode. Cleared only."""
    require(can_see_intelligence(actor))
    text = query.strip()
    if not text:
        return Location.objects.none()
    postcode = "".join(text.split()).upper()
    q = Q(name__icontains=text) | Q(address__icontains=text) | Q(postcode__icontains=text)
    if postcode:
        q |= Q(postcode__icontains=postcode)
    return Location.objects.filter(q).order_by("name")


def hotspots(actor: User) -> QuerySet[Location]:
    """Every hotspot, with how many children are linked to each. Cleared only."""
    require(can_see_intelligence(actor))
    return (
        Location.objects.filter(is_hotspot=True)
        .annotate(child_links=Count("links", filter=Q(links__child__isnull=False)))
        .order_by("-child_links", "name")
    )


def restriction_for_child(actor: User, child: Child) -> str:
    """For the child's record page: the marker when intelligence is held that the user may
    not see; empty for cleared users (they see it on the network page) or when none is held."""
    if can_see_intelligence(actor):
        return ""
    return RESTRICTED_MARKER if _has_intelligence(child) else ""
