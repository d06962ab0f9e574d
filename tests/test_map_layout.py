"""The network map's layout (publish/graph.py over igraph) and its drawing (publish/mapdraw.py):
the same registry gives the same files, the connected part leads, the brigades with no recorded
partnership are a counted strip of dots, not a grid of labels, and a 2,000-node graph lays out."""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder

from peernet_cli.publish import graph, mapdraw
from peernet_cli.registry.loader import load

SVG = "{http://www.w3.org/2000/svg}"


def _brigade(rid: str, state: str | None, country: str = "US") -> tuple[str, dict[str, Any]]:
    location = {"city": "X", "country": country, **({"state": state} if state else {})}
    return ("brigade", {"id": rid, "name": rid.replace("-", " ").title(), "status": "active",
                        "location": location, "sources": SOURCE})


def _partner(rid: str) -> tuple[str, dict[str, Any]]:
    return ("partner", {"id": rid, "name": rid.replace("-", " ").title(), "classification": "nonprofit",
                        "sources": SOURCE})


def _ship(brigade: str, partner: str) -> tuple[str, dict[str, Any]]:
    return ("partnership", {"id": f"{brigade}--{partner}", "brigade": brigade, "partner": partner,
                            "kind": "project-partnership", "status": "active", "sources": SOURCE})


HUB = ["code-for-hub", "code-for-spoke", "code-for-rim"]
HUB_PARTNERS = [f"hub-partner-{i}" for i in range(6)]
PAIR = ("code-for-pair", "pair-partner")
# no partnership: three in NC, two in CA, one in Germany (DE, not Delaware), one partner
ALONE = {"code-for-nc-1": ("NC", "US"), "code-for-nc-2": ("NC", "US"), "code-for-nc-3": ("NC", "US"),
         "code-for-ca-1": ("CA", "US"), "code-for-ca-2": ("CA", "US"), "ok-lab-de": (None, "DE")}


@pytest.fixture
def network(tmp_path: Path) -> RegistryBuilder:
    """A hub (3 brigades, 6 partners), a brigade–partner pair, and 6 brigades and 1 partner alone."""
    reg = RegistryBuilder(tmp_path / "reg")
    records = [_brigade(b, "MA") for b in HUB] + [_partner(p) for p in HUB_PARTNERS]
    records += [_ship(HUB[0], p) for p in HUB_PARTNERS] + [_ship(HUB[1], HUB_PARTNERS[0]),
                                                         _ship(HUB[2], HUB_PARTNERS[1])]
    records += [_brigade(PAIR[0], "OR"), _partner(PAIR[1]), _ship(*PAIR), _partner("lonely-partner")]
    records += [_brigade(b, state, country) for b, (state, country) in ALONE.items()]
    for kind, data in records:
        reg.add(kind, data)
    return reg


def test_the_same_registry_gives_byte_identical_maps(cli: Any, network: RegistryBuilder) -> None:
    for fmt in ("svg", "json"):
        first = cli("report", "map", "--format", fmt, root=network.root)
        assert first.exit_code == 0, first.stderr
        assert cli("report", "map", "--format", fmt, root=network.root).stdout == first.stdout
    # and in a fresh process, where igraph's random numbers start from nothing
    fresh = subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(network.root),
                            "report", "map", "--format", "svg"], capture_output=True, text=True, check=True)
    assert fresh.stdout == cli("report", "map", "--format", "svg", root=network.root).stdout


def test_the_layout_leaves_the_global_random_generator_alone(network: RegistryBuilder) -> None:
    g = graph.build(load(network.root))
    random.seed(3)
    expected = random.random()
    random.seed(3)
    graph.layout(g)
    assert random.random() == expected


