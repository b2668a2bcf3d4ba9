"""Intelligence is restricted (C5, C11): only cleared people in cleared roles see persons
of concern, locations' intelligence and intelligence notes. Everyone else who may open the
child sees that a restriction exists, never its content and never how much."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.intelligence.models import Confidence, Link, Location
from mace.intelligence.selectors import RESTRICTED_MARKER, network_for_child, search_persons
from mace.intelligence.services import link_create, location_create, note_add, person_create
from mace.intelligence.tests.factories import LinkFactory, LocationFactory, PersonOfConcernFactory
from mace.people.models import Involvement
from mace.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

CLEARED = ["police_officer", "missing_coordinator", "manager"]
# Can open the child (by allocation or involvement) but are not cleared.
OPEN_BUT_NOT_CLEARED = ["social_worker", "rhi_worker", "inclusion_officer", "panel_member"]
NO_CHILD_RECORDS = ["analyst", "auditor", "administrator"]


def test_every_role_is_covered():
    assert set(CLEARED + OPEN_BUT_NOT_CLEARED + NO_CHILD_RECORDS) == {r.value for r in Role}


@pytest.fixture
def child(users, team):
    child = ChildFactory.create(allocated_worker=users["social_worker"], team=team)
    for role, kind in [
        ("rhi_worker", Involvement.Kind.RHI_PROVIDER),
        ("inclusion_officer", Involvement.Kind.INCLUSION),
        ("panel_member", Involvement.Kind.OTHER),
    ]:
        InvolvementFactory.create(child=child, user=users[role], kind=kind)
    return child


@pytest.fixture
def intelligence(users, child):
    person = PersonOfConcernFactory.create(first_name="Dean", last_name="Marsh")
    hotspot = LocationFactory.create(name="Chicken shop", is_hotspot=True, notes="Drugs handed")
    LinkFactory.create(child=child, person=person, kind=Link.Kind.EXPLOITER)
    LinkFactory.create(child=child, location=hotspot, kind=Link.Kind.SEEN_AT)
    LinkFactory.create(person=person, location=hotspot, kind=Link.Kind.SEEN_AT)
    note_add(
        actor=users["police_officer"],
        child=child,
        text="Seen getting into a silver car",
        source="Police",
    )
    return {"person": person, "hotspot": hotspot}


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_cleared_roles_see_persons_places_and_notes(role_user, child, intelligence):
    network = network_for_child(role_user, child)

    assert network.persons == [intelligence["person"]]
    assert network.locations == [intelligence["hotspot"]]
    assert [n.text for n in network.notes] == ["Seen getting into a silver car"]
    assert len(network.links) == 3  # the child's two, and where the person is seen
    assert network.restriction == ""


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_cleared_roles_may_search_persons(role_user, intelligence):
    assert list(search_persons(role_user, "marsh")) == [intelligence["person"]]


@pytest.mark.parametrize("role_user", OPEN_BUT_NOT_CLEARED, indirect=True)
def test_roles_not_cleared_see_only_the_marker(role_user, child, intelligence):
    network = network_for_child(role_user, child)

    assert network.restriction == RESTRICTED_MARKER
    assert network.persons == []
    assert network.locations == []
    assert network.notes == []
    assert all(not link.is_intelligence for link in network.links)
    assert "Marsh" not in repr(network)
    assert "Chicken" not in repr(network)


@pytest.mark.parametrize("role_user", OPEN_BUT_NOT_CLEARED + NO_CHILD_RECORDS, indirect=True)
def test_roles_not_cleared_cannot_search_or_record_intelligence(role_user, child):
    with pytest.raises(PermissionDenied):
        search_persons(role_user, "marsh")
    with pytest.raises(PermissionDenied):
        person_create(actor=role_user, first_name="Dean")
    with pytest.raises(PermissionDenied):
        location_create(actor=role_user, name="Park", kind=Location.Kind.AREA)
    with pytest.raises(PermissionDenied):
        note_add(actor=role_user, child=child, text="x", source="y")


@pytest.mark.parametrize("role_user", NO_CHILD_RECORDS, indirect=True)
def test_roles_without_child_records_see_no_network_at_all(role_user, child, intelligence):
    with pytest.raises(PermissionDenied):
        network_for_child(role_user, child)


def test_an_uncleared_user_never_learns_how_many_persons_are_linked(users, child):
    other = ChildFactory.create(allocated_worker=users["social_worker"])
    LinkFactory.create(child=child, person=PersonOfConcernFactory.create())
    for _ in range(3):
        LinkFactory.create(child=other, person=PersonOfConcernFactory.create())
    note_add(actor=users["police_officer"], child=other, text="More", source="Police")

    one = network_for_child(users["social_worker"], child)
    many = network_for_child(users["social_worker"], other)

    assert (one.restriction, one.persons, one.links) == (many.restriction, many.persons, [])
    assert many.links == []


def test_no_marker_when_nothing_is_held(users, child):
    assert network_for_child(users["social_worker"], child).restriction == ""


def test_a_cleared_social_worker_sees_content_and_an_uncleared_officer_does_not(
    users, agency, team, child, intelligence
):
    cleared_worker = UserFactory.create(
        role=Role.SOCIAL_WORKER, agency=agency, team=team, intelligence_cleared=True
    )
    uncleared_officer = UserFactory.create(
        role=Role.POLICE_OFFICER, agency=users["police_officer"].agency, intelligence_cleared=False
    )

    assert network_for_child(cleared_worker, child).persons == [intelligence["person"]]
    seen_by_officer = network_for_child(uncleared_officer, child)
    assert seen_by_officer.persons == []
    assert seen_by_officer.restriction == RESTRICTED_MARKER


def test_a_cleared_user_in_a_role_not_cleared_for_intelligence_sees_nothing(
    users, child, intelligence
):
    panel = users["panel_member"]
    panel.intelligence_cleared = True
    panel.save()

    assert network_for_child(panel, child).persons == []
    with pytest.raises(PermissionDenied):
        search_persons(panel, "marsh")


def test_child_child_links_need_both_children(users, child):
    stranger = ChildFactory.create()  # not allocated to the social worker's team
    LinkFactory.create(
        child=min(child, stranger, key=lambda c: c.pk),
        other_child=max(child, stranger, key=lambda c: c.pk),
        kind=Link.Kind.PEER,
    )

    assert network_for_child(users["social_worker"], child).links == []
    assert len(network_for_child(users["police_officer"], child).links) == 1
    with pytest.raises(PermissionDenied):
        link_create(
            actor=users["social_worker"],
            child=child,
            other_child=stranger,
            kind=Link.Kind.MISSING_TOGETHER,
            source="Return interview",
            observed_on=datetime.date(2025, 1, 1),
            confidence=Confidence.POSSIBLE,
        )


def test_search_finds_by_phone_vehicle_and_handle(users):
    officer = users["police_officer"]
    person = person_create(
        actor=officer,
        nicknames="Smoke",
        phones=["07700 900123"],
        vehicles=[("ab12 cde", "Silver Audi A3")],
        online_identities=[("Snapchat", "smokey_b")],
    )

    for query in ("smoke", "07700900123", "AB12CDE", "ab12 cde", "smokey_b"):
        assert list(search_persons(officer, query)) == [person], query
