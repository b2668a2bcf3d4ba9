"""The network view (SPEC C5): the links around a child, a person or a place, drawn as a
server-rendered SVG. The page puts the same links in a table beside it, so the drawing is
an aid to the eye and the table is what screen readers and printouts rely on.

Layout is networkx's shell layout: the centre in the middle, what it is linked to on the
first ring, and what those are linked to on the outer ring, so distance from the centre
on the page is distance in the network.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from django.utils.html import escape

from mace.intelligence.models import Confidence, Link, Location, PersonOfConcern
from mace.people.models import Child

NodeKey = tuple[str, int]

WIDTH, HEIGHT = 760, 560
MARGIN = 90
# GOV.UK colours: blue children, red persons of concern, orange hotspots, grey places.
FILL = {"child": "#1d70b8", "person": "#d4351c", "hotspot": "#f47738", "location": "#505a5f"}
DASH = {Confidence.CONFIRMED: "", Confidence.PROBABLE: "8 4", Confidence.POSSIBLE: "2 4"}


@dataclass(frozen=True)
class Node:
    key: NodeKey
    kind: str  # child, person, hotspot or location
    label: str


def node_for(obj: Child | PersonOfConcern | Location, *, names: bool = True) -> Node:
    if isinstance(obj, Child):
        label = f"{obj.first_name} {obj.last_name}" if names else obj.reference
        return Node(("child", obj.pk), "child", label)
    if isinstance(obj, PersonOfConcern):
        return Node(("person", obj.pk), "person", obj.display_name)
    return Node(("location", obj.pk), "hotspot" if obj.is_hotspot else "location", obj.name)


def link_ends(link: Link) -> list[Child | PersonOfConcern | Location]:
    ends = (link.child, link.other_child, link.person, link.location)
    return [end for end in ends if end is not None]


def build_graph(centre: Child | PersonOfConcern | Location, links: Iterable[Link]) -> nx.Graph:
    """One node per child, person or place; one edge per pair, keeping the strongest link."""
    graph = nx.Graph()
    first = node_for(centre)
    graph.add_node(first.key, node=first)
    strength: dict[str, int] = {
        Confidence.CONFIRMED: 3,
        Confidence.PROBABLE: 2,
        Confidence.POSSIBLE: 1,
    }
    for link in links:
        a, b = (node_for(end) for end in link_ends(link))
        for node in (a, b):
            if node.key not in graph:
                graph.add_node(node.key, node=node)
        existing = graph.get_edge_data(a.key, b.key)
        if existing is None or strength[link.confidence] > strength[existing["link"].confidence]:
            graph.add_edge(a.key, b.key, link=link)
    return graph


def _positions(graph: nx.Graph, centre: NodeKey) -> dict[NodeKey, tuple[float, float]]:
    distance = nx.single_source_shortest_path_length(graph, centre)
    rings: dict[int, list[NodeKey]] = {}
    for key in sorted(graph.nodes, key=lambda k: (k[0], k[1])):
        rings.setdefault(distance.get(key, 3), []).append(key)
    shells = [rings[d] for d in sorted(rings)]
    if len(shells) == 1:
        return {centre: (WIDTH / 2, HEIGHT / 2)}
    layout = nx.shell_layout(graph, nlist=shells, scale=1.0)
    # networkx spaces the rings evenly inside the scale; stretch the outermost to the edge.
    reach = max(math.hypot(float(x), float(y)) for x, y in layout.values()) or 1.0
    half_w, half_h = WIDTH / 2 - MARGIN, HEIGHT / 2 - MARGIN / 2
    return {
        key: (WIDTH / 2 + float(x) / reach * half_w, HEIGHT / 2 + float(y) / reach * half_h)
        for key, (x, y) in layout.items()
    }


def _shape(node: Node, x: float, y: float, centre: bool) -> str:
    size = 16 if centre else 11
    fill = FILL[node.kind]
    stroke = ' stroke="#0b0c0c" stroke-width="3"' if centre else ""
    if node.kind == "child":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{fill}"{stroke}/>'
    if node.kind == "person":
        return (
            f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" '
            f'height="{2 * size}" fill="{fill}"{stroke}/>'
        )
    points = " ".join(
        f"{x + size * 1.3 * math.cos(a):.1f},{y + size * 1.3 * math.sin(a):.1f}"
        for a in (0, math.pi / 2, math.pi, 3 * math.pi / 2)
    )
    return f'<polygon points="{points}" fill="{fill}"{stroke}/>'


def _label(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_svg(graph: nx.Graph, centre: NodeKey, *, title: str) -> str:
    """The SVG of the graph with the centre in the middle; an image with its own title."""
    positions = _positions(graph, centre)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="network-title" '
        'class="mace-network" style="max-width:100%;height:auto;font-family:arial,sans-serif">',
        f'<title id="network-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for a, b, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = positions[a], positions[b]
        link: Link = data["link"]
        dash = DASH[Confidence(link.confidence)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="#6f777b" stroke-width="2"{dash_attr}/>'
        )
    for key in graph.nodes:
        node: Node = graph.nodes[key]["node"]
        x, y = positions[key]
        is_centre = key == centre
        parts.append(_shape(node, x, y, is_centre))
        weight = ' font-weight="bold"' if is_centre else ""
        parts.append(
            f'<text x="{x:.1f}" y="{y + 32:.1f}" text-anchor="middle" font-size="14" '
            f'fill="#0b0c0c"{weight}>{escape(_label(node.label))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def network_svg(
    centre: Child | PersonOfConcern | Location, links: Iterable[Link], *, title: str
) -> str:
    graph = build_graph(centre, links)
    return render_svg(graph, node_for(centre).key, title=title)