def test_the_connected_part_leads_and_the_rest_is_a_counted_strip(cli: Any, network: RegistryBuilder) -> None:
    data = json.loads(cli("report", "map", "--format", "json", root=network.root).stdout)
    nodes = {n["id"]: n for n in data["nodes"]}
    lonely = {i for i, n in nodes.items() if n["isolated"]}
    assert lonely == set(ALONE) | {"lonely-partner"}
    linked = set(nodes) - lonely
    # the strip is under every group, and the groups take most of the picture
    assert max(nodes[i]["y"] for i in linked) < min(nodes[i]["y"] for i in lonely)

    def area(ids: set[str]) -> float:
        xs, ys = [nodes[i]["x"] for i in ids], [nodes[i]["y"] for i in ids]
        return float((max(xs) - min(xs) + 1) * (max(ys) - min(ys) + 0.3))

    assert area(linked) > 2 * area(lonely)
    # biggest group first: the hub starts the first row, the pair comes after it in reading order
    def start(ids: list[str]) -> tuple[float, float]:
        return min(nodes[i]["y"] for i in ids), min(nodes[i]["x"] for i in ids)

    assert start(HUB + HUB_PARTNERS) < start(list(PAIR))
    # by US state in order, then a new row for the countries outside the US
    assert nodes["code-for-ca-1"]["x"] < nodes["code-for-ca-2"]["x"] < nodes["code-for-nc-1"]["x"]
    assert nodes["ok-lab-de"]["y"] > nodes["code-for-nc-1"]["y"]

    svg = ET.fromstring(cli("report", "map", "--format", "svg", root=network.root).stdout)
    summary = svg.find(f".//{SVG}text[@id='isolated-summary']")
    assert summary is not None and summary.text
    assert summary.text.startswith("+6 brigades and 1 partner with no recorded partnership")
    drawn = {g.get("data-id"): g for g in svg.iter(f"{SVG}g") if "node" in (g.get("class") or "")}
    assert set(drawn) == set(nodes)  # every organisation is still on the map, for its filters and search
    for rid in lonely:  # a dot, named only in its tooltip
        assert drawn[rid].get("data-isolated") == "true" and drawn[rid].find(f"{SVG}text") is None
        assert drawn[rid].findtext(f"{SVG}title", "").startswith(nodes[rid]["label"])
    for rid in linked:
        assert drawn[rid].find(f"{SVG}text") is not None
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "strip-label"]
    assert labels == ["CA", "NC", "DE", "no location"]


def test_the_other_exports_keep_every_node(cli: Any, network: RegistryBuilder) -> None:
    count = len(HUB) + len(HUB_PARTNERS) + 2 + 1 + len(ALONE)
    assert cli("report", "map", "--format", "dot", root=network.root).stdout.count("shape=") == count
    graphml = ET.fromstring(cli("report", "map", "--format", "graphml", root=network.root).stdout)
    assert len(graphml.findall(".//{http://graphml.graphdrawing.org/xmlns}node")) == count
    mermaid = cli("report", "map", "--format", "mermaid", root=network.root).stdout
    assert len(re.findall(r"^  n\d+[\[(]", mermaid, re.MULTILINE)) == count


def test_a_map_with_no_partnership_at_all_is_only_the_strip(cli: Any, tmp_path: Path) -> None:
    reg = RegistryBuilder(tmp_path / "lonely")
    for kind, data in [_brigade("code-for-a", "NC"), _brigade("code-for-b", "NC")]:
        reg.add(kind, data)
    svg = cli("report", "map", "--format", "svg", root=reg.root).stdout
    assert "+2 brigades with no recorded partnership" in svg and svg.count('data-isolated="true"') == 2


def _dense(brigades: int, partners: int, links: int) -> graph.Graph:
    """A random network with hub partners (as build_dense in benchmarks/registry_gen.py)."""
    rng = random.Random(0)
    g = graph.Graph()
    for i in range(brigades):
        g.nodes.append({"id": f"b{i:04}", "kind": "brigade", "label": f"Code for Place {i}",
                        "classification": "brigade", "state": "NC", "country": "US", "status": "active"})
    for i in range(partners):
        g.nodes.append({"id": f"p{i:04}", "kind": "partner", "label": f"Partner {i}",
                        "classification": "nonprofit", "state": None, "country": None, "status": None})
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        pairs.add((rng.randrange(brigades), int(partners * rng.random() ** 2)))
    for b, p in sorted(pairs):
        g.edges.append({"id": f"b{b:04}--p{p:04}", "source": f"b{b:04}", "target": f"p{p:04}",
                        "status": "active", "kind": "project-partnership"})
    linked = {e["source"] for e in g.edges} | {e["target"] for e in g.edges}
    for n in g.nodes:
        n["isolated"] = n["id"] not in linked
    return g


def test_a_dense_graph_of_2000_nodes_lays_out() -> None:
    g = _dense(1000, 1000, 5000)
    assert len(graph.components(g)[0]) > graph.FR_MAX_NODES  # the big-group path (LGL)
    pos = graph.layout(g)
    assert set(pos) == {n["id"] for n in g.nodes}
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot
    svg = mapdraw.to_svg(g, pos)
    assert svg.count('class="node ') == 2000 and svg.count('class="edge"') == 5000
