"""The network drawing: one node per child, person or place, the strongest link between a
pair, distance from the centre as rings, and labels that cannot inject markup."""

import pytest

from mace.intelligence.models import Confidence, Link
from mace.intelligence.network import build_graph, network_svg, node_for
from mace.intelligence.tests.factories import LinkFactory, LocationFactory, PersonOfConcernFactory
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_one_edge_per_pair_keeping_the_most_certain_link():
    child = ChildFactory.create()
    person = PersonOfConcernFactory.create()
    LinkFactory.create(child=child, person=person, kind=Link.Kind.ASSOCIATE, confidence="possible")
    confirmed = LinkFactory.create(
        child=child, person=person, kind=Link.Kind.EXPLOITER, confidence=Confidence.CONFIRMED
    )

    graph = build_graph(child, Link.objects.all())

    assert graph.number_of_nodes() == 2
    assert graph.number_of_edges() == 1
    edge = graph.get_edge_data(node_for(child).key, node_for(person).key)
    assert edge["link"] == confirmed


def test_the_centre_is_drawn_in_the_middle_and_further_nodes_further_out():
    child = ChildFactory.create()
    person = PersonOfConcernFactory.create()
    place = LocationFactory.create(is_hotspot=True)
    LinkFactory.create(child=child, person=person)
    LinkFactory.create(person=person, location=place)

    svg = network_svg(child, Link.objects.all(), title="Around the child")

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="network-title">Around the child</title>' in svg
    assert svg.count("<line") == 2
    assert '<circle cx="380.0" cy="280.0" r="16"' in svg  # the centre, in the middle
    assert "<polygon" in svg  # the hotspot
    assert "#f47738" in svg


def test_labels_are_escaped():
    child = ChildFactory.create()
    person = PersonOfConcernFactory.create(first_name="<script>", last_name="x")
    LinkFactory.create(child=child, person=person)

    svg = network_svg(child, Link.objects.all(), title="<b>")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<b>" not in svg
