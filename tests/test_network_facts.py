"""Network facts (query/network_facts.py) in `report summary`: connected groups and the
organisations that link the most brigades, on a small registry built for it, through the real CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder

from peernet_cli.query.listings import LinkedRegistry
from peernet_cli.query.network_facts import groups, network_facts
from peernet_cli.registry.loader import load

AS_OF = "2026-01-01"


def _b(i: str) -> tuple[str, dict[str, Any]]:
    return ("brigade", {"id": i, "name": i.replace("-", " ").title(), "classification": "brigade",
                        "status": "active", "sources": SOURCE})


def _p(i: str) -> tuple[str, dict[str, Any]]:
    return ("partner", {"id": i, "name": i.replace("-", " ").title(), "classification": "nonprofit", "sources": SOURCE})


def _s(b: str, p: str) -> tuple[str, dict[str, Any]]:
    return ("partnership", {"id": f"{b}--{p}", "brigade": b, "partner": p, "kind": "project-partnership",
                            "status": "active", "sources": SOURCE})


RECORDS = [
    *(_b(i) for i in ("alpha", "beta", "gamma", "delta", "echo", "foxtrot")),
    *(_p(i) for i in ("hub-partner", "quiet-partner", "solo-partner", "far-partner")),
    # one group of six: alpha works with three partners and with the brigade delta
    _s("alpha", "hub-partner"), _s("beta", "hub-partner"), _s("gamma", "hub-partner"),
    _s("alpha", "quiet-partner"), _s("alpha", "solo-partner"), _s("alpha", "delta"),
    # a second group of two; echo has no partnership at all
    _s("foxtrot", "far-partner"),
]


@pytest.fixture
def net(tmp_path: Any) -> RegistryBuilder:
    builder = RegistryBuilder(tmp_path / "reg")
    for kind, data in RECORDS:
        builder.add(kind, data)
    return builder


def test_groups_are_connected_organisations_biggest_first(net: RegistryBuilder) -> None:
    linked = LinkedRegistry(load(net.root))
    assert groups(linked) == [["alpha", "beta", "delta", "gamma", "hub-partner", "quiet-partner", "solo-partner"],
                              ["far-partner", "foxtrot"]]
    facts = network_facts(linked)
    assert facts["groups"] == 2 and facts["organisations_in_groups"] == 9
    first = facts["largest_groups"][0]
    assert first == {"organisations": 7, "brigades": 4, "partners": 3, "hub": "alpha", "hub_name": "Alpha",
                     "hub_partnerships": 4}


def test_connectors_link_brigades(net: RegistryBuilder) -> None:
    facts = network_facts(LinkedRegistry(load(net.root)))["connectors"]
    # a partner that works with one brigade links nobody; hub-partner links three
    assert facts["partners"] == [{"id": "hub-partner", "name": "Hub Partner", "brigades": 3,
                                  "brigade_ids": ["alpha", "beta", "gamma"]}]
    assert [(r["id"], r["brigade_ids"]) for r in facts["brigades"]] == [("alpha", ["delta"]), ("delta", ["alpha"])]


def test_summary_json_md_and_table_carry_the_facts(cli: Any, net: RegistryBuilder) -> None:
    result = cli("report", "summary", "--as-of", AS_OF, "--format", "json", root=net.root)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["network"]["groups"] == 2
    assert {"counts", "brigades_by_country", "unpartnered_by_country"} <= set(data)  # the keys already there stay
    assert data["counts"]["brigades"] == 6 and [b["id"] for b in data["brigades_without_partnership"]] == ["echo"]
    md = cli("report", "summary", "--as-of", AS_OF, root=net.root).stdout
    assert "## How the network hangs together" in md
    assert "9 organisations with a partnership form 2 connected group(s); the largest have 7, 2 organisations." in md
    assert "| Hub Partner | hub-partner | 3 |" in md
    table = cli("report", "summary", "--as-of", AS_OF, "--format", "table", root=net.root).stdout
    assert "Partners that work with the most brigades" in table and "Hub Partner" in table


def test_an_empty_registry_has_no_groups(empty_registry: RegistryBuilder) -> None:
    facts = network_facts(LinkedRegistry(load(empty_registry.root)))
    assert facts == {"groups": 0, "largest_groups": [], "organisations_in_groups": 0,
                     "connectors": {"partners": [], "brigades": []}}
