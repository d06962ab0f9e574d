"""`peernet networks list|show` and search over networks and membership roles, on a small
registry of networks with roles, and on the bundled registry."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import SOURCE, RegistryBuilder, assert_one_line_error

ROOT = Path(__file__).resolve().parents[1]
STEERING = ["city-of-flint", "city-of-kansas-city-kansas", "city-of-meridian", "city-of-miami",
            "city-of-rocky-mount", "city-of-waco", "city-of-youngstown"]


def city(id_: str, name: str, role: str, network: str = "national-resource-network") -> tuple[str, dict[str, Any]]:
    return ("partner", {"id": id_, "name": name, "classification": "city-government",
                        "location": {"city": name.removeprefix("City of "), "state": "MI", "country": "US"},
                        "networks": [{"network": network, "role": role}], "sources": SOURCE})


RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("network", {"id": "national-resource-network", "name": "National Resource Network",
                 "classification": "resource-network", "sources": SOURCE,
                 "projects": [{"name": "Broadband guidebook", "status": "completed", "end_date": "2016",
                               "partners": ["ntia"]}]}),
    ("network", {"id": "massachusetts-state-resource-network", "name": "Massachusetts State Resource Network",
                 "other_names": [{"name": "Massachusetts SRN"}], "classification": "state-resource-network",
                 "parent": "national-resource-network", "sources": SOURCE}),
    ("network", {"id": "cfa-brigade-network", "name": "Code for America Brigade",
                 "classification": "brigade-network", "sources": SOURCE}),
    ("partner", {"id": "ntia", "name": "National Telecommunications and Information Administration",
                 "classification": "federal-agency", "sources": SOURCE}),
    city("city-of-flint", "City of Flint", "steering-committee"),
    city("city-of-lansing", "City of Lansing", "member"),
    city("city-of-waco", "City of Waco", "steering-committee"),
    city("city-of-lowell", "City of Lowell", "member", network="massachusetts-state-resource-network"),
    ("brigade", {"id": "code-for-boston", "name": "Code for Boston", "classification": "brigade",
                 "status": "active", "networks": [{"network": "cfa-brigade-network", "role": "member"}],
                 "sources": SOURCE}),
    ("event", {"id": "nrn-peer-convening-2015", "name": "NRN Peer Convening 2015", "type": "peer-convening",
               "start_date": "2015", "organizers": ["national-resource-network"], "sources": SOURCE}),
]


@pytest.fixture
def nets(empty_registry: RegistryBuilder) -> RegistryBuilder:
    for kind, data in RECORDS:
        empty_registry.add(kind, data)
    return empty_registry


def run_json(cli: Callable[..., Any], root: Path, *args: str) -> Any:
    result = cli(*args, "--format", "json", root=root)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_small_registry_is_valid(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    result = cli("validate", root=nets.root)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_list_counts_members_and_roles_special_roles_first(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    rows = run_json(cli, nets.root, "networks", "list")
    assert [r["id"] for r in rows] == ["cfa-brigade-network", "massachusetts-state-resource-network",
                                       "national-resource-network"]
    nrn = rows[-1]
    assert nrn == {"id": "national-resource-network", "name": "National Resource Network",
                   "classification": "resource-network", "parent": None, "members": 3,
                   "roles": ["steering-committee: 2", "member: 1"]}


def test_list_filters_by_classification_and_parent(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    srns = run_json(cli, nets.root, "networks", "list", "--classification", "state-resource-network")
    assert [r["id"] for r in srns] == ["massachusetts-state-resource-network"]
    children = run_json(cli, nets.root, "networks", "list", "--parent", "National Resource Network")
    assert [r["id"] for r in children] == ["massachusetts-state-resource-network"]
    by_members = run_json(cli, nets.root, "networks", "list", "--sort", "-members", "--limit", "1")
    assert [r["id"] for r in by_members] == ["national-resource-network"]


def test_a_network_row_has_exactly_its_row_types_keys(nets: RegistryBuilder) -> None:
    from peernet_cli.query.listings import LinkedRegistry
    from peernet_cli.query.networks import NetworkFilter, list_networks
    from peernet_cli.query.rows import NetworkRow
    from peernet_cli.registry.loader import load

    found = list_networks(LinkedRegistry(load(nets.root)), NetworkFilter())
    assert found and all(list(row) == list(NetworkRow.__annotations__) for row in found)


def test_csv_writes_the_declared_columns(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    result = cli("networks", "list", "--format", "csv", root=nets.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "id,name,classification,parent,members,roles"
    assert "national-resource-network,National Resource Network,resource-network,,3," \
           "steering-committee: 2; member: 1" in result.stdout


def peernet(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peernet_cli.cli.app", "--registry", str(root), *args],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)


def test_an_unknown_classification_is_a_usage_error_with_the_allowed_values(nets: RegistryBuilder) -> None:
    assert_one_line_error(peernet(nets.root, "networks", "list", "--classification", "state-resource"), 2,
                          "--classification 'state-resource' is not one of: brigade-network, peer-network",
                          "did you mean: state-resource-network?")
    assert_one_line_error(peernet(nets.root, "networks", "list", "--status", "zzz"), 2,
                          "--status 'zzz' is not one of: active, inactive, unknown")


def test_show_lists_members_with_roles_children_projects_and_events(cli: Callable[..., Any],
                                                                     nets: RegistryBuilder) -> None:
    shown = run_json(cli, nets.root, "networks", "show", "national-resource-network")
    assert shown["kind"] == "network" and shown["record"]["id"] == "national-resource-network"
    assert [(m["id"], m["role"]) for m in shown["members"]] == [
        ("city-of-flint", "steering-committee"), ("city-of-waco", "steering-committee"),
        ("city-of-lansing", "member")]
    assert shown["members"][0]["where"] == "Flint, MI, US"
    assert shown["parent"] is None
    assert shown["children"] == [{"id": "massachusetts-state-resource-network",
                                  "name": "Massachusetts State Resource Network",
                                  "classification": "state-resource-network", "members": 1}]
    assert shown["projects"][0]["partners"] == ["National Telecommunications and Information Administration"]
    assert shown["projects"][0]["partner_ids"] == ["ntia"]
    assert [(e["id"], e["role"]) for e in shown["events"]] == [("nrn-peer-convening-2015", "organizer")]


def test_show_resolves_other_names_and_names_the_parent(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    shown = run_json(cli, nets.root, "networks", "show", "Massachusetts SRN")
    assert shown["record"]["id"] == "massachusetts-state-resource-network"
    assert shown["parent"] == {"id": "national-resource-network", "name": "National Resource Network"}
    assert [m["id"] for m in shown["members"]] == ["city-of-lowell"]


def test_show_as_a_table_names_every_member(cli: Callable[..., Any], nets: RegistryBuilder) -> None:
    result = cli("networks", "show", "national-resource-network", root=nets.root)
    assert result.exit_code == 0, result.stderr
    for name in ("City of Flint", "City of Waco", "steering-committee", "Massachusetts State Resource Network"):
        assert name in result.stdout


def test_an_unknown_network_suggests_the_closest(nets: RegistryBuilder) -> None:
    assert_one_line_error(peernet(nets.root, "networks", "show", "national-resource-netwrk"), 2,
                          "no network named", "did you mean:", "national-resource-network")


def test_search_finds_members_by_their_role_and_networks_by_name(cli: Callable[..., Any],
                                                                 nets: RegistryBuilder) -> None:
    hits = run_json(cli, nets.root, "search", "steering committee")
    assert [h["id"] for h in hits] == ["city-of-flint", "city-of-waco"]
    assert all(h["matched"] == ["networks"] for h in hits)
    # The role is indexed, not the network id the membership names.
    assert run_json(cli, nets.root, "search", "resource", "--kind", "partner") == []
    networks = run_json(cli, nets.root, "search", "state resource network")
    assert [h["id"] for h in networks][:1] == ["massachusetts-state-resource-network"]
    assert {h["kind"] for h in networks} == {"network"}


def test_the_bundled_nrn_lists_its_seven_steering_committee_cities(cli: Callable[..., Any]) -> None:
    shown = run_json(cli, ROOT, "networks", "show", "national-resource-network")
    steering = sorted(m["id"] for m in shown["members"] if m["role"] == "steering-committee")
    assert steering == STEERING
    assert {c["id"] for c in shown["children"]} >= {"massachusetts-state-resource-network"}
    hits = run_json(cli, ROOT, "search", "steering committee")
    assert sorted(h["id"] for h in hits) == STEERING
